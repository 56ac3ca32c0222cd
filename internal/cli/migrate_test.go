package cli

import (
	"context"
	"database/sql"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/internal/db/dbtest"
)

// readCommands are the commands that only read the database; each names
// the database with --db.
func readCommands(path, dir string) map[string][]string {
	return map[string][]string{
		"search":             {"search", "--db", path, "梧州"},
		"tags":               {"tags", "--db", path},
		"articles":           {"articles", "--db", path},
		"digest preview":     {"digest", "preview", "--db", path, "--chat", "console:local"},
		"digest deadletters": {"digest", "deadletters", "--db", path},
		"subscribers":        {"subscribers", "--db", path},
		"backup":             {"backup", "--db", path, filepath.Join(dir, "copy.db")},
	}
}

// fileSnapshot is what a command must leave alone: the files beside the
// database and its bytes.
func fileSnapshot(t *testing.T, path string) (names []string, content string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		// serve and demo take the delivery lock before they open the
		// database; the lock file is theirs, not the database's.
		if !strings.HasSuffix(e.Name(), ".deliver.lock") {
			names = append(names, e.Name())
		}
	}
	b, _ := os.ReadFile(path)
	return names, string(b)
}

// olderDatabase writes a database as the previous version of the program
// left it: the articles schema one step short.
func olderDatabase(t *testing.T, path string) {
	t.Helper()
	s := app.Schemas()
	s[0].Steps = s[0].Steps[:len(s[0].Steps)-1]
	conn, err := db.Open(context.Background(), path, s...)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
}

func versionsOf(t *testing.T, path string) map[string]int {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	v, err := db.Versions(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReadCommandsRefuseAMissingDatabaseAndCreateNothing(t *testing.T) {
	for name, args := range readCommands("", "") {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "typo.db")
			args = readCommands(path, dir)[name]
			code, out, errOut := run(t, nil, "", args...)
			if code != 1 || !strings.Contains(errOut, "no database at "+path+": run wzdaily ingest") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and \"no database at %s: run wzdaily ingest\"", code, out, errOut, path)
			}
			if names, _ := fileSnapshot(t, path); len(names) != 0 {
				t.Errorf("it left %v", names)
			}
		})
	}
}

func TestEveryCommandRefusesAnotherProgramsDatabase(t *testing.T) {
	cmds := func(path, dir string) map[string][]string {
		c := readCommands(path, dir)
		c["ingest"] = []string{"ingest", "--sample", "--db", path}
		c["demo"] = []string{"demo", "--db", path}
		c["migrate"] = []string{"migrate", "--db", path}
		c["serve"] = []string{"serve", "--db", path, "--poll", "0"}
		return c
	}
	for name := range cmds("", "") {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "other.db")
			conn, err := sql.Open("sqlite3", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(`CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT); INSERT INTO photos (file) VALUES ('a.jpg')`); err != nil {
				t.Fatal(err)
			}
			conn.Close()
			names, content := fileSnapshot(t, path)
			code, _, errOut := run(t, nil, "", cmds(path, dir)[name]...)
			if code != 1 || !strings.Contains(errOut, path+" is not a wzdaily database") || !strings.Contains(errOut, "photos") {
				t.Errorf("exit %d, stderr %q; want 1 and that %s is not a wzdaily database", code, errOut, path)
			}
			if after, afterContent := fileSnapshot(t, path); !slices.Equal(after, names) || afterContent != content {
				t.Errorf("the other program's file changed: files %v → %v, content changed %v", names, after, afterContent != content)
			}
		})
	}
}

func TestEveryCommandRefusesAFileThatIsNotSQLite(t *testing.T) {
	for _, args := range [][]string{{"search", "x"}, {"tags"}, {"ingest", "--sample"}, {"migrate"}, {"demo"}} {
		dir := t.TempDir()
		path := filepath.Join(dir, "notes.db")
		os.WriteFile(path, []byte(strings.Repeat("my notes, not a database\n", 100)), 0o644)
		names, content := fileSnapshot(t, path)
		code, _, errOut := run(t, nil, "", append(args, "--db", path)...)
		if code != 1 || !strings.Contains(errOut, path+" is not a SQLite database") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and that %s is not a SQLite database", args, code, errOut, path)
		}
		if after, afterContent := fileSnapshot(t, path); !slices.Equal(after, names) || afterContent != content {
			t.Errorf("%v: the file changed", args)
		}
	}
}

