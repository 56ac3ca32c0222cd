package chat

import (
	"slices"
	"strconv"
	"strings"
)

// Message is one reply.
type Message struct {
	Blocks  []Block
	Buttons [][]Button // rows of buttons; transports without buttons number them
	// Replace asks the transport to edit the message whose button was
	// pressed instead of sending a new one, where it can (search pages).
	Replace bool
	// Thread is the part of the chat a sent message goes to (a Telegram
	// forum topic, as in Update.Thread); "" for the chat's main one.
	// Transports without threads ignore it.
	Thread string
}

// BlockKind says how a block is laid out.
type BlockKind int

const (
	Paragraph BlockKind = iota
	Heading
	Item // one entry of a list
)

// Block is a paragraph, a heading or a list item, made of spans.
type Block struct {
	Kind  BlockKind
	Spans []Span
	// Number is an item's number in its list. Zero numbers it one past
	// the item before it, from 1 after a heading or a paragraph; a list
	// that goes on from an earlier message says where it is.
	Number int
}

// Style is how a span is shown.
type Style int

const (
	Plain Style = iota
	Bold
	Hit // a search hit inside a snippet
	// HitInside is a hit inside a longer number or Latin word (the 3 of
	// 71.32): styled where text has styles, unmarked in plain text, where
	// marks would break the number up.
	HitInside
	Link // Text shown, URL opened
	Muted
)

// Span is a run of text with one style. Text is never markup: transports
// escape it for their format.
type Span struct {
	Text  string
	Style Style
	// URL is where a Link span leads. A span of another style with a URL
	// is the text of a link (an item's title): consecutive spans with the
	// same URL make one link. Where text cannot link, the address is
	// written at the end of its block, on a line of its own.
	URL string
}

// Button carries a short payload back to the bot when pressed.
type Button struct {
	Label string
	Data  string // at most MaxButtonData bytes
	// Word, when set, is what a reader types for this button where
	// buttons cannot be pressed ("下一页"); the message says so in its
	// text. Such a button is never numbered, so a number typed is never
	// taken for it.
	Word string
}

// MaxButtonData is Telegram's limit on callback data, which the bot keeps
// on every platform.
const MaxButtonData = 64

// PlainText renders a message as plain text: headings in 【】, list items
// numbered, links as "label URL", linked text with its address on a line
// at the end of the block, hits in 「」. Buttons are not included; see
// NumberedButtons.
func PlainText(m Message) string {
	var b strings.Builder
	n := 0
	for i, bl := range m.Blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch bl.Kind {
		case Heading:
			b.WriteString("【")
			writeSpans(&b, bl.Spans)
			b.WriteString("】")
			n = 0
		case Item:
			n = ItemNumber(bl, n)
			b.WriteString(strconv.Itoa(n))
			b.WriteString(". ")
			writeSpans(&b, bl.Spans)
		default:
			writeSpans(&b, bl.Spans)
			n = 0
		}
	}
	return b.String()
}

// ItemNumber is the number of an item that follows the item numbered
// prev (0 after anything else).
func ItemNumber(bl Block, prev int) int {
	if bl.Number > 0 {
		return bl.Number
	}
	return prev + 1
}

func writeSpans(b *strings.Builder, spans []Span) {
	var linked []string // addresses of linked text, written last
	for _, s := range spans {
		switch s.Style {
		case Hit:
			b.WriteString("「" + s.Text + "」")
		case HitInside:
			b.WriteString(s.Text)
		case Link:
			if s.Text != "" && s.Text != s.URL {
				b.WriteString(s.Text)
				b.WriteString(" ")
			}
			b.WriteString(s.URL)
			continue
		default:
			b.WriteString(s.Text)
		}
		if s.URL != "" && !slices.Contains(linked, s.URL) {
			linked = append(linked, s.URL)
		}
	}
	for _, u := range linked {
		b.WriteString("\n" + u)
	}
}

// NumberedButtons renders buttons as numbered choices, "[1] 更多", for
// transports without buttons; choice n is Numbered(m.Buttons)[n-1]. It is
// "" when no button is numbered.
func NumberedButtons(m Message) string {
	var parts []string
	for _, b := range Numbered(m.Buttons) {
		parts = append(parts, "["+strconv.Itoa(len(parts)+1)+"] "+b.Label)
	}
	return strings.Join(parts, "  ")
}

// Numbered lists, row by row, the buttons that transports without buttons
// offer as numbered choices: those without a Word.
func Numbered(rows [][]Button) []Button {
	var out []Button
	for _, b := range Flatten(rows) {
		if b.Word == "" {
			out = append(out, b)
		}
	}
	return out
}

// Flatten lists the buttons row by row.
func Flatten(rows [][]Button) []Button {
	var out []Button
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
