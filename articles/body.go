package articles

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

type postContent struct {
	lead       string   // the "> " summary line, if any
	paragraphs []string // clean text, one entry per paragraph
	sourceURL  string
}

var (
	// sourceLine is the bare "<http://…>" line, or "<>" when the site's
	// script had no URL.
	sourceLine = regexp.MustCompile(`^<((?:https?:)?//[^<>\s]*)?>$`)
	// footerLine is a line of 返回… links, joined by ｜ or alone.
	footerLine = regexp.MustCompile(`^\[返回[^\]]*\]\([^)]*\)`)
	htmlTag    = regexp.MustCompile(`</?[a-zA-Z][^>]*>|<!--`)
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)\s]*\)`)
)

// parseBody reads a post body: plain text or HTML paragraphs, an optional
// leading "> " summary, the bare source line and the 返回 footer.
func parseBody(body string) postContent {
	var c postContent
	body = strings.ReplaceAll(body, "\r\n", "\n")
	var block []string
	flush := func() {
		if len(block) == 0 {
			return
		}
		text := strings.Join(block, "\n")
		block = block[:0]
		if htmlTag.MatchString(text) {
			c.paragraphs = append(c.paragraphs, htmlParagraphs(text)...)
			return
		}
		if p := plainParagraph(text); p != "" {
			c.paragraphs = append(c.paragraphs, p)
		}
	}
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case sourceLine.MatchString(t):
			flush()
			if u := sourceLine.FindStringSubmatch(t)[1]; u != "" {
				c.sourceURL = u
			}
		case footerLine.MatchString(t):
			flush()
		case strings.HasPrefix(t, ">") && c.lead == "" && len(c.paragraphs) == 0 && len(block) == 0:
			c.lead = inlineText(strings.TrimSpace(strings.TrimPrefix(t, ">")))
		default:
			block = append(block, t)
		}
	}
	flush()
	return c
}

// plainParagraph cleans a block of plain text: lines joined (Chinese needs
// no space between them), Markdown links reduced to their text, entities
// decoded.
func plainParagraph(text string) string {
	text = mdLink.ReplaceAllString(text, "$1")
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && needsSpace(b.String(), l) {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return cleanText(html.UnescapeString(b.String()))
}

// needsSpace keeps a space between two Latin words split across lines.
func needsSpace(prev, next string) bool {
	r1, _ := utf8.DecodeLastRuneInString(prev)
	r2, _ := utf8.DecodeRuneInString(next)
	return r1 < utf8.RuneSelf && r2 < utf8.RuneSelf && prev != ""
}

// inlineText strips any tags from a short piece such as the summary line.
func inlineText(s string) string {
	if !htmlTag.MatchString(s) {
		return cleanText(html.UnescapeString(s))
	}
	return strings.Join(htmlParagraphs(s), " ")
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

func joinParagraphs(ps []string) string { return strings.Join(ps, "\n\n") }

func splitParagraphs(body string) []string {
	if body == "" {
		return nil
	}
	return strings.Split(body, "\n\n")
}

// LeadMaxRunes caps a lead, so a digest item stays a few lines long.
const LeadMaxRunes = 120

// makeLead is the summary line when the post has one, else the first one or
// two sentences of the body; either capped at LeadMaxRunes.
func makeLead(summary string, paragraphs []string) string {
	if summary != "" {
		return capRunes(summary, LeadMaxRunes)
	}
	if len(paragraphs) == 0 {
		return ""
	}
	var lead []rune
	sentences := 0
	for _, p := range paragraphs {
		for _, s := range sentencesOf(p) {
			lead = append(lead, []rune(s)...)
			sentences++
			if sentences == 2 || len(lead) >= LeadMaxRunes/2 {
				return capRunes(string(lead), LeadMaxRunes)
			}
		}
	}
	return capRunes(string(lead), LeadMaxRunes)
}

// sentencesOf splits a paragraph after each sentence-ending mark, keeping
// closing quotes with their sentence.
func sentencesOf(p string) []string {
	var out []string
	rs := []rune(p)
	start := 0
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '。', '！', '？', '!', '?', '；':
			j := i + 1
			for j < len(rs) && strings.ContainsRune("”’」』）)\"", rs[j]) {
				j++
			}
			if s := strings.TrimSpace(string(rs[start:j])); s != "" {
				out = append(out, s)
			}
			start, i = j, j-1
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// setContent fills the body, lead and source URL, and reports false when
// the post has nothing to read.
func (a *Article) setContent(c postContent) bool {
	a.Body = joinParagraphs(c.paragraphs)
	a.SourceURL = c.sourceURL
	if a.Body == "" {
		a.Body = c.lead
	}
	a.Lead = makeLead(c.lead, c.paragraphs)
	return a.Body != ""
}
