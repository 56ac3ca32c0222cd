package digest

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"wzdaily/articles"
)

// A wire service reports one story again and again as it moves: 北向资金
// 净流入达30亿元, then 超40亿元, then 超50亿. Such updates are one story when
// they come within storyWindow of each other and their titles, or their
// opening sentences, are alike once numbers are set aside: the Dice
// coefficient of their sets of two-character pieces is at least
// storySimilar. A digest shows a story once, by its newest report.
//
// Three things keep apart what only looks alike: an ordinal (第3条, 第2季度)
// names another item, so texts with different ordinals are not alike; titles that name different districts of Wuzhou are about
// different places; and a text of fewer than storyMinPieces distinct pieces
// says too little to compare.
const (
	storyWindow    = 12 * time.Hour
	storySimilar   = 0.6
	storyMinPieces = 5
	openingRunes   = 100 // how much of the body is its opening sentence, at most
)

// storyKey is what an article is compared by, prepared once per run.
type storyKey struct {
	title, opening []uint64 // sorted, distinct two-character pieces
	// The ordinals of each, e.g. "第3".
	titleOrdinals, openingOrdinals string
	districts                      string // the districts the title names
}

func newStoryKey(a *articles.Article) storyKey {
	title, tord := storyShape(a.Title)
	opening, oord := storyShape(openingOf(a.Body))
	return storyKey{title: pieces(title), opening: pieces(opening), titleOrdinals: tord, openingOrdinals: oord,
		districts: strings.Join(articles.DistrictsIn(a.Title), ",")}
}

// sameStory reports whether two reports (published within storyWindow of
// each other) tell one story.
func sameStory(a, b *storyKey) bool {
	if a.districts != "" && b.districts != "" && a.districts != b.districts {
		return false
	}
	return (a.titleOrdinals == b.titleOrdinals && alike(a.title, b.title)) ||
		(a.openingOrdinals == b.openingOrdinals && alike(a.opening, b.opening))
}

func alike(a, b []uint64) bool {
	if len(a) < storyMinPieces || len(b) < storyMinPieces {
		return false
	}
	common, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(2*common) >= storySimilar*float64(len(a)+len(b))
}

// groupStories gives each candidate its story: the reprints of one article
// (groupDuplicates) and the updates of one story share one.
func groupStories(cands []*Candidate) {
	parent := make([]int, len(cands))
	for i := range parent {
		parent[i] = cands[i].group // reprints are one story; group is an index
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	keys := make([]storyKey, len(cands))
	order := make([]int, len(cands))
	for i, c := range cands {
		keys[i] = newStoryKey(c.Article)
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		return cands[order[x]].Article.Published.Before(cands[order[y]].Article.Published)
	})
	for x, i := range order {
		for _, j := range order[x+1:] {
			if cands[j].Article.Published.Sub(cands[i].Article.Published) > storyWindow {
				break
			}
			if ri, rj := find(i), find(j); ri != rj && sameStory(&keys[i], &keys[j]) {
				parent[max(ri, rj)] = min(ri, rj)
			}
		}
	}
	size := map[int]int{}
	for i, c := range cands {
		c.story = find(i)
		size[c.story]++
	}
	for _, c := range cands {
		c.alone = size[c.story] == 1
	}
}

// storyShape is text as a story is told: folded letters, without numbers,
// spaces and punctuation, except that an ordinal (第 and digits) stays; the
// ordinals are returned too.
func storyShape(s string) (shape []rune, ordinals string) {
	rs := []rune(articles.Fold(s))
	var ords []string
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			if i > 0 && rs[i-1] == '第' {
				shape = append(shape, rs[i:j]...)
				ords = append(ords, "第"+string(rs[i:j]))
			}
			i = j - 1
		case unicode.IsLetter(r):
			shape = append(shape, r)
		}
	}
	return shape, strings.Join(ords, ",")
}

// pieces returns the sorted, distinct two-character pieces of rs.
func pieces(rs []rune) []uint64 {
	out := make([]uint64, 0, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, uint64(rs[i])<<32|uint64(rs[i+1]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// openingOf is the body's first sentence, at most openingRunes long.
func openingOf(body string) string {
	n := 0
	for i, r := range body {
		if n == openingRunes || strings.ContainsRune("。！？!?\n", r) {
			return body[:i]
		}
		n++
	}
	return body
}

// SameStory reports whether two articles are reports of one story, as a
// digest groups them: published within storyWindow of each other, their
// titles or openings alike. The reader's web lists a story's other
// reports by it.
func SameStory(a, b *articles.Article) bool {
	d := a.Published.Sub(b.Published)
	if d < -storyWindow || d > storyWindow {
		return false
	}
	ka, kb := newStoryKey(a), newStoryKey(b)
	return sameStory(&ka, &kb)
}
