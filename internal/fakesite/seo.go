package fakesite

import (
	"encoding/json"
	"strings"
	"time"
)

// jekyllVersion and seoVersion are what GitHub Pages currently runs; they
// appear in the generator tags.
const (
	jekyllVersion = "3.10.0"
	seoVersion    = "2.8.0"
)

// renderSEO renders {% seo %} in the shape jekyll-seo-tag produces: title,
// description, canonical URL, Open Graph and Twitter tags, and JSON-LD.
func renderSEO(c *renderContext) string {
	page, _ := c.lookup("page").(map[string]any)
	set := c.site
	siteTitle := set.title
	pageTitle := normalizeWhitespace(stripHTML(toText(page["title"])))
	if pageTitle == "" {
		pageTitle = siteTitle
	}
	title := pageTitle
	switch {
	case siteTitle != "" && pageTitle != siteTitle:
		title = pageTitle + " | " + siteTitle
	case siteTitle != "" && set.description != "":
		title = siteTitle + " | " + set.description
	}
	desc := toText(page["description"])
	if desc == "" {
		desc = toText(page["excerpt"])
	}
	desc = normalizeWhitespace(stripHTML(desc))
	if desc == "" {
		desc = set.description
	}
	pageURL := strings.TrimSuffix(toText(page["url"]), "index.html")
	canonical := ""
	if set.url != "" {
		canonical = absoluteURL(set.url, set.baseurl, pageURL)
	}
	date, isPost := page["date"].(time.Time)
	homepage := pageURL == "/"
	author := set.author
	if a := toText(page["author"]); a != "" {
		author = a
	}

	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line("<!-- Begin Jekyll SEO tag v" + seoVersion + " -->")
	line("<title>" + escapeXML(title) + "</title>")
	line(`<meta name="generator" content="Jekyll v` + jekyllVersion + `" />`)
	line(`<meta property="og:title" content="` + escapeXML(pageTitle) + `" />`)
	if author != "" {
		line(`<meta name="author" content="` + escapeXML(author) + `" />`)
	}
	locale := strings.ReplaceAll(set.lang, "-", "_")
	if locale == "" {
		locale = "en_US"
	}
	line(`<meta property="og:locale" content="` + escapeXML(locale) + `" />`)
	if desc != "" {
		line(`<meta name="description" content="` + escapeXML(desc) + `" />`)
		line(`<meta property="og:description" content="` + escapeXML(desc) + `" />`)
	}
	if canonical != "" {
		line(`<link rel="canonical" href="` + escapeXML(canonical) + `" />`)
		line(`<meta property="og:url" content="` + escapeXML(canonical) + `" />`)
	}
	if siteTitle != "" {
		line(`<meta property="og:site_name" content="` + escapeXML(siteTitle) + `" />`)
	}
	ld := map[string]any{"@context": "https://schema.org", "headline": pageTitle}
	if canonical != "" {
		ld["url"] = canonical
	}
	if desc != "" {
		ld["description"] = desc
	}
	switch {
	case isPost:
		stamp := date.Format(time.RFC3339)
		line(`<meta property="og:type" content="article" />`)
		line(`<meta property="article:published_time" content="` + stamp + `" />`)
		ld["@type"] = "BlogPosting"
		ld["datePublished"], ld["dateModified"] = stamp, stamp
		if canonical != "" {
			ld["mainEntityOfPage"] = map[string]any{"@type": "WebPage", "@id": canonical}
		}
	case homepage:
		line(`<meta property="og:type" content="website" />`)
		ld["@type"] = "WebSite"
		ld["name"] = siteTitle
	default:
		line(`<meta property="og:type" content="website" />`)
		ld["@type"] = "WebPage"
	}
	if author != "" {
		ld["author"] = map[string]any{"@type": "Person", "name": author}
	}
	line(`<meta name="twitter:card" content="summary" />`)
	line(`<meta property="twitter:title" content="` + escapeXML(pageTitle) + `" />`)
	js, err := json.Marshal(ld)
	if err == nil {
		line(`<script type="application/ld+json">`)
		line(string(js) + `</script>`)
	}
	line("<!-- End Jekyll SEO tag -->")
	return b.String()
}
