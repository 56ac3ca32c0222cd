package source

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

var (
	// sourceLine is the bare "<http://…>" line, or "<>" when the site's
	// script had no URL.
	sourceLine = regexp.MustCompile(`^<((?:https?:)?//[^<>\s]*)?>$`)
	// footerLine is a line of 返回… links, joined by ｜ or alone.
	footerLine = regexp.MustCompile(`^\[返回[^\]]*\]\([^)]*\)`)
	htmlTag    = regexp.MustCompile(`</?[a-zA-Z][^>]*>|<!--`)
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)\s]*\)`)
)

// parseBody reads the body of a post file: plain text or HTML paragraphs,
// an optional leading "> " summary, the bare source line and the 返回
// footer.
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
