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

// Prepare folds the articles' text and groups near-duplicates, once per
// run however many subscribers there are.
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
}

// Compose picks the candidates for sub: an article must carry one of the
// subscriber's tags, hold one of the include keywords when there are any,
// and none of the exclude keywords. Articles are grouped under the
// subscriber's tags in the subscriber's order, each once, under its first
// matching tag, ordered by publication time; near-duplicates collapse
// into their first article.
func Compose(sub *subscribers.Subscriber, cands []*Candidate) Digest {
	include := foldWords(sub.Include)
	exclude := foldWords(sub.Exclude)
	byTag := make(map[string][]*Candidate, len(sub.Tags))
	seenGroup := map[int]bool{}
	var d Digest
	for _, c := range cands {
		tag := ""
		for _, t := range sub.Tags {
			if c.tags[t] {
				tag = t
				break
			}
		}
		if tag == "" || !keywordsMatch(c, include, exclude) {
			continue
		}
		byTag[tag] = append(byTag[tag], c)
	}
	for _, t := range sub.Tags {
		list := byTag[t]
		sort.SliceStable(list, func(i, j int) bool {
			return list[i].Article.Published.Before(list[j].Article.Published)
		})
		g := Group{Tag: t}
		for _, c := range list {
			if seenGroup[c.group] {
				continue
			}
			seenGroup[c.group] = true
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
