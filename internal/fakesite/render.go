package fakesite

import (
	"bytes"
	"path"
	"strings"
	"time"
)

// resource is a served file with its HTTP validators.
type resource struct {
	body        []byte
	contentType string
	etag        string    // strong and quoted
	modified    time.Time // UTC, whole seconds, as Last-Modified carries
}

const (
	htmlType = "text/html; charset=utf-8"
	feedType = "application/atom+xml; charset=utf-8"
)

func contentType(p string) string {
	if path.Ext(p) == ".xml" {
		return feedType
	}
	return htmlType
}

// xmlEscaper is Liquid's xml_escape.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// pageData is what the layouts show: layouts/head.html reads Title, URL,
// Content, Date and Site; post.html and category.html the rest.
type pageData struct {
	Site    string
	URL     string
	Title   string
	Date    time.Time
	Content string
	Tags    []string
	Posts   []entry
}

// entry is a post in a list: a category page or the feed.
type entry struct {
	URL, ID, Title   string
	Date             time.Time
	Content, Summary string
	Categories, Tags []string
}

func (s *Site) execute(name string, data any) []byte {
	var b bytes.Buffer
	if err := s.layouts.ExecuteTemplate(&b, name, data); err != nil {
		// The layouts are embedded and their data typed: a failure is a bug
		// of this package, which its tests catch.
		panic("fakesite: " + name + ": " + err.Error())
	}
	return b.Bytes()
}

// renderPost is the post's page, as layouts/post.html inside default.html.
func (s *Site) renderPost(p *post) []byte {
	return s.execute("post.html", pageData{Site: s.base, URL: p.url, Title: p.title, Date: p.date, Content: toHTML(p.body), Tags: p.tags})
}

// renderCategory is the page of a category that lists posts, newest first.
func (s *Site) renderCategory(category, title string, posts []*post) []byte {
	d := pageData{Site: s.base, URL: "/category/" + category + ".html", Title: title}
	for _, p := range posts {
		d.Posts = append(d.Posts, entry{URL: p.url, Title: p.title})
	}
	return s.execute("category.html", d)
}

// renderFeed is jekyll-feed's feed.xml of posts, newest first.
func (s *Site) renderFeed(posts []*post) []byte {
	d := struct {
		Site    string
		Updated time.Time
		Entries []entry
	}{Site: s.base, Updated: s.feedTime.In(s.zone)}
	for _, p := range posts {
		d.Entries = append(d.Entries, entry{URL: p.url, ID: strings.TrimSuffix(p.url, ".html"), Title: plainText(p.title), Date: p.date,
			Content: strings.TrimSpace(toHTML(p.body)), Summary: excerpt(p.body), Categories: p.categories, Tags: p.tags})
	}
	return s.execute("feed.xml", d)
}
