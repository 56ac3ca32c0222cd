package fakesite

import (
	"embed"
	"io/fs"
)

//go:embed jekyll-build
var capture embed.FS

// Capture returns the sample corpus as real Jekyll builds it (see
// jekyll-build/README.md): category pages, post pages, feed.xml and
// index.html, byte for byte.
func Capture() fs.FS {
	sub, _ := fs.Sub(capture, "jekyll-build") // fails only for an invalid name
	return sub
}
