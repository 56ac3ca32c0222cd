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
	src := &Dir{FS: os.DirFS(root), Label: "dir:test", Post: PostOptions{SiteURL: "https://finews.withounder.com"}}
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
	// The 4 posts in both folders differ by their date's zone (see
	// TestIngestCorpusStoresEachArticleOnce): the old_post/ copy updates.
	if rep.Read != 110 || rep.New != 105 || rep.Updated != 4 || rep.Unchanged != 0 || rep.Rejected != 1 {
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

func TestDirReadsSkippedFilesWhenTheFilterWidens(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	src := func(cats ...string) *Dir {
		return &Dir{FS: sample.FS(), Label: "sample", Match: Filter{Categories: cats}}
	}
	rep, err := store.Ingest(ctx, src("wuzhouribao"), articles.IngestOptions{})
	if err != nil || rep.New != 1 || rep.Skipped != 108 {
		t.Fatalf("with the default category: %+v %v", rep, err)
	}
	// The same filter again reads nothing: it has seen them all.
	if rep, err = store.Ingest(ctx, src("wuzhouribao"), articles.IngestOptions{}); err != nil || rep.Read != 0 {
		t.Fatalf("the same filter again: %+v %v", rep, err)
	}
	// --category '': the files skipped before are read now.
	if rep, err = store.Ingest(ctx, src(), articles.IngestOptions{}); err != nil || rep.New != 104 || rep.Skipped != 0 || rep.Read != 108 {
		t.Fatalf("every category after the default one: %+v %v; want the 108 skipped files read", rep, err)
	}
	for _, cats := range [][]string{nil, {"wuzhouribao"}, {"emnews", "wuzhouribao"}} {
		if rep, err = store.Ingest(ctx, src(cats...), articles.IngestOptions{}); err != nil || rep.Read != 0 {
			t.Errorf("categories %v after everything was stored: %+v %v; want nothing read", cats, rep, err)
		}
	}
}

func TestOpenDirNamesTheFolderByItsResolvedPath(t *testing.T) {
	root := copyCorpus(t)
	parent, name := filepath.Dir(root), filepath.Base(root)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(parent))
	store := newStore(t)
	var labels []string
	for i, p := range []string{name, name + "/", "./" + name + "/../" + name, root, link} {
		d, err := OpenDir(p)
		if err != nil {
			t.Fatalf("OpenDir(%q): %v", p, err)
		}
		labels = append(labels, d.Name())
		rep, err := store.Ingest(context.Background(), d, articles.IngestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && rep.Read != 0 {
			t.Errorf("%q read %d files again: it is another source (%s)", p, rep.Read, d.Name())
		}
	}
	for _, l := range labels {
		if l != labels[0] {
			t.Errorf("labels %q: one folder, several sources", labels)
			break
		}
	}
	if list, _ := store.Sources(context.Background()); len(list) != 1 {
		t.Errorf("%d sources recorded, want 1: %+v", len(list), list)
	}
	for _, bad := range []string{"missing", filepath.Join(root, "_posts", "2021-12-01-init.md")} {
		if _, err := OpenDir(bad); err == nil {
			t.Errorf("OpenDir(%q) succeeded", bad)
		}
	}
}
