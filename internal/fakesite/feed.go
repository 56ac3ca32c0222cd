package fakesite

import (
	"strings"
	"time"
)

// feedLimit is jekyll-feed's default posts_limit.
const feedLimit = 10

// feedType is what the fake serves /feed.xml as.
const feedType = "application/atom+xml; charset=utf-8"

// renderFeed writes /feed.xml in jekyll-feed's format: the site header,
// then the newest posts, each with title, link, published/updated, id,
// content, author, categories and tags, and summary. posts are oldest
// first. Like jekyll-feed, the result has the whitespace after every ">"
// and "}" removed, including inside the CDATA sections.
func renderFeed(set *siteSettings, posts []*post, siteTime time.Time) []byte {
	abs := func(u string) string { return absoluteURL(set.url, set.baseurl, u) }
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" `)
	if set.lang != "" {
		b.WriteString(`xml:lang="` + set.lang + `"`)
	}
	b.WriteString(">")
	b.WriteString(`<generator uri="https://jekyllrb.com/" version="` + jekyllVersion + `">Jekyll</generator>`)
	b.WriteString(`<link href="` + abs("/feed.xml") + `" rel="self" type="application/atom+xml" />`)
	b.WriteString(`<link href="` + abs("/") + `" rel="alternate" type="text/html" `)
	if set.lang != "" {
		b.WriteString(`hreflang="` + set.lang + `" `)
	}
	b.WriteString("/>")
	b.WriteString("<updated>" + siteTime.In(set.loc).Format(time.RFC3339) + "</updated>")
	b.WriteString("<id>" + escapeXML(abs("/feed.xml")) + "</id>")
	if set.title != "" {
		b.WriteString(`<title type="html">` + escapeXML(smartify(set.title)) + "</title>")
	}
	if set.description != "" {
		b.WriteString("<subtitle>" + escapeXML(set.description) + "</subtitle>")
	}
	if set.author != "" {
		b.WriteString("<author><name>" + escapeXML(set.author) + "</name></author>")
	}
	for i := len(posts) - 1; i >= 0 && i >= len(posts)-feedLimit; i-- {
		writeEntry(&b, set, posts[i], abs)
	}
	b.WriteString("</feed>")
	return []byte(minifyFeed(b.String()))
}

func writeEntry(b *strings.Builder, set *siteSettings, p *post, abs func(string) string) {
	title := escapeXML(normalizeWhitespace(stripHTML(smartify(p.title))))
	link := abs(p.url)
	stamp := p.date.Format(time.RFC3339)
	b.WriteString("<entry>")
	b.WriteString(`<title type="html">` + title + "</title>")
	b.WriteString(`<link href="` + link + `" rel="alternate" type="text/html" title="` + title + `" />`)
	b.WriteString("<published>" + stamp + "</published>")
	b.WriteString("<updated>" + stamp + "</updated>")
	b.WriteString("<id>" + escapeXML(abs(p.id)) + "</id>")
	b.WriteString(`<content type="html" xml:base="` + escapeXML(link) + `"><![CDATA[` + strings.TrimSpace(p.content) + "]]></content>")
	author := set.author
	if a := toText(p.data["author"]); a != "" {
		author = a
	}
	if author != "" {
		b.WriteString("<author><name>" + escapeXML(author) + "</name></author>")
	}
	if c, ok := p.data["category"]; ok && c != nil {
		b.WriteString(`<category term="` + escapeXML(toText(c)) + `" />`)
	} else {
		for _, c := range p.categories {
			b.WriteString(`<category term="` + escapeXML(c) + `" />`)
		}
	}
	for _, t := range p.tags {
		b.WriteString(`<category term="` + escapeXML(t) + `" />`)
	}
	summary := toText(p.data["description"])
	if summary == "" {
		summary = p.excerpt
	}
	if summary != "" {
		b.WriteString(`<summary type="html"><![CDATA[` + normalizeWhitespace(stripHTML(summary)) + "]]></summary>")
	}
	b.WriteString("</entry>")
}

// minifyFeed drops whitespace that follows ">" or "}", which is what
// jekyll-feed's MINIFY_REGEX (?<=>|})\s+ does to the whole document.
func minifyFeed(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	skip := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if skip && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			continue
		}
		skip = c == '>' || c == '}'
		b.WriteByte(c)
	}
	return b.String()
}
