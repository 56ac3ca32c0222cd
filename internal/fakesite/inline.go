package fakesite

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file renders kramdown's span-level syntax: escapes, code spans,
// autolinks, inline HTML, entities, links and images, emphasis, and the
// typographic conversions kramdown applies to text (smart quotes, dashes,
// ellipses), output as characters because GitHub Pages' kramdown runs
// with entity_output "as_char".

// escapable lists the characters kramdown lets a backslash escape.
const escapable = "\\.*_+-`()[]{}#!:|\"'$=<>"

var (
	autolinkRE = regexp.MustCompile(`^<((?:mailto|https?|ftps?):[^<>]+?|[-.\w]+@[-\w]+(?:\.[-\w]+)*\.[a-zA-Z]+)>`)
	inlineTag  = regexp.MustCompile(`^</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>` + "`" + `]+))?)*\s*/?>`)
	entityRE   = regexp.MustCompile(`^&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)
)

// renderInline converts span-level Markdown in s to HTML.
func renderInline(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && strings.IndexByte(escapable, s[i+1]) >= 0 {
				b = append(b, escapeText(s[i+1:i+2])...)
				i += 2
				continue
			}
		case '`':
			if n, out := codeSpan(s[i:]); n > 0 {
				b = append(b, out...)
				i += n
				continue
			}
		case '<':
			if m := autolinkRE.FindStringSubmatch(s[i:]); m != nil {
				href := m[1]
				if !strings.Contains(href, ":") {
					href = "mailto:" + href
				}
				b = append(b, `<a href="`+escapeAttr(href)+`">`+escapeText(m[1])+`</a>`...)
				i += len(m[0])
				continue
			}
			if strings.HasPrefix(s[i:], "<!--") {
				if end := strings.Index(s[i:], "-->"); end >= 0 {
					b = append(b, s[i:i+end+3]...)
					i += end + 3
					continue
				}
			}
			if m := inlineTag.FindString(s[i:]); m != "" {
				b = append(b, m...)
				i += len(m)
				continue
			}
			b = append(b, "&lt;"...)
			i++
			continue
		case '>':
			b = append(b, "&gt;"...)
			i++
			continue
		case '&':
			b = append(b, entity(s[i:])...)
			if m := entityRE.FindString(s[i:]); m != "" {
				i += len(m)
			} else {
				i++
			}
			continue
		case '!':
			if strings.HasPrefix(s[i:], "![") {
				if n, text, href, title := linkParts(s[i+1:]); n > 0 {
					b = append(b, `<img src="`+escapeAttr(href)+`" alt="`+escapeAttr(text)+`"`...)
					if title != "" {
						b = append(b, ` title="`+escapeAttr(title)+`"`...)
					}
					b = append(b, " />"...)
					i += 1 + n
					continue
				}
			}
		case '[':
			if n, text, href, title := linkParts(s[i:]); n > 0 {
				b = append(b, `<a href="`+escapeAttr(href)+`"`...)
				if title != "" {
					b = append(b, ` title="`+escapeAttr(title)+`"`...)
				}
				b = append(b, ">"+renderInline(text)+"</a>"...)
				i += n
				continue
			}
		case '*', '_':
			if n, out := emphasis(s, i); n > 0 {
				b = append(b, out...)
				i += n
				continue
			}
		case '~':
			if strings.HasPrefix(s[i:], "~~") {
				if end := strings.Index(s[i+2:], "~~"); end > 0 {
					b = append(b, "<del>"+renderInline(s[i+2:i+2+end])+"</del>"...)
					i += end + 4
					continue
				}
			}
		case '-':
			if strings.HasPrefix(s[i:], "---") {
				b = append(b, "—"...)
				i += 3
				continue
			}
			if strings.HasPrefix(s[i:], "--") {
				b = append(b, "–"...)
				i += 2
				continue
			}
		case '.':
			if strings.HasPrefix(s[i:], "...") {
				b = append(b, "…"...)
				i += 3
				continue
			}
		case '"', '\'':
			b = append(b, smartQuote(s, i)...)
			i++
			continue
		case '\n':
			// Two trailing spaces make a hard line break.
			k := len(b)
			for k > 0 && b[k-1] == ' ' {
				k--
			}
			if len(b)-k >= 2 {
				b = append(b[:k], "<br />"...)
			}
		}
		b = append(b, c)
		i++
	}
	return string(b)
}

