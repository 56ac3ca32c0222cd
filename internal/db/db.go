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
	write chan struct{}
}

// Write runs fn in a transaction, holding the write lock, and commits when
// fn returns nil.
func (d *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
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

// Open opens (creating if needed) the SQLite file at path, checks for FTS5
// and applies every pending migration of the given schemas, in order.
func Open(ctx context.Context, path string, schemas ...Schema) (*DB, error) {
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
	conn, err := sql.Open("sqlite3", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("db: unable to open %s: %w", path, err)
	}
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("db: unable to open %s: %w", path, err)
	}
	if err := checkFTS5(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	if err := Migrate(ctx, conn, schemas...); err != nil {
		conn.Close()
		return nil, fmt.Errorf("db: %s: %w", path, err)
	}
	return &DB{DB: conn, write: make(chan struct{}, 1)}, nil
}

// dsn builds a connection string whose settings apply to every pooled
// connection: WAL for concurrent readers, a busy timeout so writers queue
// instead of failing, foreign keys (off by default in SQLite), and
// BEGIN IMMEDIATE so a transaction takes the write lock up front rather than
// failing with SQLITE_BUSY when it later upgrades from a read.
func dsn(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return fmt.Sprintf("file:%s?_busy_timeout=%d&_foreign_keys=on&_journal_mode=WAL&_synchronous=NORMAL&_cache_size=-32000&_stmt_cache_size=64&_txlock=immediate",
		r.Replace(path), busyTimeoutMillis)
}
