package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"wzdaily/articles"
)

// Dir reads posts from a clone of the site's repository. It remembers each
// file's size and modification time, so a second run reads only files that
// are new or changed. A file the filter skipped is remembered with the
// filter: a run with another filter reads it again.
type Dir struct {
	FS    fs.FS
	Label string   // names the source in state and reports, e.g. "dir:/srv/finews"; see OpenDir
	Dirs  []string // folders of posts; default _posts and old_post
	Post  PostOptions
	Match Filter // which posts to keep; zero keeps all
}

// Filter keeps posts in any of the categories or with any of the tags.
// An empty filter keeps everything.
type Filter struct {
	Categories []string
	Tags       []string
}

// Keep reports whether the filter keeps a.
func (f Filter) Keep(a *articles.Article) bool {
	if len(f.Categories) == 0 && len(f.Tags) == 0 {
		return true
	}
	return overlaps(f.Categories, a.Categories) || overlaps(f.Tags, a.Tags)
}

func overlaps(want, have []string) bool {
	return slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
}

// OpenDir returns a Dir over the folder at path, named by the folder's
// resolved path (absolute, symbolic links followed), so that "../x",
// "../x/" and a link to it are one source with one memory.
func OpenDir(path string) (*Dir, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("dir source: unable to resolve %s: %w", path, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("dir source: unable to open %s: %w", path, err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("dir source: unable to open %s: %w", path, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("dir source: %s is not a folder", path)
	}
	return &Dir{FS: os.DirFS(real), Label: "dir:" + real}, nil
}

// key names the filter in the state of the files it skipped.
func (f Filter) key() string {
	c, t := slices.Clone(f.Categories), slices.Clone(f.Tags)
	slices.Sort(c)
	slices.Sort(t)
	return "skipped by categories=" + strings.Join(slices.Compact(c), ",") + " tags=" + strings.Join(slices.Compact(t), ",")
}

// Name implements articles.Source.
func (d *Dir) Name() string { return d.Label }

// Fetch implements articles.Source.
func (d *Dir) Fetch(ctx context.Context, state articles.State, emit func(articles.Item) error) error {
	dirs := d.Dirs
	if len(dirs) == 0 {
		dirs = []string{"_posts", "old_post"}
	}
	type file struct {
		name    string
		version string
		size    int64
	}
	var todo []file
	found := 0
	skippedBy := d.Match.key()
	for _, dir := range dirs {
		entries, err := fs.ReadDir(d.FS, dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("dir source: unable to list %s: %w", dir, err)
		}
		found++
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
				continue
			}
			info, err := e.Info()
			if err != nil {
				return fmt.Errorf("dir source: unable to stat %s: %w", e.Name(), err)
			}
			name := path.Join(dir, e.Name())
			version := fmt.Sprintf("%d:%d", info.Size(), info.ModTime().UnixNano())
			old, err := state.Get(ctx, "file:"+name)
			if err != nil {
				return err
			}
			if old != version && old != skippedBy+" "+version {
				todo = append(todo, file{name: name, version: version, size: info.Size()})
			}
		}
	}
	if found == 0 {
		return fmt.Errorf("dir source: none of the folders %s exists; point it at a clone of the site's repository", strings.Join(dirs, ", "))
	}
	if err := emit(articles.Item{Expect: len(todo)}); err != nil {
		return err
	}
	for _, f := range todo {
		if err := ctx.Err(); err != nil {
			return err
		}
		it := articles.Item{Name: f.name, Key: "file:" + f.name, Value: f.version}
		raw, err := fs.ReadFile(d.FS, f.name)
		if err != nil {
			return fmt.Errorf("dir source: unable to read %s: %w", f.name, err)
		}
		a, err := ParsePost(f.name, raw, d.Post)
		switch {
		case err != nil:
			it.Err = err
		case d.Match.Keep(a):
			it.Article = a
		default:
			// Seen by this filter only: a run that keeps more reads it.
			it.Skipped = true
			it.Value = skippedBy + " " + f.version
		}
		if err := emit(it); err != nil {
			return err
		}
	}
	return nil
}
