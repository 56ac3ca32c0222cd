package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

// schemas lists every package's tables, in dependency order. All of them
// are always passed, so a file written by a newer program is recognised.
func schemas() []db.Schema {
	return []db.Schema{articles.Schema(), subscribers.Schema(), digest.Schema()}
}

// dbAccess is what a command may do to the database file.
type dbAccess int

const (
	// createOrMigrate: serve, ingest, demo and migrate make the file when
	// it is missing and migrate an older one.
	createOrMigrate dbAccess = iota
	// readOnly: search, tags, articles, digest preview and deadletters
	// never write, and want a database at this program's schema.
	readOnly
	// readWrite: digest run writes, but neither creates nor migrates.
	readWrite
)

func openDB(ctx context.Context, path string, access dbAccess) (*db.DB, error) {
	o := db.Options{Access: db.Create}
	switch access {
	case readOnly:
		o.Access = db.ReadOnly
	case readWrite:
		o.Access = db.ReadWrite
	}
	return db.OpenWith(ctx, path, o, schemas()...)
}

// openStore opens the database and an article store over it, which tags
// with the topic table in force in the database.
func openStore(ctx context.Context, path string, access dbAccess) (*db.DB, *articles.Store, error) {
	conn, err := openDB(ctx, path, access)
	if err != nil {
		return nil, nil, err
	}
	store := articles.NewStore(conn, articles.StoreOptions{Now: time.Now})
	if _, err := store.LoadTopics(ctx); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, store, nil
}

// withStore opens the database at path read-only for one command and
// closes it after.
func withStore(ctx context.Context, path string, fn func(*articles.Store) error) error {
	conn, store, err := openStore(ctx, path, readOnly)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(store)
}

// builtinTopics, given to --topics, puts the built-in topic table back in
// force. A file of that name is given as ./builtin.
const builtinTopics = "builtin"

// topicChoice is what --topics asked for, read before the database is
// opened so that a bad file changes nothing.
type topicChoice struct {
	file  string // absolute; "" for the built-in table
	table *articles.Topics
}

// readTopicsFlag reads --topics: "" keeps the table in force (nil),
// "builtin" asks for the built-in one, anything else names a file that
// replaces it.
func readTopicsFlag(value string) (*topicChoice, error) {
	switch value {
	case "":
		return nil, nil
	case builtinTopics:
		return &topicChoice{}, nil
	}
	f, err := os.Open(value)
	if err != nil {
		return nil, fmt.Errorf("topic table: %w", err)
	}
	defer f.Close()
	t, err := articles.ParseTopics(f)
	if err != nil {
		return nil, fmt.Errorf("topic table %s: %w", value, err)
	}
	abs, err := filepath.Abs(value)
	if err != nil {
		return nil, fmt.Errorf("topic table %s: %w", value, err)
	}
	return &topicChoice{file: abs, table: t}, nil
}

// apply makes the choice the table in force in the store's database.
func (c *topicChoice) apply(ctx context.Context, store *articles.Store) (articles.TopicChange, error) {
	if c.table == nil {
		return store.ResetTopics(ctx)
	}
	return store.SetTopics(ctx, c.table, c.file)
}

// useTopics puts the chosen topic table in force, or takes up the one in
// force when none was chosen. A replacement is logged, with the number of
// articles tagged again.
func useTopics(ctx context.Context, store *articles.Store, choice *topicChoice) error {
	if choice == nil {
		_, err := store.LoadTopics(ctx)
		return err
	}
	ch, err := choice.apply(ctx, store)
	if err != nil {
		return err
	}
	if ch.Changed || ch.Retagged > 0 {
		slog.Info("Replaced the topic table", slog.String("topics", topicsName(ch.TopicsInForce)), slog.Int("articles_retagged", ch.Retagged))
	}
	return nil
}

// topicsName names a table in force for people.
func topicsName(in articles.TopicsInForce) string {
	n := fmt.Sprintf("%d topics", in.Topics)
	if in.Topics == 1 {
		n = "1 topic"
	}
	if in.Name == "" {
		return fmt.Sprintf("the built-in table (%s)", n)
	}
	return fmt.Sprintf("the table from %s (%s)", in.Name, n)
}

// describeUpgrades lists what a migration did: "articles 2 → 3, digest 4 → 5".
func describeUpgrades(ups []db.Upgrade) string {
	parts := make([]string, len(ups))
	for i, u := range ups {
		parts[i] = fmt.Sprintf("%s %d → %d", u.Schema, u.From, u.To)
	}
	return strings.Join(parts, ", ")
}

// describePending lists the schemas a migration would bring up:
// "articles at version 2 of 3".
func describePending(ups []db.Upgrade) string {
	parts := make([]string, len(ups))
	for i, u := range ups {
		parts[i] = fmt.Sprintf("%s at version %d of %d", u.Schema, u.From, u.To)
	}
	return strings.Join(parts, ", ")
}