// escapeText escapes text content as kramdown does: <, > and &.
func escapeText(s string) string {
	return textEscaper.Replace(s)
}

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escapeAttr escapes an attribute value, leaving existing entities alone.
func escapeAttr(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			if m := entityRE.FindString(s[i:]); m != "" {
				b.WriteString(m)
				i += len(m) - 1
				continue
			}
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// entity renders an & at the start of s: a known entity becomes its
// character (kramdown's as_char output), except the ones HTML needs escaped.
func entity(s string) string {
	m := entityRE.FindString(s)
	if m == "" {
		return "&amp;"
	}
	ch := html.UnescapeString(m)
	switch {
	case ch == m:
		return "&amp;" + m[1:]
	case ch == "<":
		return "&lt;"
	case ch == ">":
		return "&gt;"
	case ch == "&":
		return "&amp;"
	}
	return ch
}

func codeSpan(s string) (int, string) {
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	fence := s[:n]
	for off := n; off < len(s); {
		j := strings.Index(s[off:], fence)
		if j < 0 {
			return 0, ""
		}
		j += off
		end := j + n
		if end < len(s) && s[end] == '`' {
			off = end
			for off < len(s) && s[off] == '`' {
				off++
			}
			continue
		}
		code := strings.TrimSpace(s[n:j])
		return end, "<code>" + escapeText(code) + "</code>"
	}
	return 0, ""
}

// linkParts parses [text](href "title") at the start of s.
func linkParts(s string) (n int, text, href, title string) {
	depth := 0
	closing := -1
	for i := 0; i < len(s) && closing < 0; i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				closing = i
			}
		}
	}
	if closing < 0 || closing+1 >= len(s) || s[closing+1] != '(' {
		return 0, "", "", ""
	}
	text = s[1:closing]
	rest := s[closing+2:]
	depth = 1
	end := -1
	inQuote := byte(0)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case inQuote != 0:
			if c == inQuote {
				inQuote = 0
			}
		case c == '"' || c == '\'':
			if i > 0 && (rest[i-1] == ' ' || rest[i-1] == '\t') {
				inQuote = c
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
		if depth == 0 {
			end = i
			break
		}
	}
	if end < 0 {
		return 0, "", "", ""
	}
	inner := strings.TrimSpace(rest[:end])
	href = inner
	if k := strings.IndexAny(inner, " \t"); k >= 0 {
		t := strings.TrimSpace(inner[k:])
		if len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0] {
			href, title = inner[:k], t[1:len(t)-1]
		}
	}
	href = strings.TrimSuffix(strings.TrimPrefix(href, "<"), ">")
	return closing + 2 + end + 1, text, href, title
}

// emphasis handles *em*, **strong**, _em_ and __strong__.
func emphasis(s string, i int) (int, string) {
	c := s[i]
	n := 1
	if i+1 < len(s) && s[i+1] == c {
		n = 2
	}
	delim := s[i : i+n]
	if i+n >= len(s) || s[i+n] == ' ' || s[i+n] == '\t' || s[i+n] == '\n' || s[i+n] == c {
		return 0, ""
	}
	if c == '_' && i > 0 && isWordByte(s, i-1) {
		return 0, ""
	}
	for off := i + n; off < len(s); {
		j := strings.Index(s[off:], delim)
		if j < 0 {
			return 0, ""
		}
		j += off
		prev := s[j-1]
		nextOK := j+n >= len(s) || s[j+n] != c
		if prev != ' ' && prev != '\t' && prev != '\n' && prev != '\\' && nextOK &&
			(c != '_' || j+n >= len(s) || !isWordByte(s, j+n)) && j > i+n {
			tag := "em"
			if n == 2 {
				tag = "strong"
			}
			return j + n - i, "<" + tag + ">" + renderInline(s[i+n:j]) + "</" + tag + ">"
		}
		off = j + 1
	}
	return 0, ""
}

func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError {
		r, _ = utf8.DecodeLastRuneInString(s[:i+1])
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// smartQuote picks an opening or closing quote from the neighbours, the
// way SmartyPants (and so kramdown) does for ordinary prose.
func smartQuote(s string, i int) string {
	var prev, next rune
	if i > 0 {
		prev, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	if i+1 < len(s) {
		next, _ = utf8.DecodeRuneInString(s[i+1:])
	}
	opening := (prev == 0 || unicode.IsSpace(prev) || isOpeningPunct(prev)) &&
		next != 0 && !unicode.IsSpace(next)
	if s[i] == '"' {
		if opening {
			return "“"
		}
		return "”"
	}
	if opening && !(unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
		return "‘"
	}
	return "’"
}

func isOpeningPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return strings.ContainsRune("([{-", r)
	}
	return unicode.In(r, unicode.Ps, unicode.Pi, unicode.Pd) || unicode.IsPunct(r) && !unicode.In(r, unicode.Pe, unicode.Pf)
}

// smartify is Jekyll's smartify filter: typographic conversion of text,
// keeping HTML tags and escaping stray <, > and & as kramdown's
// SmartyPants input does.
func smartify(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '"' || s[i] == '\'':
			b.WriteString(smartQuote(s, i))
			i++
		case strings.HasPrefix(s[i:], "---"):
			b.WriteString("—")
			i += 3
		case strings.HasPrefix(s[i:], "--"):
			b.WriteString("–")
			i += 2
		case strings.HasPrefix(s[i:], "..."):
			b.WriteString("…")
			i += 3
		case s[i] == '&':
			e := entity(s[i:])
			b.WriteString(e)
			if m := entityRE.FindString(s[i:]); m != "" {
				i += len(m)
			} else {
				i++
			}
		case s[i] == '<':
			if m := inlineTag.FindString(s[i:]); m != "" {
				b.WriteString(m)
				i += len(m)
				continue
			}
			b.WriteString("&lt;")
			i++
		case s[i] == '>':
			b.WriteString("&gt;")
			i++
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}
