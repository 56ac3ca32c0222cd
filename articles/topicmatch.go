package articles

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Points: each word of a topic in the title gives it 2, each sentence of
// the body with one of its words 1. A topic needs min of them (2 unless
// the table says otherwise): by default one title word, or words in two
// sentences of the body.
const (
	titlePoints = 2
	defaultMin  = 2
	maxMin      = 100
)

// ruleSet is the rules for the posts of some sources (or of every source
// without a table of its own): each topic's words by kind, the stop
// phrases taken out of the text before anything is counted, and the
// places that "place" words must share a clause with.
type ruleSet struct {
	sources []string // nil for the general rules
	line    int      // where its section starts, for messages
	min     int      // the points a topic needs
	rules   []topicRule
	byTopic map[string]int // a topic → its rule, while the table is read
	stops   []string       // folded
	places  []string       // folded

	// Built by index, so that matching makes one pass over the text and
	// looks words up only where one can start.
	words      map[string][]wordRef // a folded word or place → what it is
	lengths    []int                // distinct byte lengths in words, longest first
	starts     runeSet              // the first runes of words and places
	stopSet    map[string]bool
	stopLens   []int
	stopStarts runeSet
}

// runeSet is a set of runes: a bitmap for the Basic Multilingual Plane,
// where Chinese is, and a map for the rest.
type runeSet struct {
	bmp   [1 << 16 / 64]uint64
	other map[rune]bool
}

func (s *runeSet) add(r rune) {
	if r < 1<<16 {
		s.bmp[r/64] |= 1 << (r % 64)
		return
	}
	if s.other == nil {
		s.other = map[rune]bool{}
	}
	s.other[r] = true
}

func (s *runeSet) has(r rune) bool {
	if r < 1<<16 {
		return s.bmp[r/64]&(1<<(r%64)) != 0
	}
	return s.other[r]
}

// firstRune is the first rune of a non-empty word.
func firstRune(w string) rune {
	r, _ := utf8.DecodeRuneInString(w)
	return r
}

type topicRule struct {
	topic string
	words [3][]string // folded, by wordKind
}

// wordRef is what a word in the text means: a place (rule < 0) or a word
// of rule's topic, counted as kind says.
type wordRef struct {
	rule int
	kind wordKind
}

func (rs *ruleSet) add(topic string, kind wordKind, words []string) {
	if i, ok := rs.byTopic[topic]; ok {
		rs.rules[i].words[kind] = words
		return
	}
	if rs.byTopic == nil {
		rs.byTopic = map[string]int{}
	}
	rs.byTopic[topic] = len(rs.rules)
	r := topicRule{topic: topic}
	r.words[kind] = words
	rs.rules = append(rs.rules, r)
}

func (rs *ruleSet) index() {
	rs.stops, rs.places = dedupe(rs.stops), dedupe(rs.places)
	for i := range rs.rules {
		for k := range rs.rules[i].words {
			rs.rules[i].words[k] = dedupe(rs.rules[i].words[k])
		}
	}
	rs.words = map[string][]wordRef{}
	lengths := map[int]bool{}
	// Each list is without repeats, so each (word, rule, kind) comes once.
	note := func(w string, ref wordRef) {
		rs.words[w] = append(rs.words[w], ref)
		rs.starts.add(firstRune(w))
		if !lengths[len(w)] {
			lengths[len(w)] = true
			rs.lengths = append(rs.lengths, len(w))
		}
	}
	for i, r := range rs.rules {
		for k, words := range r.words {
			for _, w := range words {
				note(w, wordRef{rule: i, kind: wordKind(k)})
			}
		}
	}
	for _, p := range rs.places {
		note(p, wordRef{rule: -1})
	}
	rs.stopSet = map[string]bool{}
	for _, s := range rs.stops {
		rs.stopSet[s] = true
		rs.stopStarts.add(firstRune(s))
		if !slices.Contains(rs.stopLens, len(s)) { // at most maxWordBytes lengths
			rs.stopLens = append(rs.stopLens, len(s))
		}
	}
	slices.SortFunc(rs.lengths, func(a, b int) int { return b - a })
	slices.SortFunc(rs.stopLens, func(a, b int) int { return b - a })
}

