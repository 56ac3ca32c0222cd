package faketelegram

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// ParseHTML parses text in Telegram's HTML parse mode
// (https://core.telegram.org/bots/api#html-style) and returns the visible
// text and its entities, with offsets in UTF-16 code units. The error
// text is what Telegram puts after "Bad Request: can't parse entities: ".
//
// The rules are the documented ones, applied strictly so that a test
// catches what could fail for real: only the listed tags; every tag
// closed, in order; "<" and "&" only as part of a tag or one of the
// entities &lt; &gt; &amp; &quot; or a numeric one; <a> with an href.
// A bare ">" is accepted, as Telegram does.
func ParseHTML(text string) (plain string, entities []Entity, err error) {
	if !utf8.ValidString(text) {
		// Telegram refuses such a request before parsing; offsets in
		// UTF-16 would be meaningless anyway.
		return "", nil, parseErrorf("Text must be encoded in UTF-8")
	}
	p := htmlParser{}
	z := html.NewTokenizer(strings.NewReader(text))
	at := 0 // byte offset of the current token in text
	for {
		tt := z.Next()
		raw := z.Raw()
		start := at
		at += len(raw)
		switch tt {
		case html.ErrorToken:
			if len(raw) > 0 || !errors.Is(z.Err(), io.EOF) {
				return "", nil, parseErrorf("Unclosed start tag at byte offset %d", start)
			}
			if n := len(p.open); n > 0 {
				return "", nil, parseErrorf("Can't find end tag corresponding to start tag %q", p.open[n-1].name)
			}
			sort.SliceStable(p.entities, func(i, j int) bool {
				a, b := p.entities[i], p.entities[j]
				if a.Offset != b.Offset {
					return a.Offset < b.Offset
				}
				return a.Length > b.Length // the outer one first
			})
			return p.text.String(), p.entities, nil
		case html.TextToken:
			if err := p.addText(raw, start); err != nil {
				return "", nil, err
			}
		case html.StartTagToken:
			if err := checkRefs(raw, start); err != nil {
				return "", nil, err
			}
			name, _ := z.TagName()
			if err := p.start(string(name), readAttrs(z), start); err != nil {
				return "", nil, err
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if err := p.end(string(name), start); err != nil {
				return "", nil, err
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			return "", nil, parseErrorf("Unsupported start tag %q at byte offset %d", string(name)+"/", start)
		default: // comments, doctypes, "</>", "<?...>"
			if bytes.HasPrefix(raw, []byte("</")) {
				return "", nil, parseErrorf("Unexpected end tag at byte offset %d", start)
			}
			return "", nil, parseErrorf("Unsupported start tag %q at byte offset %d", tagWord(raw[1:]), start)
		}
	}
}

// ValidateHTML reports whether Telegram would accept text in HTML parse
// mode; see ParseHTML.
func ValidateHTML(text string) error {
	_, _, err := ParseHTML(text)
	return err
}

// ParseError is why a text was refused; Error is the reason Telegram
// gives after "can't parse entities: ".
type ParseError struct{ Reason string }

func (e *ParseError) Error() string { return e.Reason }

func parseErrorf(format string, args ...any) error {
	return &ParseError{Reason: fmt.Sprintf(format, args...)}
}

type htmlParser struct {
	text     strings.Builder
	pos      int // UTF-16 length of text
	open     []openTag
	entities []Entity
}

// openTag is a start tag waiting for its end tag.
type openTag struct {
	name   string
	start  int    // UTF-16 offset where its content starts
	entity Entity // Type "" when the tag makes no entity of its own
}

func (p *htmlParser) addText(raw []byte, base int) error {
	for i := 0; i < len(raw); {
		switch raw[i] {
		case '<':
			return parseErrorf("Unsupported start tag %q at byte offset %d", tagWord(raw[i+1:]), base+i)
		case '&':
			s, n, err := decodeRef(raw[i:], base+i)
			if err != nil {
				return err
			}
			p.write(s)
			i += n
		default:
			j := i + 1
			for j < len(raw) && raw[j] != '<' && raw[j] != '&' {
				j++
			}
			p.write(string(raw[i:j]))
			i = j
		}
	}
	return nil
}

func (p *htmlParser) write(s string) {
	p.text.WriteString(s)
	p.pos += utf16Len(s)
}

// start opens a tag. Unknown attributes are ignored, as Telegram does.
func (p *htmlParser) start(name string, attrs map[string]string, at int) error {
	o := openTag{name: name, start: p.pos}
	switch name {
	case "b", "strong":
		o.entity.Type = "bold"
	case "i", "em":
		o.entity.Type = "italic"
	case "u", "ins":
		o.entity.Type = "underline"
	case "s", "strike", "del":
		o.entity.Type = "strikethrough"
	case "tg-spoiler":
		o.entity.Type = "spoiler"
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return parseErrorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", at)
		}
		o.entity.Type = "spoiler"
	case "a":
		href := strings.TrimSpace(attrs["href"])
		if href == "" {
			return parseErrorf("Tag \"a\" must have attribute \"href\" at byte offset %d", at)
		}
		o.entity.Type = "text_link"
		o.entity.URL = href
		if id, ok := mentionID(href); ok {
			o.entity = Entity{Type: "text_mention", User: &User{ID: id}}
		}
	case "code":
		lang, _ := strings.CutPrefix(attrs["class"], "language-")
		if n := len(p.open); n > 0 && p.open[n-1].name == "pre" && p.open[n-1].start == p.pos {
			// <pre><code class="language-x"> is one pre entity with a language.
			p.open[n-1].entity.Language = lang
			break
		}
		o.entity.Type = "code"
	case "pre":
		o.entity.Type = "pre"
	case "blockquote":
		o.entity.Type = "blockquote"
		if _, ok := attrs["expandable"]; ok {
			o.entity.Type = "expandable_blockquote"
		}
	case "tg-emoji":
		id := attrs["emoji-id"]
		if id == "" {
			return parseErrorf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", at)
		}
		o.entity = Entity{Type: "custom_emoji", CustomEmojiID: id}
	default:
		return parseErrorf("Unsupported start tag %q at byte offset %d", name, at)
	}
	p.open = append(p.open, o)
	return nil
}

func (p *htmlParser) end(name string, at int) error {
	n := len(p.open)
	if n == 0 {
		return parseErrorf("Unexpected end tag at byte offset %d", at)
	}
	o := p.open[n-1]
	if o.name != name {
		return parseErrorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", at, o.name, name)
	}
	p.open = p.open[:n-1]
	// Telegram drops entities that cover no text.
	if o.entity.Type != "" && p.pos > o.start {
		e := o.entity
		e.Offset, e.Length = o.start, p.pos-o.start
		p.entities = append(p.entities, e)
	}
	return nil
}

// readAttrs returns the tag's attributes, names lower-cased and values
// with entities decoded.
func readAttrs(z *html.Tokenizer) map[string]string {
	attrs := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		if len(k) > 0 {
			attrs[string(k)] = string(v)
		}
		if !more {
			return attrs
		}
	}
}

