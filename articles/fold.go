package articles

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// fold maps one rune to its search form: full-width letters, digits and
// punctuation to their ASCII forms, then lower case. It maps rune to rune,
// so positions in folded text are positions in the original, which is what
// snippet highlighting relies on.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	if r == utf8.RuneError {
		return ' '
	}
	if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth || p.Kind() == width.EastAsianHalfwidth {
		if f := p.Folded(); f != 0 && utf8.RuneLen(f) > 0 {
			r = f
		}
	}
	return unicode.ToLower(r)
}

// foldRunes returns the folded runes of s; invalid UTF-8 becomes spaces.
func foldRunes(s string) []rune {
	out := make([]rune, 0, len(s)/2)
	for _, r := range s {
		out = append(out, fold(r))
	}
	return out
}

// isWord reports whether unicode61, FTS5's tokenizer, keeps r inside a
// token: letters, numbers and private-use characters.
func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// Fold returns s as search compares it: full-width forms narrowed, lower
// case, invalid UTF-8 as spaces.
func Fold(s string) string { return string(foldRunes(s)) }
