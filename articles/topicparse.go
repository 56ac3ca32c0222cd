package articles

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rule table's format is described at the top of topics.txt, which is
// also the built-in table. parseTable reads it line by line; every error
// names the line and says what was expected there.

// wordKind says where a topic word counts.
type wordKind uint8

const (
	anywhere  wordKind = iota // in the title (2 points) or the body (1 point)
	titleOnly                 // only in the title
	nearPlace                 // only in a clause that names a place
)

var kindNames = map[string]wordKind{"title": titleOnly, "place": nearPlace}

func (k wordKind) String() string {
	switch k {
	case titleOnly:
		return "title"
	case nearPlace:
		return "place"
	}
	return ""
}

// Directives: lines that are not a topic's words.
const (
	stopDirective   = "stop"
	placesDirective = "places"
	minDirective    = "min"
)

// maxWordBytes bounds one word or phrase: a longer one is a mistake (a
// missing space), and the matcher tries every word length at each
// character.
const maxWordBytes = 64

type tableParser struct {
	t       *topicTable
	cur     *ruleSet
	shared  ruleSet // the stop phrases and places written before the first section
	defined map[string]int
	named   map[string]bool
}

func parseTable(text string) (*topicTable, error) {
	p := &tableParser{t: &topicTable{text: text, bySource: map[string]*ruleSet{}}, named: map[string]bool{}}
	p.start(&ruleSet{min: defaultMin}, 0)
	p.t.general = p.cur
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), maxTopicsSize+1)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("topics: line %d: not valid UTF-8", n)
		}
		if i := strings.IndexFunc(line, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }); i >= 0 {
			return nil, fmt.Errorf("topics: line %d: a control character (%U) in %q", n, []rune(line[i:])[0], line)
		}
		var err error
		if strings.HasPrefix(line, "[") {
			err = p.section(line, n)
		} else {
			err = p.rule(line, n)
		}
		if err != nil {
			return nil, fmt.Errorf("topics: line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	if len(p.t.names) == 0 {
		return nil, fmt.Errorf("topics: no topics defined")
	}
	for _, rs := range p.t.all() {
		rs.index()
	}
	p.t.fingerprint = p.t.canonical()
	return p.t, nil
}

// start makes rs the rule set that the next lines fill.
func (p *tableParser) start(rs *ruleSet, line int) {
	rs.line = line
	p.cur = rs
	p.defined = map[string]int{}
}

// section reads "[source source …]", which starts the table of those
// sources' posts.
func (p *tableParser) section(line string, n int) error {
	inner, ok := strings.CutPrefix(line, "[")
	inner, closed := strings.CutSuffix(inner, "]")
	if !ok || !closed || strings.ContainsAny(inner, "[]") {
		return fmt.Errorf("want a section such as \"[emnews]\" (the categories of the posts it is for), got %q", line)
	}
	sources := strings.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == '，' || unicode.IsSpace(r) })
	if len(sources) == 0 {
		return fmt.Errorf("the section %q names no category", line)
	}
	if p.t.general == p.cur {
		p.shared.stops, p.shared.places = p.cur.stops, p.cur.places
	}
	rs := &ruleSet{sources: sources, min: defaultMin, stops: slices.Clone(p.shared.stops), places: slices.Clone(p.shared.places)}
	for _, s := range sources {
		if prev, dup := p.t.bySource[s]; dup {
			return fmt.Errorf("category %q already has a table (the section on line %d)", s, prev.line)
		}
		p.t.bySource[s] = rs
	}
	p.t.sections = append(p.t.sections, rs)
	p.start(rs, n)
	return nil
}

// rule reads "topic: words", "topic title: words", "topic place: words",
// "stop: phrases" or "places: names".
func (p *tableParser) rule(line string, n int) error {
	head, list, ok := strings.Cut(strings.Replace(line, "：", ":", 1), ":")
	fields := strings.Fields(head)
	if !ok || len(fields) == 0 || len(fields) > 2 {
		return fmt.Errorf("want \"topic: word word …\" (or \"topic title: …\", \"topic place: …\", \"stop: …\", \"places: …\", \"[category]\"), got %q", line)
	}
	name := fields[0]
	if name == minDirective {
		return p.min(head, list, n)
	}
	words, err := readWords(list)
	if err != nil {
		return err
	}
	if name == stopDirective || name == placesDirective {
		if len(fields) > 1 {
			return fmt.Errorf("%q takes no kind: write \"%s: …\"", head, name)
		}
		if len(words) == 0 {
			return fmt.Errorf("%q lists nothing", name+":")
		}
		if name == stopDirective {
			p.cur.stops = append(p.cur.stops, words...)
		} else {
			p.cur.places = append(p.cur.places, words...)
		}
		return nil
	}
	kind := anywhere
	if len(fields) == 2 {
		if kind, ok = kindNames[fields[1]]; !ok {
			return fmt.Errorf("unknown kind %q in %q: want \"%s: …\", \"%s title: …\" or \"%s place: …\"", fields[1], head, name, name, name)
		}
	}
	if len(words) == 0 {
		return fmt.Errorf("topic %q has no words", name)
	}
	key := name + " " + kind.String()
	if prev, dup := p.defined[key]; dup {
		return fmt.Errorf("topic %q appears twice (%q, first on line %d); put its words on one line", name, strings.TrimSpace(head), prev)
	}
	p.defined[key] = n
	p.cur.add(name, kind, words)
	if !p.named[name] {
		p.named[name] = true
		p.t.names = append(p.t.names, name)
	}
	return nil
}

// min reads "min: N", the points a topic needs in this table.
func (p *tableParser) min(head, list string, n int) error {
	if strings.TrimSpace(head) != minDirective {
		return fmt.Errorf("%q takes no kind: write \"min: 3\"", head)
	}
	v, err := strconv.Atoi(strings.TrimSpace(list))
	if err != nil || v < 1 || v > maxMin {
		return fmt.Errorf("want \"min: N\", the points a topic needs (1 to %d; a title word is %d, a body sentence 1), got %q", maxMin, titlePoints, strings.TrimSpace(list))
	}
	if prev, dup := p.defined[minDirective]; dup {
		return fmt.Errorf("a second \"min:\" in one table (the first is on line %d)", prev)
	}
	p.defined[minDirective] = n
	p.cur.min = v
	return nil
}

// readWords splits a list into folded words, refusing ones too long to be
// meant. Repeats are dropped when the table is indexed.
func readWords(list string) ([]string, error) {
	var out []string
	for _, w := range strings.Fields(list) {
		f := string(foldRunes(w))
		if len(f) > maxWordBytes {
			return nil, fmt.Errorf("%q is longer than %d bytes: a missing space?", w, maxWordBytes)
		}
		out = append(out, f)
	}
	return out, nil
}

// dedupe drops repeated words, keeping the first of each; a map, since a
// table may list many thousands.
func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, w := range list {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// canonical is the table's fingerprint: a digest of what it means, not of
// how it is written, so notes and spacing do not retag anything.
func (t *topicTable) canonical() string {
	h := sha256.New()
	for _, rs := range t.all() {
		fmt.Fprintf(h, "[%s]\nmin:%d\nstop:%s\nplaces:%s\n", strings.Join(rs.sources, " "), rs.min,
			strings.Join(rs.stops, " "), strings.Join(rs.places, " "))
		for _, r := range rs.rules {
			for k, words := range r.words {
				if len(words) > 0 {
					fmt.Fprintf(h, "%s %d:%s\n", r.topic, k, strings.Join(words, " "))
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
