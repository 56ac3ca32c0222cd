package articles

import (
	"strings"
	"unicode"
)

// Fragment is a piece of text, marked when it matched a search term.
type Fragment struct {
	Text string
	Hit  bool
	// Inside: the hit is part of a longer number or Latin word (the 3 of
	// 71.32). Marks that add characters would break it up (71.「3」2), so
	// plain text leaves it unmarked.
	Inside bool
}

// Snippet is text cut around the first hit, with every hit marked.
// Transports render the marks: <b> on Telegram, 【】 in plain text.
type Snippet []Fragment

// String returns the plain text.
func (s Snippet) String() string { return s.Mark("", "", nil) }

// Mark renders the snippet, wrapping hits in open and close and passing
// every piece of text through escape first when it is not nil. A hit
// inside a number or a Latin word is left unmarked: marks that add
// characters would break it up (71.【3】2).
func (s Snippet) Mark(open, close string, escape func(string) string) string {
	var b strings.Builder
	for _, f := range s {
		t := f.Text
		if escape != nil {
			t = escape(t)
		}
		if f.Hit && !f.Inside {
			b.WriteString(open)
			b.WriteString(t)
			b.WriteString(close)
		} else {
			b.WriteString(t)
		}
	}
	return b.String()
}

// SnippetRunes is the length of a body snippet.
const SnippetRunes = 80

// highlight marks every occurrence of the terms in text. With window > 0 it
// cuts text to about window runes, starting a little before the first hit
// where a clause starts, never inside a number or a Latin word.
// Matching runs on folded text, so ＰＭ２.５ in an article matches pm2.5.
func highlight(text string, terms []string, window int) Snippet {
	orig := []rune(text)
	folded := make([]rune, len(orig))
	for i, r := range orig {
		folded[i] = fold(r)
	}
	hit := make([]bool, len(orig))
	first, last := -1, 0
	for _, t := range terms {
		tr := []rune(t)
		for i := indexRunes(folded, tr, 0); i >= 0; i = indexRunes(folded, tr, i+len(tr)) {
			for k := i; k < i+len(tr); k++ {
				hit[k] = true
			}
			if first < 0 || i < first {
				first, last = i, i+len(tr)
			}
		}
	}
	start, end := cutWindow(folded, max(first, 0), last, window)
	var out Snippet
	if start > 0 {
		out = append(out, Fragment{Text: "…"})
	}
	for i := start; i < end; {
		j := i
		for j < end && hit[j] == hit[i] {
			j++
		}
		f := Fragment{Text: string(orig[i:j]), Hit: hit[i]}
		// Whether a hit is glued to its neighbours is a matter of the whole
		// text, not of the window: a cut never falls inside a number.
		f.Inside = f.Hit && (glued(folded, i) || glued(folded, j))
		out = append(out, f)
		i = j
	}
	if end < len(orig) {
		out = append(out, Fragment{Text: "…"})
	}
	return out
}

// snippetReach is how far a snippet's start moves back, beyond the
// context it wants before the first hit, to begin where a clause does.
const snippetReach = 12

// tokenReach is the longest number or Latin word a snippet keeps whole
// beyond its window; a longer run (a URL, a hostile body of one letter
// repeated) is not something a reader reads, and it is cut like text.
const tokenReach = maxTermRunes

// cutWindow returns the part of folded, about window runes, that a snippet
// shows around the hit [first, last): from a clause's start (after
// punctuation or a space) close to a quarter of the window before the hit,
// else from the hit itself, and to a clause's end when one is near.
// Neither end falls inside a number or a Latin word (up to tokenReach
// runes of one), so a hit inside a long one can make the part a little
// longer. window <= 0 keeps everything.
func cutWindow(folded []rune, first, last, window int) (start, end int) {
	n := len(folded)
	if window <= 0 || n <= window {
		return 0, n
	}
	want := max(0, first-window/4)
	if n-want < window { // near the end: show a full window
		want = max(0, n-window)
	}
	start = clauseStart(folded, want, first, max(0, last-window))
	end = min(n, start+window)
	if end == n {
		return start, end
	}
	for p := end; p > max(start+1, end-window/4, last); p-- {
		if breaks(folded, p) {
			end = p
			break
		}
	}
	for end > max(start+1, last) && glued(folded, end) {
		end--
	}
	for end < n && end < start+window+tokenReach && glued(folded, end) {
		end++ // the hit's own number: show it whole
	}
	for end > max(start+1, last) && isPause(folded[end-1]) {
		end-- // "…" follows: "优势，…" reads as a stumble
	}
	return start, end
}

// clauseStart returns where a snippet that wants to start at want, and
// must show the hit at first, begins: a clause start at or a little before
// want (not before lowest), else one between want and the hit, else the
// start of the word or number the hit is in.
func clauseStart(folded []rune, want, first, lowest int) int {
	for p := want; p >= max(lowest, want-snippetReach); p-- {
		if p == 0 || breaks(folded, p) {
			return p
		}
	}
	for p := want + 1; p <= first; p++ {
		if breaks(folded, p) {
			return p
		}
	}
	p := first
	for p > max(0, first-tokenReach) && glued(folded, p) {
		p--
	}
	return p
}

// breaks reports whether a clause starts at p: after punctuation or a
// space that is not inside a number (the point of 71.32).
func breaks(folded []rune, p int) bool {
	if p <= 0 || p >= len(folded) {
		return p <= 0
	}
	r := folded[p-1]
	return (unicode.IsPunct(r) || unicode.IsSpace(r)) && !glued(folded, p-1) && !glued(folded, p)
}

// glued reports whether the boundary before p falls inside a number or a
// Latin word: both sides are Latin letters or digits, or one side is a
// point or a comma between digits (1,000.5).
func glued(folded []rune, p int) bool {
	if p <= 0 || p >= len(folded) {
		return false
	}
	return inToken(folded, p-1) && inToken(folded, p)
}

// inToken reports whether folded[k] is part of a number or a Latin word.
func inToken(folded []rune, k int) bool {
	r := folded[k]
	if isLatinOrDigit(r) {
		return true
	}
	if r != '.' && r != ',' {
		return false
	}
	return k > 0 && k+1 < len(folded) && unicode.IsDigit(folded[k-1]) && unicode.IsDigit(folded[k+1])
}

func isLatinOrDigit(r rune) bool {
	return ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || (r > unicode.MaxLatin1 && unicode.Is(unicode.Latin, r))
}

// isPause reports whether r is a pause within a sentence, which a cut
// snippet should not end on.
func isPause(r rune) bool {
	return strings.ContainsRune("，、；：,;: ", r)
}

func indexRunes(s, sub []rune, from int) int {
	if len(sub) == 0 {
		return -1
	}
outer:
	for i := from; i+len(sub) <= len(s); i++ {
		for k := range sub {
			if s[i+k] != sub[k] {
				continue outer
			}
		}
		return i
	}
	return -1
}

// flatten joins paragraphs into one line for a snippet.
func flatten(body string) string {
	return strings.ReplaceAll(body, "\n\n", " ")
}

// searchedText is the text a body snippet is cut from: the body, after the
// lead when the lead is a summary of its own rather than the body's start.
func searchedText(a *Article) string {
	body := flatten(a.Body)
	if a.Lead == "" || strings.HasPrefix(body, strings.TrimSuffix(a.Lead, "…")) {
		return body
	}
	return a.Lead + " " + body
}
