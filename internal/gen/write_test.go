package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteDir(t *testing.T) {
	g := newTestGenerator(t, 1)
	dir := filepath.Join(t.TempDir(), "site")
	if err := g.WriteDir(dir, 10, 40); err != nil {
		t.Fatalf("WriteDir: %v", err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "_posts"))
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	if len(entries) != 30 {
		t.Fatalf("%d files written, want 30", len(entries))
	}
	for i := 10; i < 40; i++ {
		p := g.Post(i)
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p.Name)))
		if err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
		if !bytes.Equal(got, p.Raw) {
			t.Errorf("post %d: file content differs from Post(%d).Raw", i, i)
		}
	}
}

func TestWriteDirRejectsBadRange(t *testing.T) {
	g := newTestGenerator(t, 1)
	if err := g.WriteDir(t.TempDir(), 5, 4); err == nil {
		t.Error("WriteDir(5, 4) succeeded, want an error")
	}
}
