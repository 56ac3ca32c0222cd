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
	"sync/atomic"
	"unicode/utf8"
)

//go:embed topics.txt
var defaultTopics string

// Topics is the rule table that gives articles topic tags (工业, 教育, …)
// beside the one tag the site gives each paper. A Store replaces the
// content of its Topics with the table in force in its database (see
// topictable.go), so a table set by another process reaches a running one;
// readers see one table or the other, never a mix.
type Topics struct {
	own   *topicTable // the table it was made with
	table atomic.Pointer[topicTable]
}

// topicTable is one parsed rule table; it never changes once made.
type topicTable struct {
	text        string // as written, to be stored
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

// maxTopicsSize bounds a rule table: the built-in one is about 2 KB.
const maxTopicsSize = 1 << 20

// ParseTopics reads a rule table: one "topic: word word …" a line, with
// blank lines and # notes ignored.
func ParseTopics(r io.Reader) (*Topics, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxTopicsSize+1))
	if err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	if len(b) > maxTopicsSize {
		return nil, fmt.Errorf("topics: the table is larger than %d bytes", maxTopicsSize)
	}
	t, err := parseTable(string(b))
	if err != nil {
		return nil, err
	}
	topics := &Topics{own: t}
	topics.table.Store(t)
	return topics, nil
}

func parseTable(text string) (*topicTable, error) {
	t := &topicTable{text: text}
	h := sha256.New()
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
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

// current is the table in use now.
func (t *Topics) current() *topicTable { return t.table.Load() }

// use makes tbl the table in use; nil goes back to the table t was made
// with.
func (t *Topics) use(tbl *topicTable) {
	if tbl == nil {
		tbl = t.own
	}
	t.table.Store(tbl)
}

// Names lists the topics in table order.
func (t *Topics) Names() []string {
	tbl := t.current()
	out := make([]string, len(tbl.rules))
	for i, r := range tbl.rules {
		out[i] = r.topic
	}
	return out
}

// Fingerprint changes whenever the table's content does, so stored
// articles can be tagged again after the table is replaced.
func (t *Topics) Fingerprint() string { return t.current().fingerprint }

// Match returns the topics of an article: a topic word in the title, or
// topic words at least twice in the body.
func (t *Topics) Match(title, body string) []string { return t.current().match(title, body) }

func (t *topicTable) match(title, body string) []string {
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
func (t *topicTable) count(text string, score []int, weight int) {
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
