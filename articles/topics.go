package articles

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

//go:embed topics.txt
var defaultTopics string

// Topics is the rule table that gives articles topic tags (工业, 教育, …)
// beside the one tag the site gives each paper.
type Topics struct {
	rules       []topicRule
	fingerprint string
	// words maps each folded word to the rules that list it, and lengths
	// holds the distinct word lengths in bytes, so Match makes one pass.
	words   map[string][]int
	lengths []int
}

type topicRule struct {
	topic string
	words []string // folded
}

// DefaultTopics returns the rule table shipped with the program.
func DefaultTopics() *Topics {
	t, err := ParseTopics(strings.NewReader(defaultTopics))
	if err != nil {
		panic("articles: the embedded topics.txt is invalid: " + err.Error())
	}
	return t
}

// ParseTopics reads a rule table: one "topic: word word …" a line, with
// blank lines and # notes ignored.
func ParseTopics(r io.Reader) (*Topics, error) {
	t := &Topics{}
	h := sha256.New()
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("topics: line %d: not valid UTF-8", n)
		}
		name, list, ok := strings.Cut(strings.Replace(line, "：", ":", 1), ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("topics: line %d: want \"topic: word word …\", got %q", n, line)
		}
		if seen[name] {
			return nil, fmt.Errorf("topics: line %d: topic %q appears twice", n, name)
		}
		seen[name] = true
		rule := topicRule{topic: name}
		for _, w := range strings.Fields(list) {
			rule.words = append(rule.words, string(foldRunes(w)))
		}
		if len(rule.words) == 0 {
			return nil, fmt.Errorf("topics: line %d: topic %q has no words", n, name)
		}
		t.rules = append(t.rules, rule)
		fmt.Fprintf(h, "%s:%s\n", name, strings.Join(rule.words, " "))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	if len(t.rules) == 0 {
		return nil, fmt.Errorf("topics: no topics defined")
	}
	t.fingerprint = hex.EncodeToString(h.Sum(nil)[:8])
	t.words = map[string][]int{}
	for i, r := range t.rules {
		for _, w := range r.words {
			if !slices.Contains(t.words[w], i) {
				t.words[w] = append(t.words[w], i)
			}
			if !slices.Contains(t.lengths, len(w)) {
				t.lengths = append(t.lengths, len(w))
			}
		}
	}
	return t, nil
}

// Names lists the topics in table order.
func (t *Topics) Names() []string {
	out := make([]string, len(t.rules))
	for i, r := range t.rules {
		out[i] = r.topic
	}
	return out
}

// Fingerprint changes whenever the table's content does, so stored
// articles can be tagged again after the table is replaced.
func (t *Topics) Fingerprint() string { return t.fingerprint }

// Match returns the topics of an article: a topic word in the title, or
// topic words at least twice in the body.
func (t *Topics) Match(title, body string) []string {
	score := make([]int, len(t.rules))
	t.count(string(foldRunes(title)), score, 2)
	t.count(string(foldRunes(body)), score, 1)
	var out []string
	for i, r := range t.rules {
		if score[i] >= 2 {
			out = append(out, r.topic)
		}
	}
	return out
}

// count adds weight to a rule's score for every occurrence of its words in
// the folded text, trying each word length at each character.
func (t *Topics) count(text string, score []int, weight int) {
	for i := 0; i < len(text); {
		for _, l := range t.lengths {
			if i+l <= len(text) {
				for _, r := range t.words[text[i:i+l]] {
					score[r] += weight
				}
			}
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
}

// Topics lists the topic tags of the store's rule table.
func (s *Store) Topics() []string { return s.topics.Names() }
