package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Access says what opening a database may do to it.
type Access int

const (
	// Create makes the file when it is missing and migrates an older
	// schema: for the commands that own the database (serve, ingest, demo,
	// migrate).
	Create Access = iota
	// ReadWrite writes to a database that must exist at this program's
	// schema; it never creates or migrates.
	ReadWrite
	// ReadOnly never writes, works on a read-only file or medium, and
	// wants a database at this program's schema.
	ReadOnly
)

// Options say how to open a database.
type Options struct {
	Access Access
	// AnyVersion, with ReadOnly, accepts a database older than this
	// program, for a command that copies it whole (backup) or looks before
	// migrating; Pending says what a migration would do.
	AnyVersion bool
}

var (
	// ErrNoDatabase means there is no database at the path (or only an
	// empty file) and the command does not create one.
	ErrNoDatabase = errors.New("no database")
	// ErrNotOurs means the file is a SQLite database of another program.
	ErrNotOurs = errors.New("not a wzdaily database")
	// ErrNotSQLite means the file is not a SQLite database at all.
	ErrNotSQLite = errors.New("not a SQLite database")
	// ErrStale means the database has an older schema than this program,
	// and the command does not migrate.
	ErrStale = errors.New("the database has an older schema than this version of wzdaily")
)

// Open opens the database at path for writing, creating it (mode 0600)
// when it is missing, and applies every pending migration of the given
// schemas, in order. It refuses a file that is not SQLite, or a SQLite
// file of another program, rather than add tables to it.
func Open(ctx context.Context, path string, schemas ...Schema) (*DB, error) {
	return OpenWith(ctx, path, Options{Access: Create}, schemas...)
}

// OpenWith opens the database at path as o says. Every way checks for
// FTS5 and that the file is this program's.
func OpenWith(ctx context.Context, path string, o Options, schemas ...Schema) (*DB, error) {
	if path == "" {
		return nil, errors.New("db: no database path given")
	}
	for _, s := range schemas {
		if s.Setup != nil {
			if err := s.Setup(); err != nil {
				return nil, err
			}
		}
	}
	if o.Access == ReadOnly {
		return openReadOnly(ctx, path, o, schemas)
	}
	return openWritable(ctx, path, o.Access == Create, schemas)
}

func openWritable(ctx context.Context, path string, create bool, schemas []Schema) (*DB, error) {
	exists, err := existingFile(path)
	if err != nil {
		return nil, err
	}
	if !exists && !create {
		return nil, fmt.Errorf("db: %w at %s: run wzdaily ingest", ErrNoDatabase, path)
	}
	if err := checkWritable(path, exists); err != nil {
		return nil, err
	}
	created := false
	if !exists {
		if created, err = createFile(path); err != nil {
			return nil, err
		}
	}
	conn, err := sql.Open("sqlite3", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("db: unable to open %s: %w", path, err)
	}
	d := &DB{DB: conn, write: make(chan struct{}, 1), path: path, created: created}
	fail := func(err error) (*DB, error) {
		conn.Close()
		if created {
			// Nothing of value is in a file this call made.
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
		return nil, err
	}
	if err := firstRead(ctx, conn); err != nil {
		return fail(openError(path, err))
	}
	if err := checkFTS5(ctx, conn); err != nil {
		return fail(err)
	}
	info, err := identify(ctx, conn, path, schemas)
	if err != nil {
		return fail(err)
	}
	if info.empty && !create {
		return fail(fmt.Errorf("db: %w at %s (the file is empty): run wzdaily ingest", ErrNoDatabase, path))
	}
	// WAL lets readers carry on while one process writes. It is recorded
	// in the file, so once is enough for every connection.
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
		return fail(fmt.Errorf("db: unable to turn on WAL for %s: %w", path, explainWrite(err)))
	}
	if mode != "wal" {
		return fail(fmt.Errorf("db: unable to turn on WAL for %s: the journal mode stays %q", path, mode))
	}
	restrictModes(path)
	if !create {
		if err := checkVersions(path, info.versions, schemas); err != nil {
			return fail(err)
		}
		return d, nil
	}
	if d.upgrades, err = migrate(ctx, conn, schemas); err != nil {
		return fail(fmt.Errorf("db: %s: %w", path, explainWrite(err)))
	}
	return d, nil
}

func openReadOnly(ctx context.Context, path string, o Options, schemas []Schema) (*DB, error) {
	exists, err := existingFile(path)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, fmt.Errorf("db: %w at %s: run wzdaily ingest", ErrNoDatabase, path)
	}
	conn, err := openForReading(ctx, path)
	if err != nil {
		return nil, err
	}
	d := &DB{DB: conn, write: make(chan struct{}, 1), path: path, readOnly: true}
	fail := func(err error) (*DB, error) {
		conn.Close()
		return nil, err
	}
	if err := checkFTS5(ctx, conn); err != nil {
		return fail(err)
	}
	info, err := identify(ctx, conn, path, schemas)
	if err != nil {
		return fail(err)
	}
	if info.empty {
		return fail(fmt.Errorf("db: %w at %s (the file is empty): run wzdaily ingest", ErrNoDatabase, path))
	}
	if o.AnyVersion {
		if err := checkNotNewer(info.versions, schemas); err != nil {
			return fail(fmt.Errorf("db: %s: %w", path, err))
		}
		d.pending = pendingUpgrades(info.versions, schemas)
		return d, nil
	}
	if err := checkVersions(path, info.versions, schemas); err != nil {
		return fail(err)
	}
	return d, nil
}

