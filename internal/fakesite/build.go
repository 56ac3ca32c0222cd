package fakesite

import (
	"path"
	"slices"
	"strings"
	"time"
)

// rendered is one output file of a build.
type rendered struct {
	body        []byte
	contentType string
}

const htmlType = "text/html; charset=utf-8"

// builder renders every page of the site, as one Jekyll build does.
type builder struct {
	set      *siteSettings
	theme    *theme
	posts    []*post // oldest first
	siteTime time.Time
	out      map[string]rendered
	// needPosts leaves out category pages of categories without posts.
	needPosts bool
}

// buildSite renders posts, pages, generated category pages, the index and
// the 404 page. The feed is rendered separately (see renderFeed) so the
// caller can keep its <updated> stable when no entry changed.
func buildSite(set *siteSettings, th *theme, all []*post, siteTime time.Time, needPosts bool) (map[string]rendered, []*post) {
	posts := slices.Clone(all)
	slices.SortStableFunc(posts, func(a, b *post) int {
		switch {
		case lessPost(a, b):
			return -1
		case lessPost(b, a):
			return 1
		}
		return 0
	})
	b := &builder{set: set, theme: th, posts: posts, siteTime: siteTime, out: map[string]rendered{}, needPosts: needPosts}

	// While Jekyll renders one post, the others it can see still hold
	// their raw bodies; the layouts later see the converted ones.
	site := b.sitePayload(func(p *post) map[string]any { return p.drop(p.body, "") })
	for _, p := range posts {
		page := p.drop(p.body, "")
		p.content = b.convert(p.body, p.markdown, site, page)
		head, _, _ := strings.Cut(p.body, "\n\n")
		p.excerpt = b.convert(head, p.markdown, site, page)
	}
	site = b.sitePayload(func(p *post) map[string]any { return p.drop(p.content, p.excerpt) })

	for _, pg := range b.pagesToRender() {
		b.renderPage(pg, site)
	}
	for _, p := range posts {
		page := p.drop(p.content, p.excerpt)
		name := b.defaultLayout(p.data, p.markdown, true, false)
		b.out[p.file] = rendered{body: []byte(b.applyLayouts(p.content, name, site, page)), contentType: contentTypeFor(p.outExt)}
	}
	return b.out, posts
}

// sitePayload is the `site` variable: the config plus posts (newest
// first), categories and tags (hashes of newest-first post lists).
func (b *builder) sitePayload(drop func(*post) map[string]any) map[string]any {
	site := make(map[string]any, len(b.set.data)+6)
	for k, v := range b.set.data {
		site[k] = v
	}
	site["url"] = b.set.url
	site["time"] = b.siteTime
	newest := make([]any, 0, len(b.posts))
	cats, tags := newHash(), newHash()
	for _, p := range b.posts {
		d := drop(p)
		newest = append(newest, d)
		for _, c := range p.categories {
			prependTo(cats, c, d)
		}
		for _, t := range p.tags {
			prependTo(tags, t, d)
		}
	}
	slices.Reverse(newest)
	site["posts"] = newest
	site["categories"] = cats
	site["tags"] = tags
	return site
}

// prependTo adds d at the front of h[key]; posts arrive oldest first, so
// each list ends up newest first, as site.categories is.
func prependTo(h *hash, key string, d map[string]any) {
	list, _ := h.vals[key].([]any)
	h.set(key, append([]any{d}, list...))
}

// drop is the Liquid view of a post.
func (p *post) drop(content, excerpt string) map[string]any {
	m := make(map[string]any, len(p.data)+16)
	for k, v := range p.data {
		m[k] = v
	}
	cats := make([]any, len(p.categories))
	for i, c := range p.categories {
		cats[i] = c
	}
	tags := make([]any, len(p.tags))
	for i, t := range p.tags {
		tags[i] = t
	}
	m["title"] = p.title
	m["date"] = p.date
	m["categories"] = cats
	m["tags"] = tags
	m["url"] = p.url
	m["id"] = p.id
	m["slug"] = p.slug
	m["ext"] = p.ext
	m["content"] = content
	m["excerpt"] = excerpt
	m["path"] = p.name
	m["relative_path"] = p.name
	m["collection"] = "posts"
	m["draft"] = false
	return m
}

func (b *builder) globals(site, page map[string]any) map[string]any {
	return map[string]any{
		"site":   site,
		"page":   page,
		"jekyll": map[string]any{"version": jekyllVersion, "environment": "production"},
	}
}

// convert renders Liquid in a body, then Markdown when the file is Markdown.
func (b *builder) convert(body string, markdown bool, site, page map[string]any) string {
	out := parseTemplate(body).render(newRenderContext(b.set, b.globals(site, page)))
	if markdown {
		return markdownToHTML(out)
	}
	return out
}

