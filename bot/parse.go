package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxInput bounds how much of a message the bot reads: a 10,000-character
// message costs no more than a short one.
const maxInput = 500

// parsed is a message split into a command and its arguments.
type parsed struct {
	name string   // the command's name as typed, folded: "sub", "订阅"; "" for plain text
	args []string // the words after it
	rest string   // everything after the name, trimmed (for search)
	to   string   // the bot named in /cmd@name, if any
}

// clean makes user text safe to read: valid UTF-8, no control or
// invisible characters, ideographic spaces as spaces, full-width letters,
// digits and signs as ASCII (a Chinese keyboard types ／订阅 or 每日条数 ５),
// and at most maxInput characters.
func clean(s string) string {
	s = strings.ToValidUTF8(s, " ")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxInput {
			break
		}
		switch {
		case r == '\u3000' || r == '\t' || r == '\n' || r == '\r':
			r = ' '
		case unicode.IsControl(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u2060':
			continue
		case r >= '\uff01' && r <= '\uff5e' && !strings.ContainsRune("，；：（）！？", r):
			r -= 0xfee0 // the full-width forms of ASCII; Chinese punctuation stays
		case r == '\u2212' || r == '\ufe63':
			r = '-' // minus signs typed for an exclusion
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}

// parse reads a command. English commands need a leading slash; Chinese
// ones work with or without it, and with or without a space before the
// argument ("订阅工业"). Anything else is plain text, with name "".
func parse(text string, chinese []string) parsed {
	text = clean(text)
	bare := strings.TrimPrefix(text, "/")
	for _, name := range chinese { // longest first
		if rest, ok := strings.CutPrefix(bare, name); ok {
			return withArgs(parsed{name: name}, rest)
		}
	}
	if strings.HasPrefix(text, "/") {
		head, rest, _ := strings.Cut(text[1:], " ")
		name, to, _ := strings.Cut(head, "@")
		return withArgs(parsed{name: strings.ToLower(name), to: to}, rest)
	}
	return withArgs(parsed{}, text)
}

func withArgs(p parsed, rest string) parsed {
	rest = strings.TrimSpace(rest)
	if p.name != "" {
		// "订阅：交通", "订阅: 交通"
		rest = strings.TrimSpace(strings.TrimLeft(rest, ":："))
	}
	p.rest = rest
	for _, a := range strings.FieldsFunc(p.rest, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	}) {
		// "订阅 【工业】", "订阅 「工业」"
		if a = strings.Trim(a, "【】[]「」『』《》“”\"'()（）<>〈〉"); a != "" {
			p.args = append(p.args, a)
		}
	}
	if p.name != "" && len(p.args) == 0 {
		// "推送时间 【】": brackets around nothing are no argument, so a
		// command's rest is empty exactly when it has no args.
		p.rest = ""
	}
	return p
}

// truncate shortens s for an echo in a reply.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