func TestReadCommandsRefuseAnOlderSchemaAndMigrateUpgradesIt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "old.db")
	olderDatabase(t, path)
	before := versionsOf(t, path)
	for name, args := range readCommands(path, dir) {
		if name == "backup" {
			continue // see TestBackupCopiesAnOlderSchemaWithoutMigrating
		}
		code, _, errOut := run(t, nil, "", args...)
		if code != 1 || !strings.Contains(errOut, "run wzdaily migrate") || !strings.Contains(errOut, "older schema") {
			t.Errorf("%s: exit %d, stderr %q; want 1 and \"run wzdaily migrate\"", name, code, errOut)
		}
	}
	// digest run writes, but does not migrate either.
	if code, _, errOut := run(t, nil, "", "digest", "run", "--db", path); code != 1 || !strings.Contains(errOut, "run wzdaily migrate") {
		t.Errorf("digest run: exit %d, stderr %q; want 1 and \"run wzdaily migrate\"", code, errOut)
	}
	if after := versionsOf(t, path); !maps.Equal(after, before) {
		t.Fatalf("a read command migrated the database: %v → %v", before, after)
	}

	code, out, errOut := run(t, nil, "", "migrate", "--db", path)
	latest := len(app.Schemas()[0].Steps)
	want := []string{"Migrated " + path + ":", "articles", "version " + strconv.Itoa(latest-1) + " → " + strconv.Itoa(latest)}
	for _, w := range want {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("migrate: exit %d, stdout %q, stderr %q; want it to say %q", code, out, errOut, w)
		}
	}
	if strings.Contains(out, "subscribers") {
		t.Errorf("migrate names a schema it did not change: %q", out)
	}
	code, out, _ = run(t, nil, "", "migrate", "--db", path)
	if code != 0 || !strings.Contains(out, path+" is already up to date") || !strings.Contains(out, "articles "+strconv.Itoa(latest)) {
		t.Errorf("migrate again: exit %d, %q; want \"already up to date\"", code, out)
	}
	for name, args := range readCommands(path, dir) {
		os.Remove(filepath.Join(dir, "copy.db"))
		if code, out, errOut := run(t, nil, "", args...); code != 0 && !(name == "digest preview" && strings.Contains(errOut, "not found")) {
			t.Errorf("%s after migrate: exit %d\n%s\n%s", name, code, out, errOut)
		}
	}
}

func TestMigrateCreatesAMissingDatabaseAndSaysSo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	code, out, errOut := run(t, nil, "", "migrate", "--db", path)
	if code != 0 || !strings.Contains(out, "Created "+path+":") {
		t.Fatalf("migrate: exit %d, %q %q", code, out, errOut)
	}
	for _, s := range app.Schemas() {
		if !strings.Contains(out, s.Name) || !strings.Contains(out, "version 0 → ") {
			t.Errorf("the output does not say %s went from 0: %q", s.Name, out)
		}
	}
	if code, out, _ := run(t, nil, "", "tags", "--db", path); code != 0 || !strings.Contains(out, "No articles yet") {
		t.Errorf("tags on the new database: %d %q", code, out)
	}
}

func TestMigrateRefusesWhileServeDelivers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	olderDatabase(t, path)
	before := versionsOf(t, path)
	lock, err := digest.AcquireLock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errOut := run(t, nil, "", "migrate", "--db", path)
	if code != 1 || !strings.Contains(errOut, "stop serve") {
		t.Errorf("exit %d, %q; want a refusal saying to stop serve", code, errOut)
	}
	if after := versionsOf(t, path); !maps.Equal(after, before) {
		t.Errorf("migrated under a running serve: %v → %v", before, after)
	}
}

func TestBackupCopiesAnOlderSchemaWithoutMigrating(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "old.db")
	olderDatabase(t, path)
	before := versionsOf(t, path)
	copyPath := filepath.Join(dir, "copy.db")
	code, out, errOut := run(t, nil, "", "backup", "--db", path, copyPath)
	if code != 0 || !strings.Contains(out, "integrity ok") || !strings.Contains(out, "run wzdaily migrate") {
		t.Fatalf("backup: exit %d\n%s\n%s", code, out, errOut)
	}
	if after := versionsOf(t, path); !maps.Equal(after, before) {
		t.Errorf("backup migrated the database it copied: %v → %v", before, after)
	}
	if got := versionsOf(t, copyPath); !maps.Equal(got, before) {
		t.Errorf("the copy is at %v, want the database's own %v", got, before)
	}
}

