package chat

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// TextOnly renders a message for platforms that show plain text and have no
// buttons (personal WeChat, the Official Account): PlainText, then the
// numbered buttons as replies to type ("回复数字：[1] 更多"). Buttons with a
// word of their own are left to the text, which names the word. What such
// platforms mangle (invalid UTF-8, control characters other than newlines)
// is dropped.
func TextOnly(m Message) string {
	out := PlainText(m)
	if len(Numbered(m.Buttons)) > 0 {
		out += "\n回复数字：" + NumberedButtons(m)
	}
	return cleanText(out)
}

func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// Runes counts a character as one: the unit of platforms that limit
// messages in characters.
func Runes(rune) int { return 1 }

// UTF8Bytes counts a character's bytes in UTF-8: the unit of platforms that
// limit messages in bytes (a Chinese character is three).
func UTF8Bytes(r rune) int {
	if n := utf8.RuneLen(r); n > 0 {
		return n
	}
	return len(string(utf8.RuneError))
}

// SplitText cuts a text longer than max (in the unit size counts for each
// character) at line ends, or, for a single long line, anywhere, so nothing
// is lost. It returns at least one piece.
func SplitText(s string, max int, size func(rune) int) []string {
	return SplitTextFirst(s, max, max, size)
}

// SplitTextFirst is SplitText with a smaller limit, first, for the first
// piece: one that shares its message with something else.
func SplitTextFirst(s string, first, max int, size func(rune) int) []string {
	var out []string
	limit := first
	for measure(s, size) > limit {
		cut := cutAt(s, limit, size)
		out = append(out, strings.TrimRight(s[:cut], "\n"))
		s = strings.TrimLeft(s[cut:], "\n")
		limit = max
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

func measure(s string, size func(rune) int) int {
	n := 0
	for _, r := range s {
		n += size(r)
	}
	return n
}

// cutAt returns a byte offset holding at most max units, at the last line
// end within them (or just after them) when there is one; at least one
// character, so that a max smaller than a character still makes progress.
func cutAt(s string, max int, size func(rune) int) int {
	n, end := 0, len(s)
	for i, r := range s {
		if n+size(r) > max {
			end = i
			break
		}
		n += size(r)
	}
	if end == 0 {
		_, w := utf8.DecodeRuneInString(s)
		return w
	}
	if end < len(s) && s[end] == '\n' {
		return end + 1
	}
	if nl := strings.LastIndexByte(s[:end], '\n'); nl > 0 {
		return nl + 1
	}
	return end
}

// Choices remembers the numbered buttons of the last message each chat was
// sent, so that on a platform without buttons a reply of "2" presses the
// second. The zero value is ready; it is safe for concurrent use.
type Choices struct {
	mu   sync.Mutex
	last map[Key][]Button
}

// Remember records m as the last message sent to the chat.
func (c *Choices) Remember(to Key, m Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	numbered := Numbered(m.Buttons)
	if len(numbered) == 0 {
		delete(c.last, to)
		return
	}
	if c.last == nil {
		c.last = map[Key][]Button{}
	}
	c.last[to] = numbered
}

// Pressed turns a reply of a number into the data of the button it names,
// if the chat's last message had that many.
func (c *Choices) Pressed(from Key, text string) (string, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.last[from]
	if n < 1 || n > len(b) {
		return "", false
	}
	return b[n-1].Data, true
}
