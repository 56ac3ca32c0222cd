package articles

import (
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
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
	fingerprint string
	names       []string // every topic, in the order the table first names it
	general     *ruleSet // for posts of sources without a section
	sections    []*ruleSet
	bySource    map[string]*ruleSet // a category → its section
}

// DefaultTopics returns the rule table shipped with the program.
func DefaultTopics() *Topics {
	t, err := ParseTopics(strings.NewReader(defaultTopics))
	if err != nil {
		panic("articles: the embedded topics.txt is invalid: " + err.Error())
	}
	return t
}

// maxTopicsSize bounds a rule table: the built-in one is about 8 KB.
const maxTopicsSize = 1 << 20

// ParseTopics reads a rule table in the format of topics.txt.
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
func (t *Topics) Names() []string { return slices.Clone(t.current().names) }

// Fingerprint changes whenever the table's content does, so stored
// articles can be tagged again after the table is replaced.
func (t *Topics) Fingerprint() string { return t.current().fingerprint }

// Match returns the topics of an article, by the rules for its source.
func (t *Topics) Match(a *Article) []string {
	return t.current().match(a.Categories, a.Title, a.Body)
}

// ExplainTopics says how the table in force tags an article; see
// Topics.Explain.
func (s *Store) ExplainTopics(a *Article) Explanation { return s.topics.Explain(a) }

// Topics lists the topic tags of the store's rule table.
func (s *Store) Topics() []string { return s.topics.Names() }
