package digest

import (
	"sort"
	"strings"

	"wzdaily/articles"
	"wzdaily/subscribers"
)

// Candidate is an article that may go into digests, prepared once for all
// subscribers: folded text for keyword checks and its near-duplicate group.
type Candidate struct {
	Article *articles.Article
	text    string // folded title and body
	body    string // folded body, for near-duplicates
	group   int    // articles with the same group are near-duplicates
	story   int    // articles with the same story are its reprints and updates
	alone   bool   // the only candidate of its story
	tags    map[string]bool
	// has remembers which keywords the text holds: a batch of thousands
	// of subscribers asks about the same few hundred words.
	has map[string]bool
}

// holds reports whether the article's text holds the folded word.
func (c *Candidate) holds(w string) bool {
	h, ok := c.has[w]
	if !ok {
		h = strings.Contains(c.text, w)
		c.has[w] = h
	}
	return h
}

// Prepare folds the articles' text and groups near-duplicates and the
// updates of one story, once per run however many subscribers there are.
func Prepare(list []*articles.Article) []*Candidate {
	out := make([]*Candidate, len(list))
	for i, a := range list {
		c := &Candidate{Article: a, text: foldText(a.Title + "\n" + a.Body), body: foldText(a.Body), tags: map[string]bool{}, has: map[string]bool{}}
		for _, t := range a.AllTags() {
			c.tags[t] = true
		}
		out[i] = c
	}
	groupDuplicates(out)
	groupStories(out)
	return out
}

// Group is one of the subscriber's tags with its articles.
type Group struct {
	Tag   string
	Items []*articles.Article
}

// Digest is what one subscriber gets.
type Digest struct {
	Groups []Group
	Items  int // items shown
	More   int // matching items left out by the subscriber's maximum
	// Earlier counts, by an item's Seq, the earlier reports of its story
	// that the item stands for.
	Earlier map[int64]int
	// Dates, for a release digest: the days whose held digests it merges.
	Dates []string
}

// Compose picks the candidates for sub: an article must carry one of the
// subscriber's tags, hold one of the include keywords when there are any,
// and none of the exclude keywords. A story comes once: reprints collapse
// into the first, a story's updates into the newest report, which says how
// many earlier ones it stands for. Articles are grouped under the
// subscriber's tags in the subscriber's order, each under its first
// matching tag, ordered by publication time.
func Compose(sub *subscribers.Subscriber, cands []*Candidate) Digest {
	include := foldWords(sub.Include)
	exclude := foldWords(sub.Exclude)
	// The matching reports of each story, in the order first met; most
	// stories have one, and need no lookup.
	type story struct {
		first *Candidate
		tag   string
		rest  []*Candidate
	}
	var stories []story
	var at map[int]int
	for _, c := range cands {
		tag := firstTag(sub, c)
		if tag == "" || !keywordsMatch(c, include, exclude) {
			continue
		}
		if !c.alone {
			if k, ok := at[c.story]; ok {
				stories[k].rest = append(stories[k].rest, c)
				continue
			}
			if at == nil {
				at = map[int]int{}
			}
			at[c.story] = len(stories)
		}
		stories = append(stories, story{first: c, tag: tag})
	}
	byTag := make(map[string][]*Candidate, len(sub.Tags))
	var d Digest
	for _, st := range stories {
		c, earlier := newestReport(st.first, st.rest)
		tag := st.tag
		if c != st.first {
			tag = firstTag(sub, c)
		}
		byTag[tag] = append(byTag[tag], c)
		if earlier > 0 {
			if d.Earlier == nil {
				d.Earlier = map[int64]int{}
			}
			d.Earlier[c.Article.Seq] = earlier
		}
	}
	for _, t := range sub.Tags {
		list := byTag[t]
		sort.SliceStable(list, func(i, j int) bool { return newer(list[j].Article, list[i].Article) })
		g := Group{Tag: t}
		for _, c := range list {
			if d.Items == sub.MaxItems {
				d.More++
				continue
			}
			g.Items = append(g.Items, c.Article)
			d.Items++
		}
		if len(g.Items) > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	return d
}

// newestReport picks the report a story shows: each reprint group counts as its
// first printing, and the group printed last is the newest report. It
// returns the report and how many earlier ones (other reprint groups) the
// story has.
func newestReport(first *Candidate, rest []*Candidate) (*Candidate, int) {
	if len(rest) == 0 {
		return first, 0
	}
	printing := map[int]*Candidate{first.group: first}
	for _, c := range rest {
		if p, ok := printing[c.group]; !ok || newer(p.Article, c.Article) {
			printing[c.group] = c
		}
	}
	var shown *Candidate
	for _, c := range printing {
		if shown == nil || newer(c.Article, shown.Article) {
			shown = c
		}
	}
	return shown, len(printing) - 1
}

// firstTag is the first of the subscriber's tags that c carries, or "".
func firstTag(sub *subscribers.Subscriber, c *Candidate) string {
	for _, t := range sub.Tags {
		if c.tags[t] {
			return t
		}
	}
	return ""
}

// newer reports whether a was published after b (by ingest order on a tie).
func newer(a, b *articles.Article) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.After(b.Published)
	}
	return a.Seq > b.Seq
}

func keywordsMatch(c *Candidate, include, exclude []string) bool {
	for _, w := range exclude {
		if c.holds(w) {
			return false
		}
	}
	if len(include) == 0 {
		return true
	}
	for _, w := range include {
		if c.holds(w) {
			return true
		}
	}
	return false
}

func foldWords(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = foldText(w)
	}
	return out
}

// foldText lowers case and narrows full-width forms, as search does.
func foldText(s string) string { return articles.Fold(s) }
