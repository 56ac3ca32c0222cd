package articles

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTitleRunes caps a title, in characters. The site's longest real
// title has 46; a title far longer is a broken script or an attack, and
// would fill a chat screen.
const MaxTitleRunes = 200

// FinishTitle is the last step of every parser's title: it removes the
// bidirectional embedding, override and isolate controls (U+202A–U+202E,
// U+2066–U+2069), which can make a title read backwards or disguise the
// text around it in a chat, and caps the length.
func FinishTitle(s string) string {
	if strings.IndexFunc(s, isBidiControl) >= 0 {
		s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
			if isBidiControl(r) {
				return -1
			}
			return r
		}, s)), " ")
	}
	return capRunes(s, MaxTitleRunes)
}

func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// capRunes shortens s to at most n characters, the last one an ellipsis.
// It cuts between characters, and not between a character and the marks
// or joiners that complete it, unless a run of those is absurdly long.
func capRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, i := 0, 0
	for pos := range s {
		if i == n-1 {
			cut = pos
			break
		}
		i++
	}
	at := cut
	for back := 0; ; back++ {
		next, _ := utf8.DecodeRuneInString(s[at:])
		last, size := utf8.DecodeLastRuneInString(s[:at])
		if !continues(next) && last != '\u200d' {
			cut = at
			break
		}
		if back == 32 || at-size <= 0 {
			break // no boundary near: cut between code points
		}
		at -= size
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + "…"
}

// continues reports whether r belongs to the character before it: a
// combining mark, a zero-width joiner or a variation selector.
func continues(r rune) bool {
	return unicode.Is(unicode.M, r) || r == '\u200d' || unicode.Is(unicode.Variation_Selector, r)
}
