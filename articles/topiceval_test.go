package articles

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wzdaily/internal/gen"
	"wzdaily/internal/sample"
)

// The built-in table is held to these on the hand-labelled articles of
// testdata/topic-labels.tsv: of the topic tags it gives, at least 90% are
// right (the target), and it finds most of the right ones.
const (
	wantPrecision = 0.9
	wantRecall    = 0.8
)

type labelled struct {
	label string // as the file names it: a post id, or gen:SEED:INDEX
	id    string // the post id, which two seeds may share
	title string
	want  []string
}

func readLabels(t *testing.T) []labelled {
	t.Helper()
	f, err := os.Open("testdata/topic-labels.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("topic-labels.tsv:%d: want 3 tab-separated columns, got %q", n, line)
		}
		l := labelled{label: cols[0], id: cols[0], title: cols[2]}
		if cols[1] != "-" {
			l.want = strings.Fields(cols[1])
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// labelledArticles stores the labelled articles, as ingest does, and
// returns each as stored, by its label. The sample and each generator
// seed have a store of their own: two seeds give posts of the same index
// the same id.
func labelledArticles(t *testing.T) (map[string]*Article, []labelled) {
	t.Helper()
	labels := readLabels(t)
	posts := map[int64]map[string][]byte{0: sample.Posts()}
	gens := map[int64]*gen.Generator{}
	seeds := make([]int64, len(labels))
	for i, l := range labels {
		spec, ok := strings.CutPrefix(l.label, "gen:")
		if !ok {
			continue
		}
		seedText, indexText, _ := strings.Cut(spec, ":")
		seed, err1 := strconv.ParseInt(seedText, 10, 64)
		index, err2 := strconv.Atoi(indexText)
		if err1 != nil || err2 != nil || seed == 0 {
			t.Fatalf("label %q: want gen:SEED:INDEX with a seed other than 0", l.label)
		}
		if gens[seed] == nil {
			g, err := gen.New(sample.FS(), seed)
			if err != nil {
				t.Fatal(err)
			}
			gens[seed], posts[seed] = g, map[string][]byte{}
		}
		p := gens[seed].Post(index)
		posts[seed][p.Name] = p.Raw
		labels[i].id, seeds[i] = p.ID, seed
	}
	stores := map[int64]*Store{}
	for seed, ps := range posts {
		stores[seed] = newTestStore(t, nil)
		if _, err := stores[seed].Ingest(context.Background(), &sliceSource{name: "labelled", posts: ps}, IngestOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	stored := map[string]*Article{}
	for i, l := range labels {
		a, err := stores[seeds[i]].Get(context.Background(), l.id)
		if err != nil {
			t.Fatalf("labelled article %s: %v", l.label, err)
		}
		if a.Title != l.title {
			t.Fatalf("labelled article %s is now %q, labelled as %q: label it again", l.label, a.Title, l.title)
		}
		stored[l.label] = a
	}
	return stored, labels
}

// counts are one topic's right, wrong and missed tags.
type counts struct{ right, wrong, missed int }

func (c counts) precision() float64 { return ratio(c.right, c.right+c.wrong) }
func (c counts) recall() float64    { return ratio(c.right, c.right+c.missed) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// evaluation is a table's counts per topic and per group of articles
// (the sample, each generator seed), and its mistakes.
type evaluation struct {
	topics   map[string]*counts
	groups   map[string]*counts
	total    counts
	mistakes []string
}

// group names where a labelled article comes from.
func group(id string) string {
	if spec, ok := strings.CutPrefix(id, "gen:"); ok {
		seed, _, _ := strings.Cut(spec, ":")
		return "generated, seed " + seed
	}
	return "sample"
}

func evaluate(tp *Topics, arts map[string]*Article, labels []labelled) evaluation {
	ev := evaluation{topics: map[string]*counts{}, groups: map[string]*counts{}}
	at := func(m map[string]*counts, k string) *counts {
		if m[k] == nil {
			m[k] = &counts{}
		}
		return m[k]
	}
	count := func(topic, grp string, f func(*counts)) {
		f(at(ev.topics, topic))
		f(at(ev.groups, grp))
		f(&ev.total)
	}
	for _, l := range labels {
		a, grp := arts[l.label], group(l.label)
		got := tp.Match(a)
		for _, g := range got {
			if slices.Contains(l.want, g) {
				count(g, grp, func(c *counts) { c.right++ })
			} else {
				count(g, grp, func(c *counts) { c.wrong++ })
				ev.mistakes = append(ev.mistakes, fmt.Sprintf("wrong  %s on %s %s", g, l.label, a.Title))
			}
		}
		for _, w := range l.want {
			if !slices.Contains(got, w) {
				count(w, grp, func(c *counts) { c.missed++ })
				ev.mistakes = append(ev.mistakes, fmt.Sprintf("missed %s on %s %s", w, l.label, a.Title))
			}
		}
	}
	return ev
}

// report is a Markdown table of an evaluation: per topic, per group, in all.
func report(names []string, ev evaluation) string {
	var b strings.Builder
	b.WriteString("| topic | labelled | tagged | right | precision | recall |\n|---|---|---|---|---|---|\n")
	row := func(name string, c *counts) {
		if c == nil {
			c = &counts{}
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.2f | %.2f |\n", name, c.right+c.missed, c.right+c.wrong, c.right,
			c.precision(), c.recall())
	}
	for _, n := range names {
		row(n, ev.topics[n])
	}
	groups := slices.Sorted(maps.Keys(ev.groups))
	for _, g := range groups {
		row(g, ev.groups[g])
	}
	row("all", &ev.total)
	return b.String()
}

// TestTopicTableOnLabelledArticles measures the built-in table on the
// labelled articles; -v prints the figures per topic and every mistake.
func TestTopicTableOnLabelledArticles(t *testing.T) {
	arts, labels := labelledArticles(t)
	if len(labels) < 60 {
		t.Fatalf("%d labelled articles, want at least 60", len(labels))
	}
	builtin := DefaultTopics()
	ev := evaluate(builtin, arts, labels)
	t.Logf("%d articles, %d topic labels\n%s", len(labels), ev.total.right+ev.total.missed, report(builtin.Names(), ev))
	for _, m := range ev.mistakes {
		t.Log(m)
	}
	if p := ev.total.precision(); p < wantPrecision {
		t.Errorf("precision %.3f, want at least %.2f", p, wantPrecision)
	}
	if r := ev.total.recall(); r < wantRecall {
		t.Errorf("recall %.3f, want at least %.2f", r, wantRecall)
	}
	// The store tags as Match does: what was measured is what is stored.
	for _, l := range labels {
		a := arts[l.label]
		stored, matched := slices.Sorted(slices.Values(a.Topics)), slices.Sorted(slices.Values(builtin.Match(a)))
		if !slices.Equal(stored, matched) {
			t.Errorf("%s: stored topics %v, Match gives %v", l.label, stored, matched)
		}
	}
}