// openForReading opens the file read-only. SQLite reads a WAL database
// through its -shm file, which it creates when missing; in a folder it may
// not write to, that fails. A database closed cleanly has no -wal left (or
// an empty one): the file holds everything, and SQLite may then read it as
// immutable, without -shm. A -wal with transactions in it cannot be read
// without -shm, so that case is refused with what to do.
func openForReading(ctx context.Context, path string) (*sql.DB, error) {
	conn, err := probeRead(ctx, readOnlyDSN(path, false))
	if err == nil {
		return conn, nil
	}
	if isNotADB(err) {
		return nil, openError(path, err)
	}
	dir := filepath.Dir(path)
	if writableDir(dir) == nil {
		return nil, openError(path, err)
	}
	if walHasFrames(path) && !fileExists(path+"-shm") {
		return nil, fmt.Errorf("db: unable to read %s: %s-wal holds transactions not yet copied into the database, and SQLite can read them only "+
			"through %s-shm, which it cannot create because the folder %s is not writable: run any wzdaily command on the database once "+
			"where its folder is writable, or copy %s and %s-wal to a writable folder",
			path, path, path, dir, path, path)
	}
	conn, ierr := probeRead(ctx, readOnlyDSN(path, true))
	if ierr != nil {
		return nil, openError(path, err)
	}
	return conn, nil
}

// probeRead opens a pool and reads the schema: an error shows now, not at
// the first query.
func probeRead(ctx context.Context, dsn string) (*sql.DB, error) {
	conn, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	if err := firstRead(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// firstRead reads the schema, which makes SQLite open the file, its -wal
// and its -shm. While the last connection of another pool closes, it holds
// the -shm's lock to checkpoint and delete the WAL, and a connection
// opening then gets SQLITE_BUSY at once, without the busy handler: so
// this read waits and tries again, for as long as the busy timeout.
func firstRead(ctx context.Context, conn *sql.DB) error {
	wait := 5 * time.Millisecond
	deadline := time.Now().Add(busyTimeoutMillis * time.Millisecond)
	for {
		var n int
		err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n)
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// fileInfo is what identify learnt of a file.
type fileInfo struct {
	empty    bool           // no tables: a new or zero-length file
	versions map[string]int // the schemas recorded in it
}

// identify tells whether the file is this program's database. Ours carry
// applicationID in their header; files made before it was set are ours
// when they hold schema_versions and every schema it lists is known.
// Anything else with tables belongs to another program.
func identify(ctx context.Context, conn *sql.DB, path string, schemas []Schema) (fileInfo, error) {
	var id int64
	if err := conn.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&id); err != nil {
		return fileInfo{}, openError(path, err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT name FROM sqlite_schema
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return fileInfo{}, openError(path, err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fileInfo{}, openError(path, err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fileInfo{}, openError(path, err)
	}
	info := fileInfo{versions: map[string]int{}}
	hasVersions := slices.Contains(tables, "schema_versions")
	if hasVersions {
		if info.versions, err = Versions(ctx, conn); err != nil {
			return fileInfo{}, fmt.Errorf("db: %s: %w", path, err)
		}
	}
	switch {
	case id == applicationID:
		return info, nil
	case id != 0:
		return fileInfo{}, fmt.Errorf("db: %s is %w: its header names another program (application id %d)", path, ErrNotOurs, id)
	case len(tables) == 0:
		info.empty = true
		return info, nil
	case hasVersions && len(info.versions) > 0 && allKnown(info.versions, schemas):
		return info, nil
	}
	return fileInfo{}, fmt.Errorf("db: %s is %w: it holds tables of another program (%s)", path, ErrNotOurs, listSome(tables, 5))
}

func allKnown(versions map[string]int, schemas []Schema) bool {
	for name := range versions {
		if !slices.ContainsFunc(schemas, func(s Schema) bool { return s.Name == name }) {
			return false
		}
	}
	return true
}

func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// checkVersions refuses a schema newer or older than this program's.
func checkVersions(path string, versions map[string]int, schemas []Schema) error {
	if err := checkNotNewer(versions, schemas); err != nil {
		return fmt.Errorf("db: %s: %w", path, err)
	}
	if pending := pendingUpgrades(versions, schemas); len(pending) > 0 {
		var parts []string
		for _, u := range pending {
			parts = append(parts, fmt.Sprintf("%s at version %d of %d", u.Schema, u.From, u.To))
		}
		return fmt.Errorf("db: %s: %w (%s): run wzdaily migrate", path, ErrStale, strings.Join(parts, ", "))
	}
	return nil
}

// existingFile reports whether path names a file, and refuses a folder.
func existingFile(path string) (bool, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("db: unable to open %s: %w", path, err)
	case st.IsDir():
		return false, fmt.Errorf("db: unable to open %s: it is a folder, not a database file", path)
	}
	return true, nil
}

// createFile makes an empty database file readable by its owner only: it
// holds chat ids, and SQLite gives the -wal and -shm files it creates
// later the mode of the database file. An empty file is an empty database
// to SQLite.
func createFile(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil // another process made it meanwhile
	}
	if err != nil {
		return false, fmt.Errorf("db: unable to create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return false, fmt.Errorf("db: unable to create %s: %w", path, err)
	}
	return true, nil
}

// openError says what went wrong opening or reading the file, in the
// user's terms where SQLite's are obscure.
func openError(path string, err error) error {
	if isNotADB(err) {
		return fmt.Errorf("db: %s is %w: %w", path, ErrNotSQLite, err)
	}
	return fmt.Errorf("db: unable to open %s: %w", path, err)
}