// hit is one occurrence of a topic word, and whether it counted.
type hit struct {
	rule    int
	word    string
	kind    wordKind
	title   bool
	counted bool
}

// rulesFor picks the rules for a post of these categories: the first that
// has a section of its own, else the general rules.
func (t *topicTable) rulesFor(categories []string) *ruleSet {
	for _, c := range categories {
		if rs, ok := t.bySource[c]; ok {
			return rs
		}
	}
	return t.general
}

// all lists the general rules and then each section's.
func (t *topicTable) all() []*ruleSet {
	return append([]*ruleSet{t.general}, t.sections...)
}

func (t *topicTable) match(categories []string, title, body string) []string {
	rs := t.rulesFor(categories)
	score := rs.score(title, body, nil, nil)
	var out []string
	for i, r := range rs.rules {
		if score[i] >= rs.min {
			out = append(out, r.topic)
		}
	}
	return out
}

// score adds up each rule's points. rec, when given, hears of every topic
// word found, counted or not; stopped of every stop phrase taken out.
func (rs *ruleSet) score(title, body string, rec func(hit), stopped func(phrase string, title bool)) []int {
	score := make([]int, len(rs.rules))
	// seen[r] is 1 + the body sentence in which rule r last scored.
	seen := make([]int, len(rs.rules))
	add := func(h hit, sentence int) {
		switch {
		case !h.counted:
		case h.title:
			score[h.rule] += titlePoints
		case seen[h.rule] != sentence+1:
			score[h.rule]++
			seen[h.rule] = sentence + 1
		}
		if rec != nil {
			rec(h)
		}
	}
	rs.scan(rs.unstop(string(foldRunes(title)), true, stopped), true, add)
	rs.scan(rs.unstop(string(foldRunes(body)), false, stopped), false, add)
	return score
}

// stopMark replaces a stop phrase: no word holds it (the parser refuses
// control characters), and it ends no clause.
const stopMark = "\x00"

// unstop replaces every stop phrase in folded text with stopMark, the
// longest phrase first where several start at one place.
func (rs *ruleSet) unstop(text string, title bool, stopped func(string, bool)) string {
	if len(rs.stopLens) == 0 {
		return text
	}
	var b strings.Builder
	last := 0 // text[last:i] is not yet written
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		n := 0
		if rs.stopStarts.has(r) {
			for _, l := range rs.stopLens {
				if i+l <= len(text) && rs.stopSet[text[i:i+l]] {
					n = l
					break
				}
			}
		}
		if n == 0 {
			i += size
			continue
		}
		if stopped != nil {
			stopped(text[i:i+n], title)
		}
		b.WriteString(text[last:i])
		b.WriteString(stopMark)
		i += n
		last = i
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// endsSentence and endsClause tell a folded rune that ends a sentence,
// the unit in which body words count, and a clause, the span in which a
// "place" word needs a place. A full stop in a number ("6.35") ends
// neither; the title is one sentence.
func endsSentence(r rune) bool {
	switch r {
	case '。', '!', '?', '\n', '\r':
		return true
	}
	return false
}

func endsClause(r rune) bool {
	return r == ',' || r == ';' || endsSentence(r)
}

// scan finds the words of folded text, trying each word length at each
// character, and hands each occurrence to add, with the number of its
// sentence, once its clause is known.
func (rs *ruleSet) scan(text string, title bool, add func(hit, int)) {
	var pending []hit // "place" words waiting for the end of their clause
	placed := false
	sentence := 0
	flush := func() {
		for _, h := range pending {
			h.counted = placed
			add(h, sentence)
		}
		pending, placed = pending[:0], false
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		lengths := rs.lengths
		if !rs.starts.has(r) {
			lengths = nil
		}
		for _, l := range lengths {
			if i+l > len(text) {
				continue
			}
			w := text[i : i+l]
			for _, ref := range rs.words[w] {
				h := hit{rule: ref.rule, word: w, kind: ref.kind, title: title}
				switch {
				case ref.rule < 0:
					placed = true
				case ref.kind == nearPlace:
					pending = append(pending, h)
				default:
					h.counted = ref.kind == anywhere || title
					add(h, sentence)
				}
			}
		}
		i += size
		if !title && endsClause(r) {
			flush()
			if endsSentence(r) {
				sentence++
			}
		}
	}
	flush()
}
