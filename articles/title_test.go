package articles

import (
	"strings"
	"testing"
)

func TestCapRunesKeepsCharactersWhole(t *testing.T) {
	cases := map[string]struct {
		in   string
		n    int
		want string
	}{
		"plain":                      {"abcdef", 4, "abc…"},
		"a combining accent":         {"abe\u0301f", 4, "ab…"},
		"a joined emoji":             {"ab👩\u200d👩\u200d👧cd", 5, "ab…"},
		"a variation selector":       {"ab\u2764\ufe0fcd", 4, "ab…"},
		"trailing space":             {"ab  cdef", 4, "ab…"},
		"marks without a boundary":   {"a" + strings.Repeat("\u0301", 100), 10, "a" + strings.Repeat("\u0301", 8) + "…"},
		"multi-byte at the boundary": {"梧州日报新闻", 3, "梧州…"},
	}
	for name, c := range cases {
		if got := capRunes(c.in, c.n); got != c.want {
			t.Errorf("%s: capRunes(%q, %d) = %q, want %q", name, c.in, c.n, got, c.want)
		}
	}
}
