package telegram

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"wzdaily/chat"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// MaxLength is Telegram's limit on a message's visible text, in UTF-16
// units: the text after tags are removed and entities decoded.
const MaxLength = 4096

// rendered is a message in Telegram's HTML parse mode, with its visible
// text, which is what the length limit counts.
type rendered struct {
	HTML    string
	Visible string
}

// render turns a neutral message into Telegram HTML. Every piece of text is
// escaped; the only tags are the ones written here.
func render(m chat.Message) rendered {
	var h, v strings.Builder
	n := 0
	for i, bl := range m.Blocks {
		if i > 0 {
			h.WriteByte('\n')
			v.WriteByte('\n')
		}
		switch bl.Kind {
		case chat.Heading:
			h.WriteString("<b>")
			writeSpans(&h, &v, bl.Spans, true)
			h.WriteString("</b>")
			n = 0
		case chat.Item:
			n = chat.ItemNumber(bl, n)
			num := strconv.Itoa(n) + ". "
			h.WriteString(num)
			v.WriteString(num)
			writeSpans(&h, &v, bl.Spans, false)
		default:
			writeSpans(&h, &v, bl.Spans, false)
			n = 0
		}
	}
	return rendered{HTML: h.String(), Visible: v.String()}
}

// writeSpans writes spans as HTML to h and as visible text to v. Inside a
// heading, already bold, bold spans are not nested again. Consecutive
// spans that carry one URL (a linked title) are one link: on a phone the
// title opens the article, with no address to scroll past.
func writeSpans(h, v *strings.Builder, spans []chat.Span, inBold bool) {
	linked := func(i int) string {
		if i < 0 || i >= len(spans) || spans[i].Style == chat.Link {
			return ""
		}
		if u := clean(spans[i].URL); safeURL(u) {
			return u
		}
		return ""
	}
	for i, s := range spans {
		t := clean(s.Text)
		u := linked(i)
		if u != "" && u != linked(i-1) {
			h.WriteString(`<a href="` + escapeAttr(u) + `">`)
		}
		writeSpan(h, v, s, t, inBold)
		if u != "" && u != linked(i+1) {
			h.WriteString("</a>")
		}
	}
}

func writeSpan(h, v *strings.Builder, s chat.Span, t string, inBold bool) {
	switch s.Style {
	case chat.Bold:
		styled(h, v, t, "b", inBold)
	case chat.Hit, chat.HitInside:
		styled(h, v, t, "u", false)
	case chat.Muted:
		styled(h, v, t, "i", false)
	case chat.Link:
		u := clean(s.URL)
		if !safeURL(u) {
			h.WriteString(escape(t))
			v.WriteString(t)
			return
		}
		if t == "" {
			t = u
		}
		h.WriteString(`<a href="` + escapeAttr(u) + `">` + escape(t) + "</a>")
		v.WriteString(t)
	default:
		h.WriteString(escape(t))
		v.WriteString(t)
	}
}

func styled(h, v *strings.Builder, t, tag string, omit bool) {
	if t == "" {
		return
	}
	if omit {
		h.WriteString(escape(t))
	} else {
		h.WriteString("<" + tag + ">" + escape(t) + "</" + tag + ">")
	}
	v.WriteString(t)
}

// safeURL keeps links Telegram accepts; anything else (javascript:, a
// relative path) is shown as text.
func safeURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

var (
	escaper     = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

func escape(s string) string     { return escaper.Replace(s) }
func escapeAttr(s string) string { return attrEscaper.Replace(s) }

// clean makes text safe to send: invalid UTF-8 becomes U+FFFD, and control
// characters other than newline and tab are dropped, since Telegram refuses
// or silently mangles them.
func clean(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for i := 0; i < len(s); i++ {
			if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// Length is the length Telegram counts for a message: UTF-16 units of the
// visible text. The digest packs parts with it.
func Length(m chat.Message) int {
	return utf16Len(render(m).Visible)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// keyboard turns button rows into an inline keyboard, or nil for none.
// Buttons whose data would not fit Telegram's 64 bytes are left out; the
// bot never makes such buttons, so that is a safeguard, not a path.
func keyboard(rows [][]chat.Button) *tgbotapi.InlineKeyboardMarkup {
	var kb [][]tgbotapi.InlineKeyboardButton
	for _, r := range rows {
		var row []tgbotapi.InlineKeyboardButton
		for _, b := range r {
			if b.Data == "" || len(b.Data) > chat.MaxButtonData {
				continue
			}
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(clean(b.Label), b.Data))
		}
		if len(row) > 0 {
			kb = append(kb, row)
		}
	}
	if len(kb) == 0 {
		return nil
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb}
}
