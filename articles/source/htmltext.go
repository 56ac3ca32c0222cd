package source

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"wzdaily/articles"
)

// postContent is what a parser reads from a post's body, whatever its
// format.
type postContent struct {
	lead       string   // the "> " summary line, if any
	paragraphs []string // clean text, one entry per paragraph
	sourceURL  string
}

// fill sets the article's body, lead and source URL, and reports false
// when the post has nothing to read.
func (c postContent) fill(a *articles.Article) bool {
	return a.SetContent(c.lead, c.paragraphs, c.sourceURL)
}

// htmlParagraphs turns an HTML fragment into clean paragraphs.
func htmlParagraphs(fragment string) []string {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"})
	if err != nil {
		return nil
	}
	return nodeParagraphs(nodes)
}

// nodeParagraphs collects the readable text of nodes, one entry per block.
// Hidden elements, images, scripts and the "文章来源" byline carry nothing
// to read.
func nodeParagraphs(nodes []*html.Node) []string {
	var out []string
	var cur strings.Builder
	end := func() {
		if p := cleanText(cur.String()); p != "" {
			out = append(out, p)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipElement(n) {
				return
			}
		default:
			if n.Type != html.DocumentNode {
				return
			}
		}
		block := n.Type == html.ElementNode && isBlock(n.DataAtom)
		if block {
			end()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			end()
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	end()
	return out
}

func skipElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Img, atom.Iframe, atom.Object, atom.Svg, atom.Template, atom.Head:
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "style":
			if strings.Contains(strings.ReplaceAll(a.Val, " ", ""), "display:none") {
				return true
			}
		case "class":
			if strings.Contains(a.Val, "em_media") {
				return true
			}
		case "hidden":
			return true
		}
	}
	return false
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Center, atom.Blockquote, atom.Table, atom.Tr, atom.Section, atom.Article, atom.Pre, atom.Hr, atom.Figure, atom.Figcaption:
		return true
	}
	return false
}

// cleanText collapses runs of space (including the ideographic space and
// no-break space) and drops control characters.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u3000':
			space = true
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u200b' || r == '\ufeff':
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func find(n *html.Node, pred func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && pred(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, pred); f != nil {
			return f
		}
	}
	return nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