// TestReadCommandsWorkOnAReadOnlyMedium: the database on a medium that
// nobody may write, folder and file; the commands that write say why
// they cannot.
func TestReadCommandsWorkOnAReadOnlyMedium(t *testing.T) {
	src := filepath.Join(t.TempDir(), "x.db")
	if code, _, errOut := run(t, nil, "订阅 工业\n", "demo", "--db", src); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	ro := dbtest.ReadOnlyCopy(t, src)
	path := filepath.Join(ro, "x.db")
	out := t.TempDir()
	for name, args := range readCommands(path, out) {
		code, stdout, errOut := run(t, nil, "", args...)
		if code != 0 {
			t.Errorf("%s on a read-only medium: exit %d\n%s\n%s", name, code, stdout, errOut)
		}
	}
	for _, args := range [][]string{{"ingest", "--sample"}, {"serve", "--poll", "0"}, {"demo"}} {
		code, _, errOut := run(t, nil, "", append(args, "--db", path)...)
		if code != 1 || !strings.Contains(errOut, "the folder "+ro+" is not writable") || !strings.Contains(errOut, "x.db-wal") {
			t.Errorf("%v: exit %d, %q; want 1 and that the folder is not writable and SQLite needs x.db-wal and x.db-shm", args, code, errOut)
		}
	}
	// migrate looks before it writes: an up-to-date database is left as it is.
	if code, out, errOut := run(t, nil, "", "migrate", "--db", path); code != 0 || !strings.Contains(out, "already up to date") {
		t.Errorf("migrate of an up-to-date database on a read-only medium: exit %d\n%s\n%s", code, out, errOut)
	}
	old := filepath.Join(t.TempDir(), "old.db")
	olderDatabase(t, old)
	oldRO := filepath.Join(dbtest.ReadOnlyCopy(t, old), "old.db")
	code, _, errOut := run(t, nil, "", "migrate", "--db", oldRO)
	if code != 1 || !strings.Contains(errOut, "is not writable") || !strings.Contains(errOut, "old.db-wal and old.db-shm") {
		t.Errorf("migrate of an older database on a read-only medium: exit %d, %q", code, errOut)
	}
}

// TestTheDatabaseAndItsLockAreTheOwnersOnly: they hold chat ids. An
// older world-readable database and lock file are made private too.
func TestTheDatabaseAndItsLockAreTheOwnersOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	mode := func(p string) os.FileMode {
		t.Helper()
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Mode().Perm()
	}
	dir := t.TempDir()
	for _, args := range [][]string{{"ingest", "--sample"}, {"demo"}, {"migrate"}} {
		path := filepath.Join(dir, args[0]+".db")
		if code, _, errOut := run(t, nil, "", append(args, "--db", path)...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
		if m := mode(path); m != 0o600 {
			t.Errorf("%v made the database %#o, want 0600", args, m)
		}
	}
	path := filepath.Join(dir, "older.db")
	olderDatabase(t, path)
	os.Chmod(path, 0o644)
	os.WriteFile(path+".deliver.lock", []byte("1\n"), 0o644)
	os.Chmod(path+".deliver.lock", 0o644)
	if code, _, errOut := run(t, nil, "", "migrate", "--db", path); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	for _, p := range []string{path, path + ".deliver.lock"} {
		if m := mode(p); m != 0o600 {
			t.Errorf("%s is %#o after migrate, want 0600", filepath.Base(p), m)
		}
	}
}

// TestMigrateRetagsArticlesOfAnOlderBuiltInTable: a new version whose
// built-in topic table changed leaves the schema alone but tags stored
// articles again, once, and says so; tags says when they are stale.
func TestMigrateRetagsArticlesOfAnOlderBuiltInTable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	conn, err := app.Open(ctx, path, db.Create)
	if err != nil {
		t.Fatal(err)
	}
	old, err := articles.ParseTopics(strings.NewReader("汽车: 汽车 蔚来\n"))
	if err != nil {
		t.Fatal(err)
	}
	// The older version tags with its own built-in table, not stored.
	if _, err := articles.NewStore(conn, articles.StoreOptions{Topics: old}).Ingest(ctx, sampleSource(DefaultSite), articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	const stale = "The topic tags were given by another table than the one in force"
	if _, out, _ := run(t, nil, "", "tags", "--db", path); !strings.Contains(out, "汽车  (topic)") || !strings.Contains(out, stale) {
		t.Errorf("tags before migrate does not say the tags are stale:\n%s", out)
	}
	code, out, errOut := run(t, nil, "", "migrate", "--db", path)
	if code != 0 || out != "Tagged 105 articles again with the built-in table (11 topics): they had been tagged with another table (the built-in table of an older version, or one set since).\n" {
		t.Errorf("migrate: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := run(t, nil, "", "migrate", "--db", path); code != 0 || !strings.Contains(out, "is already up to date") {
		t.Errorf("migrate again: exit %d, %q", code, out)
	}
	if _, out, _ := run(t, nil, "", "tags", "--db", path); strings.Contains(out, "汽车") || strings.Contains(out, stale) || !strings.Contains(out, "医疗  (topic)") {
		t.Errorf("tags after migrate:\n%s", out)
	}
}
