package source

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/sample"
)

func newStore(t *testing.T) *articles.Store {
	t.Helper()
	return articles.NewStore(dbtest.Open(t, articles.Schema()), articles.StoreOptions{})
}

// copyCorpus writes the embedded corpus to a fresh folder, as a clone of
// the site's repository would look.
func copyCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(sample.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sample.FS(), p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDirIngestIsIncremental(t *testing.T) {
	ctx := context.Background()
	root := copyCorpus(t)
	store := newStore(t)
	src := &Dir{FS: os.DirFS(root), Label: "dir:test", Post: articles.PostOptions{SiteURL: "https://finews.withounder.com"}}
	var progress []int
	rep, err := store.Ingest(ctx, src, articles.IngestOptions{Progress: func(done, expected int) {
		progress = append(progress, done)
		if expected != 110 {
			t.Errorf("expected %d, want 110", expected)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Read != 110 || rep.New != 105 || rep.Unchanged != 4 || rep.Rejected != 1 {
		t.Fatalf("first run: %+v", rep)
	}
	if len(progress) != 110 || progress[109] != 110 {
		t.Errorf("progress called %d times", len(progress))
	}
	if !strings.Contains(rep.Rejections[0].Error(), "_posts/-202205262391921712.md") {
		t.Errorf("rejection does not name the file: %v", rep.Rejections[0])
	}

	rep, err = store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.Read != 0 || rep.New != 0 {
		t.Fatalf("second run read again: %+v %v", rep, err)
	}

	// An edited post and a new one: only those two are read.
	edited := filepath.Join(root, "_posts", "2021-12-01-init.md")
	if err := os.WriteFile(edited, []byte("---\ntitle: \"开站大吉\"\ndate: 2021-12-01 13:33:50\ncategories: sitenews\ntags: 站长消息\n---\n\n祝贺开站，欢迎订阅。"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(edited, time.Now(), time.Now().Add(time.Minute))
	fresh := filepath.Join(root, "_posts", "2026-11-25-NW202611250000000001.md")
	if err := os.WriteFile(fresh, []byte("---\ntitle: \"西江大桥今日通车\"\ndate: 2026-11-25 09:00:00 +0800\ncategories: wuzhouribao\ntags: 梧州日报新闻\n---\n<p>西江大桥今日正式通车。</p>\n\n<http://example.com/x>"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.Read != 2 || rep.New != 1 || rep.Updated != 1 {
		t.Fatalf("third run: %+v %v", rep, err)
	}
	a, err := store.Get(ctx, "init")
	if err != nil || a.Body != "祝贺开站，欢迎订阅。" {
		t.Errorf("edited post: %+v %v", a, err)
	}
}

func TestDirFilterKeepsTheCategory(t *testing.T) {
	store := newStore(t)
	src := &Dir{FS: sample.FS(), Label: "sample", Match: Filter{Categories: []string{"wuzhouribao"}}}
	rep, err := store.Ingest(context.Background(), src, articles.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Read != 110 || rep.New != 1 || rep.Skipped != 108 || rep.Rejected != 1 {
		t.Fatalf("report %+v", rep)
	}
}

func TestDirWithoutPostFolders(t *testing.T) {
	src := &Dir{FS: os.DirFS(t.TempDir()), Label: "empty"}
	_, err := newStore(t).Ingest(context.Background(), src, articles.IngestOptions{})
	if err == nil || !strings.Contains(err.Error(), "_posts") {
		t.Fatalf("err = %v, want one naming the missing folders", err)
	}
}
