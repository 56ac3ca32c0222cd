package sample

import (
	"io/fs"
	"path"
	"testing"
)

func TestFSHoldsTheCorpusAndLayouts(t *testing.T) {
	count := map[string]int{}
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			count[path.Dir(p)]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count["_posts"] != 65 || count["old_post"] != 45 {
		t.Errorf("posts: _posts=%d old_post=%d, want 65 and 45", count["_posts"], count["old_post"])
	}
	if count["site/_layouts"] != 3 {
		t.Errorf("layouts: %d, want 3 (files starting with _ must be embedded)", count["site/_layouts"])
	}
}

func TestPostsAreTheFilesOfBothFolders(t *testing.T) {
	posts := Posts()
	if len(posts) != 110 {
		t.Fatalf("%d posts, want 110", len(posts))
	}
	raw, err := fs.ReadFile(FS(), "old_post/2021-12-08-202112082206672930.md")
	if err != nil {
		t.Fatal(err)
	}
	if got := posts["old_post/2021-12-08-202112082206672930.md"]; string(got) != string(raw) {
		t.Errorf("Posts()[old_post/…] = %d bytes, want the file's %d", len(got), len(raw))
	}
}
