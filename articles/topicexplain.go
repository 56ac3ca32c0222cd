package articles

import "strings"

// Explanation says how the rule table tags an article: which rules it
// used, what it took out, and which words gave which topic.
type Explanation struct {
	// Section names the categories of the section used, e.g. "emnews";
	// "" for the general rules.
	Section string
	// Stopped lists the stop phrases taken out before counting.
	Stopped []WordCount
	// Min is the points a topic needs in that table: a word in the title
	// gives 2, each sentence of the body with a word 1.
	Min int
	// Topics lists every topic with a word found, in table order; those
	// with at least Min points are the article's topics.
	Topics []TopicScore
}

// TopicScore is one topic's points and the words that gave them.
type TopicScore struct {
	Topic  string
	Points int
	Tagged bool // it reached the table's Min
	Words  []WordCount
}

// WordCount is one word, where it was found and how often.
type WordCount struct {
	Word    string
	InTitle bool
	// Kind is the rule's kind: "" (counts anywhere), "title" (only in
	// the title) or "place" (only in a clause that names a place).
	Kind string
	// Counted is false for a word found where its kind does not count.
	Counted bool
	Count   int
}

// Explain tags an article as Match does, and says how.
func (t *Topics) Explain(a *Article) Explanation {
	tbl := t.current()
	rs := tbl.rulesFor(a.Categories)
	ex := Explanation{Section: strings.Join(rs.sources, " "), Min: rs.min}
	words := make([][]WordCount, len(rs.rules))
	score := rs.score(a.Title, a.Body, func(h hit) {
		words[h.rule] = addCount(words[h.rule], WordCount{Word: h.word, InTitle: h.title, Kind: h.kind.String(), Counted: h.counted})
	}, func(phrase string, title bool) {
		ex.Stopped = addCount(ex.Stopped, WordCount{Word: phrase, InTitle: title, Counted: true})
	})
	for i, r := range rs.rules {
		if len(words[i]) > 0 {
			ex.Topics = append(ex.Topics, TopicScore{Topic: r.topic, Points: score[i], Tagged: score[i] >= rs.min, Words: words[i]})
		}
	}
	return ex
}

// addCount counts w in list, one entry per word, place and kind.
func addCount(list []WordCount, w WordCount) []WordCount {
	for i := range list {
		if c := list[i]; c.Word == w.Word && c.InTitle == w.InTitle && c.Kind == w.Kind && c.Counted == w.Counted {
			list[i].Count++
			return list
		}
	}
	w.Count = 1
	return append(list, w)
}
