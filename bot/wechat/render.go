package wechat

import (
	"strings"
	"unicode/utf8"
	"wzdaily/chat"
)

// DefaultMaxLength is how many characters one WeChat message carries here.
// The web client takes longer ones, but long messages from a personal
// account look like spam to WeChat's filters and are hard to read.
const DefaultMaxLength = 2000

// text renders a message for WeChat: plain text with numbered lists and
// links, and buttons as replies to type ("回复数字：[1] 更多"). Buttons
// with a word of their own are left to the text, which names the word.
func text(m chat.Message) string {
	out := chat.PlainText(m)
	if len(chat.Numbered(m.Buttons)) > 0 {
		out += "\n" + replyHint(m)
	}
	return clean(out)
}

// replyHint lists the buttons as numbers to reply with.
func replyHint(m chat.Message) string {
	return "回复数字：" + chat.NumberedButtons(m)
}

// Length is a message's length as Split counts it: characters of the
// rendered text. The digest packs parts with it.
func Length(m chat.Message) int { return utf8.RuneCountInString(text(m)) }

// split cuts a text longer than max characters at line ends (or, for a
// single long line, anywhere), so nothing is lost.
func split(s string, max int) []string {
	if max <= 0 {
		max = DefaultMaxLength
	}
	var out []string
	for utf8.RuneCountInString(s) > max {
		cut := cutAt(s, max)
		out = append(out, strings.TrimRight(s[:cut], "\n"))
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// cutAt returns a byte offset holding at most max characters, at the last
// newline within them when there is one.
func cutAt(s string, max int) int {
	n, end := 0, len(s)
	for i := range s {
		if n == max {
			end = i
			break
		}
		n++
	}
	if nl := strings.LastIndexByte(s[:end], '\n'); nl > 0 {
		return nl + 1
	}
	return end
}

// clean drops what WeChat would mangle: invalid UTF-8 and control
// characters other than newlines.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
