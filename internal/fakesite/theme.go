package fakesite

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

// layout is one file of _layouts.
type layout struct {
	data   map[string]any
	tmpl   *template
	parent string
}

// sourcePage is a file of the site tree outside the underscore folders: a
// page when it has front matter (or is Markdown), otherwise a static file.
type sourcePage struct {
	rel      string
	data     map[string]any
	body     string
	markdown bool
	url      string
	file     string
	static   []byte // set for static files
}

// theme is everything the layouts tree contributes besides _config.yml.
type theme struct {
	layouts map[string]*layout
	pages   []*sourcePage
}

// yamlHeaderRE is Jekyll's has_yaml_header? test on the first line.
var yamlHeaderRE = regexp.MustCompile(`\A---\s*\r?\n`)

// excludedNames are Jekyll's default excludes.
var excludedNames = wordSet("Gemfile Gemfile.lock node_modules vendor .sass-cache .jekyll-cache gemfiles")

func loadTheme(fsys fs.FS, set *siteSettings) (*theme, error) {
	th := &theme{layouts: map[string]*layout{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		name := d.Name()
		if p == "_layouts" && d.IsDir() {
			if err := th.loadLayouts(fsys); err != nil {
				return err
			}
			return fs.SkipDir
		}
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") || excludedNames[name] {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		pg, err := newSourcePage(p, raw, set)
		if err != nil {
			return err
		}
		th.pages = append(th.pages, pg)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fakesite: unable to load the site tree: %w", err)
	}
	if len(th.layouts) == 0 {
		return nil, fmt.Errorf("fakesite: unable to load the site tree: no _layouts")
	}
	return th, nil
}

func (th *theme) loadLayouts(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, "_layouts")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		raw, err := fs.ReadFile(fsys, path.Join("_layouts", e.Name()))
		if err != nil {
			return err
		}
		fm, body, _, err := splitFrontMatter(string(raw))
		if err != nil {
			return fmt.Errorf("layout %s: %w", e.Name(), err)
		}
		name := strings.TrimSuffix(e.Name(), path.Ext(e.Name()))
		th.layouts[name] = &layout{data: fm.data, tmpl: parseTemplate(body), parent: str(fm.data["layout"])}
	}
	return nil
}

func newSourcePage(rel string, raw []byte, set *siteSettings) (*sourcePage, error) {
	ext := strings.ToLower(path.Ext(rel))
	pg := &sourcePage{rel: rel, markdown: markdownExts[ext]}
	if !yamlHeaderRE.Match(raw) && !pg.markdown {
		pg.static = raw
		pg.url = escapePath("/" + rel)
		pg.file = "/" + rel
		return pg, nil
	}
	fm, body, _, err := splitFrontMatter(string(raw))
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", rel, err)
	}
	pg.data, pg.body = fm.data, body
	pg.url = pageURL(rel, pg.markdown, str(fm.data["permalink"]))
	pg.file = outputFile(pg.url)
	return pg, nil
}

// pageURL is a page's permalink, or Jekyll's /:path/:basename:output_ext
// with index pages mapped to their folder.
func pageURL(rel string, markdown bool, permalink string) string {
	if permalink != "" {
		return sanitizeURL(permalink)
	}
	dir, file := path.Split(rel)
	ext := path.Ext(file)
	base := strings.TrimSuffix(file, ext)
	if markdown {
		ext = ".html"
	}
	if base == "index" && ext == ".html" {
		return sanitizeURL(escapePath(dir) + "/")
	}
	return sanitizeURL(escapePath(dir + base + ext))
}
