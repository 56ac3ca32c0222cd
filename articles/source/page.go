package source

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"wzdaily/articles"
)

// permalink is Jekyll's default post URL: /:categories/:year/:month/:day/:title.html
var permalink = regexp.MustCompile(`^/((?:[^/]+/)*)(\d{4})/(\d{2})/(\d{2})/([^/]+)\.html$`)

// PostPageID returns the post id and categories a permalink names, or
// ok=false when the path is not a post permalink.
func PostPageID(u *url.URL) (id string, categories []string, ok bool) {
	m := permalink.FindStringSubmatch(u.Path)
	if m == nil {
		return "", nil, false
	}
	for _, c := range strings.Split(strings.Trim(m[1], "/"), "/") {
		if c, err := url.PathUnescape(c); err == nil && c != "" {
			categories = append(categories, c)
		}
	}
	id = m[5]
	if !validID(id) {
		return "", nil, false
	}
	return id, categories, true
}

// ParsePostPage reads a post page as the site's layouts render it
// (default.html around post.html): the date in the first <small>, the title
// in the <h1> after it, the body, then a <small> with the tags.
func ParsePostPage(pageURL string, page []byte) (*articles.Article, error) {
	reject := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w: %s", pageURL, articles.ErrRejected, fmt.Sprintf(format, args...))
	}
	if len(page) > maxPostBytes*2 {
		return nil, reject("page is %d bytes, over the limit", len(page))
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil, reject("bad URL: %v", err)
	}
	id, categories, ok := PostPageID(u)
	if !ok {
		return nil, reject("not a post permalink")
	}
	doc, err := html.Parse(bytes.NewReader(bytes.ToValidUTF8(page, []byte("\uFFFD"))))
	if err != nil {
		return nil, reject("unreadable HTML: %v", err)
	}
	section := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Section })
	if section == nil {
		return nil, reject("no <section> with the post")
	}
	a := &articles.Article{ID: id, Categories: categories, URL: pageURL}
	var content []*html.Node
	var dateText string
	seenTitle := false
	for n := section.FirstChild; n != nil; n = n.NextSibling {
		switch {
		case n.DataAtom == atom.Small && !seenTitle && dateText == "":
			dateText = textOf(n)
		case n.DataAtom == atom.H1 && !seenTitle:
			a.Title = articles.FinishTitle(cleanText(textOf(n)))
			seenTitle = true
		case n.DataAtom == atom.Small && seenTitle && strings.HasPrefix(strings.TrimSpace(textOf(n)), "tags:"):
			for e := n.FirstChild; e != nil; e = e.NextSibling {
				if e.DataAtom == atom.Em {
					if t := cleanText(textOf(e)); t != "" {
						a.Tags = append(a.Tags, t)
					}
				}
			}
		case seenTitle:
			content = append(content, n)
		}
	}
	if a.Title == "" {
		return nil, reject("empty title")
	}
	// The layout prints "(GMT+8, Asia/Shanghai, CST) 2022-02-11 09:04:31".
	if i := strings.LastIndex(dateText, ")"); i >= 0 {
		dateText = dateText[i+1:]
	}
	if t, ok := parseDate(dateText, articles.Zone()); ok {
		a.Published = t
	} else if t, ok := parseDate(strings.Join(permalink.FindStringSubmatch(u.Path)[2:5], "-"), articles.Zone()); ok {
		a.Published = t
	}
	if !renderedBody(content).fill(a) {
		return nil, reject("empty body")
	}
	return a, nil
}

// renderedBody reads a post body as kramdown renders it: the "> " summary
// as a leading <blockquote>, the source line as a paragraph holding one
// autolink (or the text "<>"), and the 返回 links as the last paragraph.
func renderedBody(nodes []*html.Node) postContent {
	var c postContent
	for _, n := range nodes {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
			continue
		}
		text := strings.TrimSpace(textOf(n))
		switch {
		case n.DataAtom == atom.Blockquote && c.lead == "" && len(c.paragraphs) == 0:
			c.lead = strings.Join(nodeParagraphs([]*html.Node{n}), " ")
		case n.DataAtom == atom.P && text == "<>":
		case n.DataAtom == atom.P && isAutolink(n):
			c.sourceURL = attr(find(n, func(e *html.Node) bool { return e.DataAtom == atom.A }), "href")
		case n.DataAtom == atom.P && strings.HasPrefix(text, "返回") && find(n, func(e *html.Node) bool { return e.DataAtom == atom.A }) != nil:
		default:
			c.paragraphs = append(c.paragraphs, nodeParagraphs([]*html.Node{n})...)
		}
	}
	return c
}

// isAutolink reports whether p holds nothing but one link whose text is its
// own address: how kramdown renders the bare "<http://…>" source line.
func isAutolink(p *html.Node) bool {
	var link *html.Node
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.DataAtom == atom.A && link == nil:
			link = c
		default:
			return false
		}
	}
	if link == nil {
		return false
	}
	href := attr(link, "href")
	return href != "" && strings.TrimSpace(textOf(link)) == href
}
