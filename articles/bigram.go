package articles

import (
	"strings"
)

// Text is indexed as overlapping bigrams of each run of letters and digits,
// plus the run's last character ("梧州市" → "梧州 州市 市", "GDP" → "gd dp
// p"), so every character position starts exactly one token. A query for
// any substring of a run then becomes a phrase of consecutive tokens, and a
// one-character query a prefix query: the same matches as LIKE '%q%', for
// Chinese and Latin alike, from the index. Both sides are folded first.

// bigrams returns the index form of text.
func bigrams(text string) string {
	var b strings.Builder
	b.Grow(len(text) * 2)
	eachRun(foldRunes(text), func(run []rune, _ bool) { writeRun(&b, run, true) })
	return b.String()
}

// eachRun calls fn for every maximal run of letters and digits in rs,
// saying whether it is the last one.
func eachRun(rs []rune, fn func(run []rune, last bool)) {
	var start = -1
	var pending []rune
	for i := 0; i <= len(rs); i++ {
		if i < len(rs) && isWord(rs[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if pending != nil {
				fn(pending, false)
			}
			pending = rs[start:i]
			start = -1
		}
	}
	if pending != nil {
		fn(pending, true)
	}
}

// writeRun writes the bigrams of run, and its tail unigram when withTail,
// each token preceded by a space unless it is the first.
func writeRun(b *strings.Builder, run []rune, withTail bool) {
	token := func(rs ...rune) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		for _, r := range rs {
			b.WriteRune(r)
		}
	}
	for k := 0; k+1 < len(run); k++ {
		token(run[k], run[k+1])
	}
	if withTail || len(run) == 1 {
		token(run[len(run)-1])
	}
}

// maxTerms and maxTermRunes bound what one query can ask of the index, so a
// 10,000-character message costs no more than a short one.
const (
	maxTerms     = 8
	maxTermRunes = 32
)

// splitTerms splits user input on white space, folds it, and drops empty
// and repeated terms. Characters that can never be part of a token are
// trimmed from both ends, so `"梧州"` or `(西江)` search for the word inside.
func splitTerms(input string) []string {
	var terms []string
	seen := map[string]bool{}
	for _, f := range strings.Fields(strings.ToValidUTF8(input, " ")) {
		rs := foldRunes(f)
		start, end := 0, len(rs)
		for start < end && !isWord(rs[start]) {
			start++
		}
		for end > start && !isWord(rs[end-1]) {
			end--
		}
		rs = rs[start:end]
		if len(rs) == 0 {
			continue
		}
		if len(rs) > maxTermRunes {
			rs = rs[:maxTermRunes]
		}
		t := string(rs)
		if seen[t] {
			continue
		}
		seen[t] = true
		terms = append(terms, t)
		if len(terms) == maxTerms {
			break
		}
	}
	return terms
}

// matchExpr turns folded terms into an FTS5 MATCH expression: each term a
// quoted phrase (so FTS5 syntax in user input is inert), joined by AND.
// It returns "" when no term can match anything.
func matchExpr(terms []string) string {
	return strings.Join(termPhrases(terms), " AND ")
}

// termPhrases converts each term that can match anything.
func termPhrases(terms []string) []string {
	var phrases []string
	for _, t := range terms {
		if p := termPhrase(t); p != "" {
			phrases = append(phrases, p)
		}
	}
	return phrases
}

// termPhrase converts one folded term. A run inside the term keeps its tail
// unigram (the document's run ended there too); the last run drops it,
// since the document's run may go on; a last run of one character becomes a
// prefix, matching any token that starts with it.
func termPhrase(term string) string {
	var b strings.Builder
	prefix := false
	eachRun([]rune(term), func(run []rune, last bool) {
		writeRun(&b, run, !last)
		prefix = last && len(run) == 1
	})
	if b.Len() == 0 {
		return ""
	}
	// Only letters, digits and spaces are left, so no quote can appear inside.
	if prefix {
		return `"` + b.String() + `"*`
	}
	return `"` + b.String() + `"`
}

// MatchExpression returns the FTS5 expression the store runs for a query,
// or "" when nothing in it can match: for tools that query the index
// directly, such as the benchmarks.
func MatchExpression(query string) string { return matchExpr(splitTerms(query)) }
