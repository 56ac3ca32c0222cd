// Package sample embeds real posts of the finews site, copied unchanged
// (see finews/SOURCE.md), with the site's layouts: the built-in articles of
// the demo, and fixtures for tests.
package sample

import (
	"embed"
	"io/fs"
)

//go:embed all:finews
var files embed.FS

// FS returns the site tree: _posts/, old_post/, site/ (layouts and config).
func FS() fs.FS {
	sub, err := fs.Sub(files, "finews")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// Posts returns every post file of the sample, in _posts/ and old_post/,
// by its path (e.g. "_posts/2022-02-11-NW202202112273376235.md").
func Posts() map[string][]byte {
	out := map[string][]byte{}
	for _, dir := range []string{"_posts", "old_post"} {
		entries, err := fs.ReadDir(FS(), dir)
		if err != nil {
			panic(err) // the directory is embedded at build time
		}
		for _, e := range entries {
			name := dir + "/" + e.Name()
			raw, err := fs.ReadFile(FS(), name)
			if err != nil {
				panic(err)
			}
			out[name] = raw
		}
	}
	return out
}
