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
