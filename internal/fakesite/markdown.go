package fakesite

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

var (
	// htmlBlock is a line that opens raw HTML, which kramdown passes through.
	htmlBlock = regexp.MustCompile(`^ {0,3}<(?:[a-zA-Z][a-zA-Z0-9]*(?:[\s/>]|$)|!--)`)
	// spanLink is an autolink <http://…> or a link [text](href).
	spanLink = regexp.MustCompile(`<((?:https?|ftp)://[^<>\s]*)>|\[([^\]]*)\]\(([^)\s]*)\)`)
	escaper  = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
)

// blocks splits a Markdown body into its blocks of non-blank lines.
func blocks(body string) [][]string {
	var out [][]string
	var cur []string
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				out, cur = append(out, cur), nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// toHTML renders a post body as kramdown does for the shapes of the site's
// posts and of the generator: paragraphs, a "> " summary, raw HTML blocks,
// autolinks and links. golden_test.go holds it to the real build.
func toHTML(body string) string {
	var out []string
	for _, b := range blocks(body) {
		out = append(out, renderBlock(b))
	}
	return strings.Join(out, "\n\n") + "\n"
}

func renderBlock(lines []string) string {
	switch {
	case htmlBlock.MatchString(lines[0]):
		return strings.Join(lines, "\n")
	case strings.HasPrefix(strings.TrimSpace(lines[0]), ">"):
		inner := make([]string, len(lines))
		for i, l := range lines {
			inner[i] = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(l), ">"), " ")
		}
		return "<blockquote>\n  " + renderBlock(inner) + "\n</blockquote>"
	}
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return "<p>" + spans(strings.Join(lines, "\n")) + "</p>"
}

// spans renders the text of a paragraph: links, and the rest escaped.
func spans(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range spanLink.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(escaper.Replace(s[last:m[0]]))
		if m[2] >= 0 {
			u := s[m[2]:m[3]]
			b.WriteString(`<a href="` + u + `">` + escaper.Replace(u) + `</a>`)
		} else {
			b.WriteString(`<a href="` + s[m[6]:m[7]] + `">` + escaper.Replace(s[m[4]:m[5]]) + `</a>`)
		}
		last = m[1]
	}
	b.WriteString(escaper.Replace(s[last:]))
	return b.String()
}

// excerpt is a post's summary in the feed: the text of its first block,
// as jekyll-feed writes it (excerpt | strip_html | normalize_whitespace).
func excerpt(body string) string {
	bs := blocks(body)
	if len(bs) == 0 {
		return ""
	}
	return plainText(renderBlock(bs[0]))
}

// plainText is the text of an HTML fragment, its white space collapsed.
func plainText(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt == html.TextToken {
			b.Write(z.Text())
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
