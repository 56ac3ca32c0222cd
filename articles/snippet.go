package articles

import (
	"strings"
)

// Fragment is a piece of text, marked when it matched a search term.
type Fragment struct {
	Text string
	Hit  bool
}

// Snippet is text cut around the first hit, with every hit marked.
// Transports render the marks: <b> on Telegram, 【】 in plain text.
type Snippet []Fragment

// String returns the plain text.
func (s Snippet) String() string { return s.Mark("", "", nil) }

// Mark renders the snippet, wrapping hits in open and close and passing
// every piece of text through escape first when it is not nil.
func (s Snippet) Mark(open, close string, escape func(string) string) string {
	var b strings.Builder
	for _, f := range s {
		t := f.Text
		if escape != nil {
			t = escape(t)
		}
		if f.Hit {
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
// cuts text to about window runes, starting a little before the first hit.
// Matching runs on folded text, so ＰＭ２.５ in an article matches pm2.5.
func highlight(text string, terms []string, window int) Snippet {
	orig := []rune(text)
	folded := make([]rune, len(orig))
	for i, r := range orig {
		folded[i] = fold(r)
	}
	hit := make([]bool, len(orig))
	first := -1
	for _, t := range terms {
		tr := []rune(t)
		for i := indexRunes(folded, tr, 0); i >= 0; i = indexRunes(folded, tr, i+len(tr)) {
			for k := i; k < i+len(tr); k++ {
				hit[k] = true
			}
			if first < 0 || i < first {
				first = i
			}
		}
	}
	start, end := 0, len(orig)
	if window > 0 && len(orig) > window {
		if first > window/4 {
			start = first - window/4
		}
		end = min(start+window, len(orig))
		if end-start < window {
			start = max(0, end-window)
		}
	}
	var out Snippet
	if start > 0 {
		out = append(out, Fragment{Text: "…"})
	}
	for i := start; i < end; {
		j := i
		for j < end && hit[j] == hit[i] {
			j++
		}
		out = append(out, Fragment{Text: string(orig[i:j]), Hit: hit[i]})
		i = j
	}
	if end < len(orig) {
		out = append(out, Fragment{Text: "…"})
	}
	return out
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
