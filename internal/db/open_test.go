package db_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"wzdaily/internal/db"
	"wzdaily/internal/db/dbtest"
)

// things is a schema of two steps; thingsV1 is its first version, as an
// older program had it.
var (
	thingsV1 = db.Schema{Name: "things", Steps: []db.Step{db.SQL(`CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)`)}}
	things   = db.Schema{Name: "things", Steps: append(slices.Clone(thingsV1.Steps), db.SQL(`INSERT INTO things (name) VALUES ('first')`))}
)

func create(t *testing.T, path string, s db.Schema) {
	t.Helper()
	conn, err := db.Open(context.Background(), path, s)
	if err != nil {
		t.Fatalf("create %s: %v", path, err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
}

// foreign writes a SQLite file as another program would.
func foreign(t *testing.T, path string, stmts string) {
	t.Helper()
	conn, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(stmts); err != nil {
		t.Fatal(err)
	}
}

func tablesOf(t *testing.T, path string) []string {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	return names
}

var readOnly = db.Options{Access: db.ReadOnly}

func TestOpenCreatesTheDatabaseAndItsWALFilesForTheOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	path := filepath.Join(t.TempDir(), "x.db")
	conn, err := db.Open(context.Background(), path, things)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if !conn.Created() {
		t.Errorf("Created() = false for a new file")
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %#o, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

func TestOpenForWritingRestrictsAnExistingDatabaseToItsOwner(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	create(t, path, things)
	// As earlier versions left it, and its WAL files too.
	hold, err := db.OpenWith(context.Background(), path, readOnly, things)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := db.Open(context.Background(), path, things)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %#o after an open for writing, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

func TestOpenReportsWhatItMigrated(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	create(t, path, thingsV1)
	conn, err := db.Open(ctx, path, things)
	if err != nil {
		t.Fatal(err)
	}
	want := []db.Upgrade{{Schema: "things", From: 1, To: 2}}
	if got := conn.Upgrades(); !slices.Equal(got, want) || conn.Created() {
		t.Errorf("Upgrades() = %v, Created() = %v; want %v, false", got, conn.Created(), want)
	}
	conn.Close()
	conn, err = db.Open(ctx, path, things)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := conn.Upgrades(); len(got) != 0 {
		t.Errorf("an up-to-date database: Upgrades() = %v, want none", got)
	}
}

func TestOpenWithoutCreateRefusesAMissingFileAndMakesNone(t *testing.T) {
	for name, access := range map[string]db.Access{"read-only": db.ReadOnly, "read-write": db.ReadWrite} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "typo.db")
			_, err := db.OpenWith(context.Background(), path, db.Options{Access: access}, things)
			if !errors.Is(err, db.ErrNoDatabase) || !strings.Contains(err.Error(), "no database at "+path+": run wzdaily ingest") {
				t.Errorf("err = %v, want ErrNoDatabase naming the file and saying to run wzdaily ingest", err)
			}
			if names, _ := os.ReadDir(filepath.Dir(path)); len(names) != 0 {
				t.Errorf("the folder has %v, want nothing", names)
			}
			// An empty file is no database either.
			os.WriteFile(path, nil, 0o600)
			if _, err := db.OpenWith(context.Background(), path, db.Options{Access: access}, things); !errors.Is(err, db.ErrNoDatabase) {
				t.Errorf("an empty file: err = %v, want ErrNoDatabase", err)
			}
		})
	}
}

func TestEveryOpenRefusesAnotherProgramsDatabase(t *testing.T) {
	cases := map[string]string{
		"tables of its own":         `CREATE TABLE users (id INTEGER); CREATE TABLE orders (id INTEGER)`,
		"its own schema_versions":   `CREATE TABLE schema_versions (name TEXT, version INTEGER); INSERT INTO schema_versions VALUES ('users', 3)`,
		"its own application id":    `PRAGMA application_id = 42`,
		"one of our names, no id":   `CREATE TABLE things (id INTEGER)`,
		"empty schema_versions":     `CREATE TABLE schema_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL)`,
		"a journal mode of its own": `PRAGMA journal_mode = DELETE; CREATE TABLE notes (body TEXT)`,
	}
	for name, stmts := range cases {
		for _, access := range []db.Access{db.Create, db.ReadWrite, db.ReadOnly} {
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "other.db")
				foreign(t, path, stmts)
				before := tablesOf(t, path)
				beforeBytes, _ := os.ReadFile(path)
				_, err := db.OpenWith(context.Background(), path, db.Options{Access: access}, things)
				if !errors.Is(err, db.ErrNotOurs) || !strings.Contains(err.Error(), "not a wzdaily database") {
					t.Errorf("access %d: err = %v, want ErrNotOurs", access, err)
				}
				if after := tablesOf(t, path); !slices.Equal(after, before) {
					t.Errorf("access %d: tables went from %v to %v", access, before, after)
				}
				if afterBytes, _ := os.ReadFile(path); string(afterBytes) != string(beforeBytes) {
					t.Errorf("access %d: the file changed", access)
				}
			})
		}
	}
}