// defaultLayout picks the layout: the front matter's, or what
// jekyll-default-layout (on by default on GitHub Pages) assigns to
// Markdown files that name none.
func (b *builder) defaultLayout(data map[string]any, markdown, isPost, index bool) string {
	if v, ok := data["layout"]; ok && v != nil {
		return str(v)
	}
	if !markdown {
		return ""
	}
	candidates := []string{"page", "default"}
	switch {
	case isPost:
		candidates = []string{"post", "default"}
	case index:
		candidates = []string{"home", "page", "default"}
	}
	for _, name := range candidates {
		if _, ok := b.theme.layouts[name]; ok {
			return name
		}
	}
	return ""
}

// applyLayouts wraps content in the named layout and its parents.
func (b *builder) applyLayouts(content, name string, site, page map[string]any) string {
	for depth := 0; name != "" && name != "none" && depth < 10; depth++ {
		l, ok := b.theme.layouts[name]
		if !ok {
			break
		}
		g := b.globals(site, page)
		g["content"] = content
		g["layout"] = l.data
		content = l.tmpl.render(newRenderContext(b.set, g))
		name = l.parent
	}
	return content
}

// pagesToRender is the tree's pages plus what this fake generates: a
// category page for every category that has no page file, an index and a
// 404 page when the tree has none.
func (b *builder) pagesToRender() []*sourcePage {
	withPosts := map[string]bool{}
	for _, p := range b.posts {
		for _, c := range p.categories {
			withPosts[c] = true
		}
	}
	var pages []*sourcePage
	covered := map[string]bool{}
	files := map[string]bool{}
	for _, pg := range b.theme.pages {
		c := str(pg.data["category"])
		if c != "" && b.needPosts && !withPosts[c] {
			continue
		}
		if c != "" {
			covered[c] = true
		}
		files[pg.file] = true
		pages = append(pages, pg)
	}
	firstTag := map[string]string{}
	var order []string
	for i := len(b.posts) - 1; i >= 0; i-- {
		p := b.posts[i]
		for _, c := range p.categories {
			if _, seen := firstTag[c]; !seen {
				order = append(order, c)
				firstTag[c] = c
				if len(p.tags) > 0 {
					firstTag[c] = p.tags[0]
				}
			}
		}
	}
	for _, c := range order {
		if covered[c] {
			continue
		}
		rel := "category/" + c + ".html"
		pg := &sourcePage{rel: rel, data: map[string]any{"layout": "category", "title": firstTag[c], "category": c}}
		pg.url = pageURL(rel, false, "")
		pg.file = outputFile(pg.url)
		pages = append(pages, pg)
	}
	if !files["/index.html"] {
		pg := &sourcePage{rel: "index.html", data: map[string]any{"layout": "default", "title": b.set.title}, body: fallbackIndex}
		pg.url, pg.file = "/", "/index.html"
		pages = append(pages, pg)
	}
	if !files["/404.html"] {
		pg := &sourcePage{rel: "404.md", data: map[string]any{"layout": "default", "title": "404"}, body: fallback404, markdown: true}
		pg.url, pg.file = "/404.html", "/404.html"
		pages = append(pages, pg)
	}
	return pages
}

const fallbackIndex = `<ul>
{% for post in site.posts %}  <li><a href="{{ post.url }}">{{ post.title }}</a></li>
{% endfor %}</ul>
`

const fallback404 = `## 404 找不到页面 Page Not Found

此页面不存在。 This page does not exist.
`

func (b *builder) renderPage(pg *sourcePage, site map[string]any) {
	if pg.static != nil {
		b.out[pg.file] = rendered{body: pg.static, contentType: contentTypeFor(path.Ext(pg.file))}
		return
	}
	dir := path.Dir("/" + pg.rel)
	page := make(map[string]any, len(pg.data)+5)
	for k, v := range pg.data {
		page[k] = v
	}
	// A page's drop is a snapshot taken before rendering, so layouts see
	// its raw source in page.content (unlike a post's).
	page["content"] = pg.body
	page["url"] = pg.url
	page["path"] = pg.rel
	page["name"] = path.Base(pg.rel)
	page["dir"] = strings.TrimSuffix(dir, "/") + "/"
	body := b.convert(pg.body, pg.markdown, site, page)
	name := b.defaultLayout(pg.data, pg.markdown, false, path.Base(pg.file) == "index.html")
	b.out[pg.file] = rendered{body: []byte(b.applyLayouts(body, name, site, page)), contentType: contentTypeFor(path.Ext(pg.file))}
}

// contentTypeFor is GitHub Pages' Content-Type for a file extension.
func contentTypeFor(ext string) string {
	switch strings.ToLower(ext) {
	case ".html", ".htm":
		return htmlType
	case ".xml":
		return "application/xml"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "application/javascript; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}
