package app

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/db"
	"wzdaily/internal/logtest"
	"wzdaily/internal/sample"
)

// olderVersion stores the sample as a version of the program whose
// built-in topic table was another does: tagged with that table, which is
// the store's own and not stored in the database.
func olderVersion(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	conn, err := Open(ctx, path, db.Create)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	old, err := articles.ParseTopics(strings.NewReader("汽车: 汽车 蔚来\n交通: 道路\n"))
	if err != nil {
		t.Fatal(err)
	}
	store := articles.NewStore(conn, articles.StoreOptions{Topics: old})
	if _, err := store.Ingest(ctx, &source.Dir{FS: sample.FS(), Label: "sample"}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
}

func topicsOf(t *testing.T, a *App, id string) []string {
	t.Helper()
	art, err := a.Articles.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(slices.Values(art.Topics))
}

// TestAnUpgradedBotRetagsOnceWithTheNewBuiltInTable: serve of a version
// whose built-in table changed tags the stored articles again when it
// starts, before its first poll (or with polling off), and only once; a
// read-only command changes nothing.
func TestAnUpgradedBotRetagsOnceWithTheNewBuiltInTable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	olderVersion(t, path)
	logs := logtest.Capture(t)

	ro, err := New(ctx, Options{Settings: Settings{DB: path}, Access: db.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	if got := topicsOf(t, ro, "202112082206736198"); !slices.Equal(got, []string{"交通"}) {
		t.Errorf("a read-only start changed the stored tags to %v", got)
	}
	ro.Close()

	for start := range 2 {
		a, err := New(ctx, Options{Settings: Settings{DB: path}, Access: db.Create})
		if err != nil {
			t.Fatal(err)
		}
		if got := topicsOf(t, a, "202112082206736198"); got != nil {
			t.Errorf("start %d: the debt-ceiling story keeps the older table's %v", start, got)
		}
		if got := topicsOf(t, a, "202112082206753163"); !slices.Equal(got, []string{"医疗"}) {
			t.Errorf("start %d: the drug recall has %v, want 医疗 from the built-in table", start, got)
		}
		current, err := a.Articles.TopicsCurrent(ctx)
		if err != nil || !current {
			t.Errorf("start %d: topics current = %v, %v", start, current, err)
		}
		a.Close()
	}
	if n := logs.Count("Tagged articles again with a changed topic table"); n != 1 || !strings.Contains(logs.String(), "articles=105") {
		t.Errorf("logged the retag %d times, want once with 105 articles:\n%s", n, logs)
	}
}