func TestEveryOpenRefusesAFileThatIsNotSQLite(t *testing.T) {
	for _, access := range []db.Access{db.Create, db.ReadWrite, db.ReadOnly} {
		path := filepath.Join(t.TempDir(), "notes.txt")
		text := strings.Repeat("not a database, just some notes\n", 200)
		os.WriteFile(path, []byte(text), 0o600)
		_, err := db.OpenWith(context.Background(), path, db.Options{Access: access}, things)
		if !errors.Is(err, db.ErrNotSQLite) || !strings.Contains(err.Error(), path+" is not a SQLite database") {
			t.Errorf("access %d: err = %v, want ErrNotSQLite naming the file", access, err)
		}
		if b, _ := os.ReadFile(path); string(b) != text {
			t.Errorf("access %d: the file changed", access)
		}
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(path + suffix); err == nil {
				t.Errorf("access %d: %s%s was left", access, path, suffix)
			}
		}
	}
	dir := t.TempDir()
	if _, err := db.OpenWith(context.Background(), dir, readOnly, things); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("a folder: err = %v", err)
	}
}

func TestOpenWithoutCreateRefusesAnOlderSchemaAndLeavesIt(t *testing.T) {
	ctx := context.Background()
	for name, access := range map[string]db.Access{"read-only": db.ReadOnly, "read-write": db.ReadWrite} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			create(t, path, thingsV1)
			_, err := db.OpenWith(ctx, path, db.Options{Access: access}, things)
			if !errors.Is(err, db.ErrStale) || !strings.Contains(err.Error(), "run wzdaily migrate") || !strings.Contains(err.Error(), "things at version 1 of 2") {
				t.Errorf("err = %v, want ErrStale saying which schema and to run wzdaily migrate", err)
			}
			conn, err := db.OpenWith(ctx, path, readOnly, thingsV1)
			if err != nil {
				t.Fatalf("the file no longer opens at its own version: %v", err)
			}
			defer conn.Close()
			if v, _ := db.Versions(ctx, conn.DB); v["things"] != 1 {
				t.Errorf("versions = %v, want things=1", v)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "x.db")
	create(t, path, thingsV1)
	conn, err := db.OpenWith(ctx, path, db.Options{Access: db.ReadOnly, AnyVersion: true}, things)
	if err != nil {
		t.Fatalf("AnyVersion: %v", err)
	}
	defer conn.Close()
	if want := []db.Upgrade{{Schema: "things", From: 1, To: 2}}; !slices.Equal(conn.Pending(), want) {
		t.Errorf("Pending() = %v, want %v", conn.Pending(), want)
	}
	newer := filepath.Join(t.TempDir(), "newer.db")
	create(t, newer, things)
	if _, err := db.OpenWith(ctx, newer, readOnly, thingsV1); !errors.Is(err, db.ErrTooNew) {
		t.Errorf("a newer schema read-only: err = %v, want ErrTooNew", err)
	}
}

// A file written before databases were marked with an application id.
func TestOpenRecognisesADatabaseOfAnEarlierVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	foreign(t, path, `PRAGMA journal_mode = WAL;
		CREATE TABLE schema_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL);
		INSERT INTO schema_versions VALUES ('things', 1);
		CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)`)
	if _, err := db.OpenWith(ctx, path, readOnly, things); !errors.Is(err, db.ErrStale) {
		t.Fatalf("read-only: err = %v, want ErrStale", err)
	}
	conn, err := db.Open(ctx, path, things)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	conn.Close()
	conn, err = db.OpenWith(ctx, path, readOnly, things)
	if err != nil {
		t.Fatalf("read-only after the migration: %v", err)
	}
	defer conn.Close()
	var name string
	if err := conn.QueryRow(`SELECT name FROM things`).Scan(&name); err != nil || name != "first" {
		t.Errorf("things: %q %v", name, err)
	}
}

func TestReadOnlyOpenNeverWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	create(t, path, things)
	conn, err := db.OpenWith(ctx, path, readOnly, things)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Write(ctx, func(tx *sql.Tx) error { return nil }); !errors.Is(err, db.ErrReadOnly) {
		t.Errorf("Write: %v, want ErrReadOnly", err)
	}
	if err := conn.Heartbeat(ctx); !errors.Is(err, db.ErrReadOnly) {
		t.Errorf("Heartbeat: %v, want ErrReadOnly", err)
	}
	if _, err := conn.Exec(`INSERT INTO things (name) VALUES ('x')`); err == nil {
		t.Errorf("SQLite took a write on a read-only open")
	}
}

// TestReadOnlyOpenWorksOnAReadOnlyMedium: a WAL database whose folder and
// file nobody may write to, as on a read-only mount or a backup disk.
func TestReadOnlyOpenWorksOnAReadOnlyMedium(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "x.db")
	create(t, src, things)

	count := func(t *testing.T, path string) {
		t.Helper()
		conn, err := db.OpenWith(ctx, path, readOnly, things)
		if err != nil {
			t.Fatalf("read-only open: %v", err)
		}
		defer conn.Close()
		var n int
		if err := conn.QueryRow(`SELECT count(*) FROM things`).Scan(&n); err != nil || n < 1 {
			t.Fatalf("count = %d, %v", n, err)
		}
	}
	t.Run("closed cleanly", func(t *testing.T) {
		// No -wal and no -shm: SQLite would create -shm to read.
		dir := dbtest.ReadOnlyCopy(t, src)
		count(t, filepath.Join(dir, "x.db"))
	})

	// A copy taken while a writer has transactions in the WAL.
	live, err := db.Open(ctx, src, things)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if _, err := live.Exec(`INSERT INTO things (name) VALUES ('in the wal')`); err != nil {
		t.Fatal(err)
	}
	t.Run("with its -wal and -shm", func(t *testing.T) {
		dir := dbtest.ReadOnlyCopy(t, src, src+"-wal", src+"-shm")
		count(t, filepath.Join(dir, "x.db"))
		conn, err := db.OpenWith(ctx, filepath.Join(dir, "x.db"), readOnly, things)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var n int
		if conn.QueryRow(`SELECT count(*) FROM things WHERE name = 'in the wal'`).Scan(&n); n != 1 {
			t.Errorf("the transaction in the WAL is not read")
		}
	})
	t.Run("with a -wal but no -shm", func(t *testing.T) {
		dir := dbtest.ReadOnlyCopy(t, src, src+"-wal")
		path := filepath.Join(dir, "x.db")
		_, err := db.OpenWith(ctx, path, readOnly, things)
		if err == nil || !strings.Contains(err.Error(), "not writable") || !strings.Contains(err.Error(), "-shm") {
			t.Errorf("err = %v, want a refusal saying the folder is not writable and SQLite needs -shm", err)
		}
	})
}

// TestOpenForWritingInAReadOnlyFolderSaysWhy: SQLite's own words are
// "unable to open database file: no such file or directory".
func TestOpenForWritingInAReadOnlyFolderSaysWhy(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "x.db")
	create(t, src, things)
	dir := dbtest.ReadOnlyCopy(t, src)
	for name, path := range map[string]string{"existing": filepath.Join(dir, "x.db"), "new": filepath.Join(dir, "new.db")} {
		for _, access := range []db.Access{db.Create, db.ReadWrite} {
			_, err := db.OpenWith(ctx, path, db.Options{Access: access}, things)
			if name == "new" && access == db.ReadWrite {
				if !errors.Is(err, db.ErrNoDatabase) {
					t.Errorf("%s, access %d: err = %v, want ErrNoDatabase", name, access, err)
				}
				continue
			}
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if !errors.Is(err, db.ErrReadOnly) || !strings.Contains(msg, "the folder "+dir+" is not writable") ||
				!strings.Contains(msg, "x.db-wal") && !strings.Contains(msg, "new.db-wal") {
				t.Errorf("%s, access %d: err = %v, want ErrReadOnly saying the folder is not writable and SQLite needs -wal and -shm", name, access, err)
			}
		}
	}
}

func TestOpenWithCreateRefusesAMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "x.db")
	_, err := db.Open(context.Background(), path, things)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("err = %v, want one saying the folder does not exist", err)
	}
}
