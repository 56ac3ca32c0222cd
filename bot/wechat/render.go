package wechat

import (
	"unicode/utf8"

	"wzdaily/chat"
)

// DefaultMaxLength is how many characters one WeChat message carries here.
// The web client takes longer ones, but long messages from a personal
// account look like spam to WeChat's filters and are hard to read.
const DefaultMaxLength = 2000

// text renders a message for WeChat, which shows plain text only.
func text(m chat.Message) string { return chat.TextOnly(m) }

// Length is a message's length as split counts it: characters of the
// rendered text. The digest packs parts with it.
func Length(m chat.Message) int { return utf8.RuneCountInString(text(m)) }

// split cuts a text longer than max characters, losing nothing.
func split(s string, max int) []string {
	if max <= 0 {
		max = DefaultMaxLength
	}
	return chat.SplitText(s, max, chat.Runes)
}
