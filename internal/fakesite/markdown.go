package fakesite

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// markdownToHTML converts Markdown the way kramdown with GitHub Pages'
// settings (input GFM, hard_wrap false, auto ids) does for what finews
// posts contain: paragraphs, "> " digest lines, raw HTML blocks, autolinks
// and links. Headers, rules, lists and code blocks are handled simply.
// Output follows kramdown's layout: each block ends with "\n", a run of
// blank lines becomes one "\n", and nested blocks are indented by two.
func markdownToHTML(src string) string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.TrimSuffix(src, "\n")
	if src == "" {
		return ""
	}
	m := &mdConverter{ids: map[string]int{}}
	m.blocks(strings.Split(src, "\n"), 0)
	return m.out.String()
}

type mdConverter struct {
	out strings.Builder
	ids map[string]int
}

var (
	hrRE     = regexp.MustCompile(`^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	atxRE    = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextRE = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	fenceRE  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})[ \\t]*([^`\\s]*)")
	quoteRE  = regexp.MustCompile(`^ {0,3}>`)
	listRE   = regexp.MustCompile(`^ {0,3}(?:([-*+])|(\d+)\.)[ \t]+(.*)$`)
	htmlRE   = regexp.MustCompile(`^ {0,3}<(/?)([A-Za-z][A-Za-z0-9-]*)`)
)

// blockElements are the tags that start a raw HTML block in kramdown;
// other tags at the start of a line begin a paragraph.
var blockElements = wordSet(`address applet article aside audio blockquote body button canvas
	center colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form
	frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe legend li main map menu
	nav noframes noscript object ol optgroup option p pre script section style summary
	table tbody td tfoot th thead title tr ul video math svg`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// voidElements never have an end tag.
var voidElements = wordSet("hr br img input meta link col")

func isBlankLine(s string) bool { return strings.TrimSpace(s) == "" }

func indentWidth(s string) int {
	w := 0
	for _, r := range s {
		switch r {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w
		}
	}
	return w
}

// startsHTMLBlock reports whether line opens a raw HTML block.
func startsHTMLBlock(line string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return false
	}
	if strings.HasPrefix(t, "<!--") {
		return true
	}
	m := htmlRE.FindStringSubmatch(line)
	return m != nil && blockElements[strings.ToLower(m[2])]
}

// endsParagraph reports whether line interrupts a paragraph (kramdown's
// GFM "paragraph_end" quirk adds lists, headers, quotes and fences).
func endsParagraph(line string) bool {
	return isBlankLine(line) || quoteRE.MatchString(line) || atxRE.MatchString(line) ||
		fenceRE.MatchString(line) || listRE.MatchString(line) || startsHTMLBlock(line)
}

func (m *mdConverter) blocks(lines []string, indent int) {
	pad := strings.Repeat(" ", indent)
	for i := 0; i < len(lines); {
		line := lines[i]
		switch {
		case isBlankLine(line):
			for i < len(lines) && isBlankLine(lines[i]) {
				i++
			}
			m.out.WriteString("\n")
		case fenceRE.MatchString(line):
			i = m.fenced(lines, i, pad)
		case indentWidth(line) >= 4:
			i = m.indentedCode(lines, i, pad)
		case hrRE.MatchString(line):
			m.out.WriteString(pad + "<hr />\n")
			i++
		case i+1 < len(lines) && !isBlankLine(line) && setextRE.MatchString(lines[i+1]) && !quoteRE.MatchString(line) && !startsHTMLBlock(line) && !listRE.MatchString(line):
			level := 1
			if strings.TrimSpace(lines[i+1])[0] == '-' {
				level = 2
			}
			m.header(level, strings.TrimSpace(line), pad)
			i += 2
		case atxRE.MatchString(line):
			sm := atxRE.FindStringSubmatch(line)
			m.header(len(sm[1]), sm[2], pad)
			i++
		case quoteRE.MatchString(line):
			i = m.blockquote(lines, i, indent)
		case listRE.MatchString(line):
			i = m.list(lines, i, indent)
		case startsHTMLBlock(line):
			i = m.htmlBlock(lines, i)
		default:
			i = m.paragraph(lines, i, pad)
		}
	}
}

func (m *mdConverter) paragraph(lines []string, i int, pad string) int {
	start := i
	i++
	for i < len(lines) && !endsParagraph(lines[i]) {
		i++
	}
	parts := make([]string, 0, i-start)
	for _, l := range lines[start:i] {
		parts = append(parts, strings.TrimLeft(l, " \t"))
	}
	text := strings.TrimRight(strings.Join(parts, "\n"), " \t")
	m.out.WriteString(pad + "<p>" + renderInline(text) + "</p>\n")
	return i
}

func (m *mdConverter) header(level int, text, pad string) {
	tag := "h" + strconv.Itoa(level)
	m.out.WriteString(pad + "<" + tag + ` id="` + m.headerID(text) + `">` + renderInline(text) + "</" + tag + ">\n")
}

// headerID makes GFM-style ids: lower case, word characters, hyphens for
// spaces, and a -N suffix for repeats.
func (m *mdConverter) headerID(text string) string {
	text = stripHTML(text)
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case r == ' ' || r == '\t':
			b.WriteByte('-')
		}
	}
	id := b.String()
	m.ids[id]++
	if n := m.ids[id]; n > 1 {
		id += "-" + strconv.Itoa(n-1)
	}
	return id
}

