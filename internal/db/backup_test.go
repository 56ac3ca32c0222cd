package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pairs is a schema whose every write inserts one row into each of two
// tables, so a copy taken mid-write shows whether it caught half of one.
var pairs = testSchema(`CREATE TABLE a (v INTEGER); CREATE TABLE b (v INTEGER); CREATE INDEX b_v ON b (v)`)

func writePair(ctx context.Context, d *DB, v int) error {
	return d.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO a (v) VALUES (?)`, v); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO b (v) VALUES (?)`, v)
		return err
	})
}

func countRows(t *testing.T, d *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// dirNames lists a folder, so a test can see that no temporary file is
// left behind.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestBackupWhileAWriteIsOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live, err := Open(ctx, filepath.Join(dir, "live.db"), pairs)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	for i := range 100 {
		if err := writePair(ctx, live, i); err != nil {
			t.Fatal(err)
		}
	}
	// A writer holds SQLite's write lock and ours, uncommitted, for the
	// whole backup: the backup must not wait for it, nor see its row.
	held, release, written := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		written <- live.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO a (v) VALUES (-1)`); err != nil {
				return err
			}
			close(held)
			<-release
			_, err := tx.ExecContext(ctx, `INSERT INTO b (v) VALUES (-1)`)
			return err
		})
	}()
	<-held
	out := filepath.Join(dir, "backups", "copy.db")
	os.Mkdir(filepath.Dir(out), 0o700)
	backedUp := make(chan error)
	go func() { backedUp <- live.Backup(ctx, out) }()
	select {
	case err := <-backedUp:
		if err != nil {
			t.Fatalf("backup: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("deadlocked: the backup waited for the open write")
	}
	// Nor was a reader.
	if n := countRows(t, live.DB, "a"); n != 100 {
		t.Errorf("a reader during the open write sees %d rows, want 100", n)
	}
	close(release)
	if err := <-written; err != nil {
		t.Fatalf("the writer failed after the backup: %v", err)
	}

	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode %o, want 600", mode)
	}
	if names := dirNames(t, filepath.Dir(out)); len(names) != 1 || names[0] != "copy.db" {
		t.Errorf("backup folder holds %q, want only copy.db", names)
	}
	cp, err := Open(ctx, out, pairs)
	if err != nil {
		t.Fatalf("open the copy: %v", err)
	}
	defer cp.Close()
	if a, b := countRows(t, cp.DB, "a"), countRows(t, cp.DB, "b"); a != 100 || b != 100 {
		t.Errorf("copy holds %d and %d rows, want the 100 committed before it started", a, b)
	}
	if a := countRows(t, live.DB, "a"); a != 101 {
		t.Errorf("live holds %d rows after the writer committed, want 101", a)
	}
}

func TestBackupUnderConcurrentWritesIsASnapshot(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	live, err := Open(ctx, filepath.Join(dir, "live.db"), pairs)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	stopped := make(chan int)
	go func() {
		i := 0
		for ctx.Err() == nil {
			if err := writePair(ctx, live, i); err != nil && ctx.Err() == nil {
				t.Errorf("write %d: %v", i, err)
				break
			}
			i++
		}
		stopped <- i
	}()
	for countRows(t, live.DB, "a") < 200 {
		time.Sleep(time.Millisecond)
	}
	var copies []string
	for i := range 5 {
		out := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		if err := live.Backup(ctx, out); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		copies = append(copies, out)
	}
	cancel()
	total := <-stopped
	last := 0
	for _, out := range copies {
		cp, err := Open(context.Background(), out, pairs)
		if err != nil {
			t.Fatalf("open %s: %v", out, err)
		}
		a, b := countRows(t, cp.DB, "a"), countRows(t, cp.DB, "b")
		cp.Close()
		if a != b || a < last || a > total {
			t.Errorf("%s: %d rows in a, %d in b (earlier copy %d, writes in all %d): not one snapshot", filepath.Base(out), a, b, last, total)
		}
		last = a
	}
	t.Logf("%d writes, the last copy holds %d", total, last)
}

func TestBackupRefusesAnExistingFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live, err := Open(ctx, filepath.Join(dir, "live.db"), pairs)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	out := filepath.Join(dir, "old.db")
	if err := os.WriteFile(out, []byte("yesterday's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = live.Backup(ctx, out)
	if !errors.Is(err, fs.ErrExist) {
		t.Errorf("err = %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "yesterday's backup" {
		t.Errorf("the existing file was changed: %q", b)
	}
	// Nor is a name that exists only as a dangling link followed.
	link := filepath.Join(dir, "link.db")
	os.Symlink(filepath.Join(dir, "nowhere.db"), link)
	if err := live.Backup(ctx, link); !errors.Is(err, fs.ErrExist) {
		t.Errorf("dangling link: err = %v, want fs.ErrExist", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere.db")); err == nil {
		t.Errorf("the backup followed the link")
	}
}

func TestBackupCancelledLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	live, err := Open(context.Background(), filepath.Join(dir, "live.db"), pairs)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := dirNames(t, dir)
	if err := live.Backup(ctx, filepath.Join(dir, "copy.db")); err == nil {
		t.Fatalf("a cancelled backup succeeded")
	}
	if after := dirNames(t, dir); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("folder was %q, is %q after a failed backup", before, after)
	}
}

// The check must catch damage that a quick check would not: an index
// entry whose row changed under it.
func TestCheckCopyFindsDamage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	conn, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE t (v TEXT)`,
		`CREATE INDEX t_v ON t (v)`,
		`INSERT INTO t (v) VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')`,
	} {
		if _, err := conn.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	if err := checkCopy(ctx, path); err != nil {
		t.Fatalf("a sound file failed the check: %v", err)
	}
	// Change the value in the table's page only (the index page, written
	// later, comes after it): the row and its index entry now disagree.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte("aaaaaaaaaa"))
	if i < 0 {
		t.Fatal("value not found in the file")
	}
	b[i] = 'z'
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := checkCopy(ctx, path); err == nil || !strings.Contains(err.Error(), "missing from index") {
		t.Errorf("damaged file: err = %v, want a missing index entry", err)
	}
	// This is the damage quick_check does not look for.
	conn, err = sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var quick string
	if err := conn.QueryRow(`PRAGMA quick_check`).Scan(&quick); err != nil || quick != "ok" {
		t.Errorf("quick_check = %q (%v); the test no longer shows what integrity_check adds", quick, err)
	}
}
