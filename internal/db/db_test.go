package db

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func testSchema(steps ...string) Schema {
	s := Schema{Name: "things"}
	for _, st := range steps {
		s.Steps = append(s.Steps, SQL(st))
	}
	return s
}

func TestOpenAppliesMigrationsOnceAndSetsPragmas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s := testSchema(`CREATE TABLE things (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES things(id))`,
		`ALTER TABLE things ADD COLUMN name TEXT`)
	conn, err := Open(ctx, path, s)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk, busy int
	if err := conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
	if err := conn.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil || busy != busyTimeoutMillis {
		t.Errorf("busy_timeout = %d (%v), want %d", busy, err, busyTimeoutMillis)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO things (id, parent, name) VALUES (1, 99, 'x')`); err == nil {
		t.Errorf("a dangling foreign key was accepted")
	}
	conn.Close()

	// Reopening must not re-run steps (the ALTER would fail if it did).
	conn, err = Open(ctx, path, s)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer conn.Close()
	v, err := Versions(ctx, conn.DB)
	if err != nil || v["things"] != 2 {
		t.Fatalf("versions = %v (%v), want things=2", v, err)
	}
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	newer := testSchema(`CREATE TABLE things (id INTEGER)`, `CREATE TABLE more (id INTEGER)`)
	conn, err := Open(ctx, path, newer)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	conn.Close()
	_, err = Open(ctx, path, testSchema(`CREATE TABLE things (id INTEGER)`))
	if !errors.Is(err, ErrTooNew) {
		t.Fatalf("older program opening a newer file: err = %v, want ErrTooNew", err)
	}
	if !strings.Contains(err.Error(), "version 2") || !strings.Contains(err.Error(), "up to 1") {
		t.Errorf("message does not say which versions: %v", err)
	}
	_, err = Open(ctx, path, Schema{Name: "other", Steps: []Step{SQL(`SELECT 1`)}})
	if !errors.Is(err, ErrTooNew) {
		t.Errorf("unknown tables in file: err = %v, want ErrTooNew", err)
	}
}

func TestFailedStepRollsBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	_, err := Open(ctx, path, testSchema(`CREATE TABLE a (id INTEGER)`, `CREATE TABLE b (id INTEGER); SELECT nonsense FROM nowhere`))
	if err == nil || !strings.Contains(err.Error(), "[migration things v2]") {
		t.Fatalf("err = %v, want a v2 migration error", err)
	}
	conn, err := Open(ctx, path, testSchema(`CREATE TABLE a (id INTEGER)`))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer conn.Close()
	var n int
	conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n)
	if n != 0 {
		t.Errorf("table b of the failed step exists")
	}
}

func TestCheckFTS5(t *testing.T) {
	// The project is always built with -tags sqlite_fts5; this proves the
	// check passes there. fts5_test.go proves the message without the tag.
	if err := CheckFTS5(context.Background()); err != nil {
		t.Fatalf("CheckFTS5: %v", err)
	}
}

func TestDSNEscapesPath(t *testing.T) {
	got := dsn("/tmp/a?b#c%d.db")
	if !strings.HasPrefix(got, "file:/tmp/a%3fb%23c%25d.db?") {
		t.Errorf("dsn = %q", got)
	}
}

func TestWriteQueuesWritersWithoutBusyErrors(t *testing.T) {
	ctx := context.Background()
	conn, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), testSchema(`CREATE TABLE n (v INTEGER)`))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	errs := make(chan error, 200)
	for i := range 200 {
		go func() {
			errs <- conn.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO n (v) VALUES (?)`, i)
				return err
			})
		}()
	}
	for range 200 {
		if err := <-errs; err != nil {
			t.Fatalf("a writer failed: %v", err)
		}
	}
	var n int
	conn.QueryRow(`SELECT count(*) FROM n`).Scan(&n)
	if n != 200 {
		t.Errorf("%d rows, want 200", n)
	}
	// A failing fn rolls back; a cancelled wait returns the context's error.
	boom := errors.New("boom")
	if err := conn.Write(ctx, func(tx *sql.Tx) error {
		tx.ExecContext(ctx, `INSERT INTO n (v) VALUES (-1)`)
		return boom
	}); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	conn.QueryRow(`SELECT count(*) FROM n WHERE v = -1`).Scan(&n)
	if n != 0 {
		t.Errorf("a failed write was committed")
	}
	held := make(chan struct{})
	release := make(chan struct{})
	go conn.Write(ctx, func(*sql.Tx) error { close(held); <-release; return nil })
	<-held
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := conn.Write(cctx, func(*sql.Tx) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting with a cancelled context: %v", err)
	}
	close(release)
}