func (m *mdConverter) blockquote(lines []string, i, indent int) int {
	var inner []string
	for i < len(lines) {
		l := lines[i]
		if quoteRE.MatchString(l) {
			l = strings.TrimLeft(l, " ")[1:]
			l = strings.TrimPrefix(l, " ")
		} else if len(inner) == 0 || isBlankLine(l) || endsParagraph(l) || isBlankLine(inner[len(inner)-1]) {
			break
		}
		inner = append(inner, l)
		i++
	}
	pad := strings.Repeat(" ", indent)
	m.out.WriteString(pad + "<blockquote>\n")
	m.blocks(inner, indent+2)
	m.out.WriteString(pad + "</blockquote>\n")
	return i
}

func (m *mdConverter) list(lines []string, i, indent int) int {
	first := listRE.FindStringSubmatch(lines[i])
	ordered := first[1] == ""
	tag := "ul"
	if ordered {
		tag = "ol"
	}
	var items []string
	loose := false
	for i < len(lines) {
		sm := listRE.FindStringSubmatch(lines[i])
		if sm == nil || (sm[1] == "") != ordered {
			break
		}
		text := sm[3]
		i++
		for i < len(lines) && !isBlankLine(lines[i]) && !listRE.MatchString(lines[i]) && !endsParagraph(lines[i]) {
			text += "\n" + strings.TrimLeft(lines[i], " \t")
			i++
		}
		items = append(items, text)
		// A blank line followed by another item keeps the list, loosely.
		j := i
		for j < len(lines) && isBlankLine(lines[j]) {
			j++
		}
		if j > i && j < len(lines) && listRE.MatchString(lines[j]) {
			loose = true
			i = j
		}
	}
	pad := strings.Repeat(" ", indent)
	m.out.WriteString(pad + "<" + tag + ">\n")
	for _, it := range items {
		if loose {
			m.out.WriteString(pad + "  <li>\n" + pad + "    <p>" + renderInline(it) + "</p>\n" + pad + "  </li>\n")
		} else {
			m.out.WriteString(pad + "  <li>" + renderInline(it) + "</li>\n")
		}
	}
	m.out.WriteString(pad + "</" + tag + ">\n")
	return i
}

// codeBlock writes code the way GitHub Pages' rouge setup wraps it.
func (m *mdConverter) codeBlock(lang, code, pad string) {
	if lang == "" {
		lang = "plaintext"
	}
	m.out.WriteString(pad + `<div class="language-` + escapeXML(lang) + ` highlighter-rouge"><div class="highlight"><pre class="highlight"><code>` +
		escapeText(code) + "</code></pre></div></div>\n")
}

func (m *mdConverter) fenced(lines []string, i int, pad string) int {
	sm := fenceRE.FindStringSubmatch(lines[i])
	fence := sm[1]
	var code []string
	i++
	for i < len(lines) {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
			i++
			break
		}
		code = append(code, lines[i])
		i++
	}
	body := strings.Join(code, "\n")
	if len(code) > 0 {
		body += "\n"
	}
	m.codeBlock(sm[2], body, pad)
	return i
}

func (m *mdConverter) indentedCode(lines []string, i int, pad string) int {
	var code []string
	for i < len(lines) && (isBlankLine(lines[i]) || indentWidth(lines[i]) >= 4) {
		code = append(code, stripIndent(lines[i], 4))
		i++
	}
	// Trailing blank lines belong to the document, not the code.
	for len(code) > 0 && isBlankLine(code[len(code)-1]) {
		code = code[:len(code)-1]
		i--
	}
	m.codeBlock("", strings.Join(code, "\n")+"\n", pad)
	return i
}

func stripIndent(s string, n int) string {
	w := 0
	for i, r := range s {
		if w >= n {
			return s[i:]
		}
		switch r {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return s[i:]
		}
	}
	return ""
}

// htmlBlock passes raw HTML through: from the opening tag to the line
// where the element closes (or the next blank line if it never does).
func (m *mdConverter) htmlBlock(lines []string, i int) int {
	start := i
	end := htmlBlockEnd(lines, i)
	out := make([]string, 0, end-start)
	for k, l := range lines[start:end] {
		if k == 0 {
			l = strings.TrimLeft(l, " ")
		}
		out = append(out, l)
	}
	m.out.WriteString(strings.Join(out, "\n") + "\n")
	return end
}

func htmlBlockEnd(lines []string, i int) int {
	first := strings.TrimLeft(lines[i], " ")
	if strings.HasPrefix(first, "<!--") {
		for j := i; j < len(lines); j++ {
			if strings.Contains(lines[j], "-->") {
				return j + 1
			}
		}
		return untilBlank(lines, i)
	}
	name := strings.ToLower(htmlRE.FindStringSubmatch(lines[i])[2])
	if voidElements[name] || htmlRE.FindStringSubmatch(lines[i])[1] == "/" {
		return i + 1
	}
	depth := 0
	for j := i; j < len(lines); j++ {
		depth += tagBalance(lines[j], name)
		if depth <= 0 {
			return j + 1
		}
	}
	return untilBlank(lines, i)
}

func untilBlank(lines []string, i int) int {
	for j := i + 1; j < len(lines); j++ {
		if isBlankLine(lines[j]) {
			return j
		}
	}
	return len(lines)
}

// tagBalance counts openings minus closings of element name in line.
func tagBalance(line, name string) int {
	lower := strings.ToLower(line)
	n := 0
	for k := 0; k < len(lower); k++ {
		if lower[k] != '<' {
			continue
		}
		rest := lower[k+1:]
		closing := strings.HasPrefix(rest, "/")
		rest = strings.TrimPrefix(rest, "/")
		if !strings.HasPrefix(rest, name) {
			continue
		}
		after := rest[len(name):]
		if after != "" && !strings.ContainsRune(" \t>/", rune(after[0])) {
			continue
		}
		gt := strings.IndexByte(after, '>')
		switch {
		case closing:
			n--
		case gt > 0 && after[gt-1] == '/':
			// self-closing
		default:
			n++
		}
	}
	return n
}
