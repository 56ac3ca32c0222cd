// Package db opens the project's single SQLite file and applies the
// migrations that each package ships for its own tables.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver; FTS5 needs the build tag sqlite_fts5
)

// ErrNoFTS5 means the binary was built without SQLite's FTS5 module.
var ErrNoFTS5 = errors.New("this binary was built without SQLite FTS5, which search needs: " +
	"build, run and test with the flag -tags sqlite_fts5 (for example: go run -tags sqlite_fts5 . help)")

// busyTimeoutMillis is how long a writer waits for another writer's lock
// before SQLite gives up with SQLITE_BUSY.
const busyTimeoutMillis = 10000

// CheckFTS5 reports ErrNoFTS5 when the linked SQLite lacks FTS5. Without the
// build tag the failure would otherwise surface only at the first search.
func CheckFTS5(ctx context.Context) error {
	conn, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return fmt.Errorf("db: unable to open an in-memory database: %w", err)
	}
	defer conn.Close()
	return checkFTS5(ctx, conn)
}

func checkFTS5(ctx context.Context, conn *sql.DB) error {
	var used int
	if err := conn.QueryRowContext(ctx, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&used); err != nil {
		return fmt.Errorf("db: unable to read SQLite compile options: %w", err)
	}
	if used != 1 {
		return ErrNoFTS5
	}
	return nil
}

// DB is the project's database: a pool of connections for reading, and a
// write lock. SQLite allows one writer at a time; writers in this process
// queue on the lock, in Go, instead of retrying in SQLite's busy handler,
// which sleeps up to 100 ms a try and under load gives up with "database
// is locked". The busy timeout still covers another process.
type DB struct {
	*sql.DB
	write    chan struct{}
	path     string
	readOnly bool
	created  bool
	upgrades []Upgrade // what Open migrated
	pending  []Upgrade // what a read-only open with AnyVersion left unmigrated
}

// Write runs fn in a transaction, holding the write lock, and commits when
// fn returns nil.
func (d *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if d.readOnly {
		return fmt.Errorf("db: unable to write to %s: %w: it was opened for reading only", d.path, ErrReadOnly)
	}
	select {
	case d.write <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-d.write }()
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: unable to begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: unable to commit: %w", err)
	}
	return nil
}

// Path is the file the database was opened from.
func (d *DB) Path() string { return d.path }

// ReadOnly reports whether the database was opened for reading only.
func (d *DB) ReadOnly() bool { return d.readOnly }

// Created reports whether opening the database created its file.
func (d *DB) Created() bool { return d.created }

// Upgrades lists the schemas that opening the database migrated, each
// from the version it had to the one it has now.
func (d *DB) Upgrades() []Upgrade { return d.upgrades }

// Pending lists the schemas older than this program knows, when the
// database was opened read-only with AnyVersion.
func (d *DB) Pending() []Upgrade { return d.pending }

// escapePath makes a file name safe inside a file: URI.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// dsn builds a connection string for writing whose settings apply to every
// pooled connection: a busy timeout so writers queue instead of failing,
// foreign keys (off by default in SQLite), and BEGIN IMMEDIATE so a
// transaction takes the write lock up front rather than failing with
// SQLITE_BUSY when it later upgrades from a read. WAL is not set here: it
// is a property of the file, set once after Open has made sure the file
// is ours (a journal mode in the DSN would convert any file it touches).
func dsn(path string) string {
	return fmt.Sprintf("file:%s?_busy_timeout=%d&_foreign_keys=on&_synchronous=NORMAL&_cache_size=-32000&_stmt_cache_size=64&_txlock=immediate",
		escapePath(path), busyTimeoutMillis)
}

// readOnlyDSN opens the file for reading only. immutable tells SQLite the
// file cannot change, so it takes no locks and needs no -shm file: the one
// way to read a WAL database in a folder nobody may write to.
func readOnlyDSN(path string, immutable bool) string {
	s := fmt.Sprintf("file:%s?mode=ro&_busy_timeout=%d&_foreign_keys=on&_cache_size=-32000&_stmt_cache_size=64",
		escapePath(path), busyTimeoutMillis)
	if immutable {
		s += "&immutable=1"
	}
	return s
}