// checkRefs validates every "&" in a tag, i.e. in attribute values.
func checkRefs(raw []byte, base int) error {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '&' {
			continue
		}
		_, n, err := decodeRef(raw[i:], base+i)
		if err != nil {
			return err
		}
		i += n - 1
	}
	return nil
}

// decodeRef decodes the character reference at the start of b and
// returns its text and length in bytes. Only &lt; &gt; &amp; &quot; and
// numeric references are supported, all with the closing ";".
func decodeRef(b []byte, at int) (string, int, error) {
	end := 1
	for end < len(b) && end <= 32 && isRefChar(b[end]) {
		end++
	}
	if end == 1 || end >= len(b) || b[end] != ';' {
		return "", 0, parseErrorf("Unescaped \"&\" at byte offset %d; use \"&amp;\"", at)
	}
	ref := string(b[:end+1])
	name := string(b[1:end])
	switch name {
	case "lt":
		return "<", len(ref), nil
	case "gt":
		return ">", len(ref), nil
	case "amp":
		return "&", len(ref), nil
	case "quot":
		return "\"", len(ref), nil
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, ok := strings.CutPrefix(num, "x"); ok {
			num, base = hex, 16
		} else if hex, ok := strings.CutPrefix(num, "X"); ok {
			num, base = hex, 16
		}
		v, err := strconv.ParseUint(num, base, 32)
		if err != nil || v == 0 || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
			return "", 0, parseErrorf("Invalid numeric HTML entity %q at byte offset %d", ref, at)
		}
		return string(rune(v)), len(ref), nil
	}
	return "", 0, parseErrorf("Unsupported HTML entity %q at byte offset %d", ref, at)
}

func isRefChar(c byte) bool {
	return c == '#' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// tagWord returns the name-like start of b, for an error message.
func tagWord(b []byte) string {
	i := 0
	for i < len(b) && i < 32 && b[i] != '>' && b[i] != '<' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '/' {
		i++
	}
	return strings.ToValidUTF8(string(b[:i]), "")
}

// mentionID reads the user id of an inline mention, tg://user?id=N.
func mentionID(href string) (int64, bool) {
	rest, ok := strings.CutPrefix(href, "tg://user?id=")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// utf16Len is the length of s in UTF-16 code units, the unit of
// Telegram's length limits and entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
