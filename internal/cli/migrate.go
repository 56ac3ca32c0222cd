package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
)

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "migrate", "", `Creates the database when it is missing, or brings its tables up to this version of
wzdaily, and says what it did: each schema from its version to the new one, or that
the database is already up to date. Articles tagged with another topic table than
the one in force (the built-in table of an older version) are tagged again, and it
says how many. serve, ingest and demo do the same when they start; the commands that only read (search, tags, articles, digest preview, digest
deadletters, backup) never change the file, and refuse a database older than the
program, saying to run this.

To upgrade: back up (wzdaily backup FILE), stop serve, install the new binary, run
wzdaily migrate, start serve. While a serve delivers from the database this refuses:
a running serve of an older version would not know the new schema.`)
	dbPath := dbFlag(fs, env)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: migrate takes no arguments, only --db FILE", errUsage)
	}
	// Look first, without writing: an up-to-date database is left alone,
	// even in a read-only folder or under a running serve.
	conn, err := db.OpenWith(ctx, *dbPath, db.Options{Access: db.ReadOnly, AnyVersion: true}, app.Schemas()...)
	switch {
	case err == nil:
		pending := conn.Pending()
		versions, verr := db.Versions(ctx, conn.DB)
		current := true
		if verr == nil && len(pending) == 0 {
			current, verr = articles.NewStore(conn, articles.StoreOptions{}).TopicsCurrent(ctx)
		}
		conn.Close()
		if verr != nil {
			return verr
		}
		if len(pending) == 0 && current {
			fmt.Fprintf(env.Stdout, "%s is already up to date: %s.\n", *dbPath, describeVersions(versions))
			return nil
		}
	case !errors.Is(err, db.ErrNoDatabase):
		return err
	}
	lock, err := digest.AcquireLock(*dbPath)
	if err != nil {
		if errors.Is(err, digest.ErrLocked) {
			return fmt.Errorf("%w; stop serve before migrating the database", err)
		}
		return err
	}
	defer lock.Release()
	conn, err = app.Open(ctx, *dbPath, db.Create)
	if err != nil {
		return err
	}
	defer conn.Close()
	store := articles.NewStore(conn, articles.StoreOptions{})
	retagged, err := store.RetagIfChanged(ctx)
	if err != nil {
		return err
	}
	if retagged == 0 || conn.Created() || len(conn.Upgrades()) > 0 {
		printUpgrades(env.Stdout, *dbPath, conn)
	}
	if retagged > 0 {
		in, err := store.LoadTopics(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Tagged %d articles again with %s: they had been tagged with another table (the built-in table of an older version, or one set since).\n",
			retagged, app.TopicsName(in))
	}
	return nil
}

func printUpgrades(w io.Writer, path string, conn *db.DB) {
	ups := conn.Upgrades()
	switch {
	case conn.Created():
		fmt.Fprintf(w, "Created %s:\n", path)
	case len(ups) == 0:
		// Another process migrated it since we looked.
		fmt.Fprintf(w, "%s is already up to date.\n", path)
		return
	default:
		fmt.Fprintf(w, "Migrated %s:\n", path)
	}
	for _, u := range ups {
		fmt.Fprintf(w, "  %-12s version %d → %d\n", u.Schema, u.From, u.To)
	}
}

// describeVersions lists schema versions in schema order: "articles 3,
// subscribers 4, digest 5".
func describeVersions(versions map[string]int) string {
	order := map[string]int{}
	for i, s := range app.Schemas() {
		order[s.Name] = i
	}
	names := make([]string, 0, len(versions))
	for n := range versions {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, versions[n])
	}
	return strings.Join(parts, ", ")
}
