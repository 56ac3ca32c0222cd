package bot

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"wzdaily/articles"
)

// foldTag compares tags the way people type them: full-width letters as
// ASCII, any case, without a leading # or surrounding quotes.
func foldTag(s string) string {
	s = strings.ToLower(width.Narrow.String(strings.TrimSpace(s)))
	return strings.Trim(s, `#"'“”「」《》`)
}

// resolveTag finds the known tag the user meant, exactly or folded.
func resolveTag(typed string, known []articles.TagCount) (string, bool) {
	f := foldTag(typed)
	for _, k := range known {
		if k.Tag == typed || foldTag(k.Tag) == f {
			return k.Tag, true
		}
	}
	return "", false
}

// suggestTags returns up to n known tags close to typed: ones that contain
// it or are contained in it, then ones a small edit away (a slip of the
// keyboard: 教肓 for 教育, 工艺 for 工业), more used first. Words that share
// only a character are not close: 体育 is not 教育. A Chinese word that
// differs from a tag must share its first character, which carries most
// of a two-character word's meaning.
func suggestTags(typed string, known []articles.TagCount, n int) []string {
	f := []rune(foldTag(typed))
	if len(f) == 0 {
		return nil
	}
	type cand struct {
		tag   string
		dist  int
		count int
	}
	var cands []cand
	for _, k := range known {
		kt := foldTag(k.Tag)
		kr := []rune(kt)
		d := editDistance(f, kr)
		switch {
		case strings.Contains(kt, string(f)) || strings.Contains(string(f), kt):
			d = 0
		case len(kr) > 0 && f[0] != kr[0] && (isHan(f[0]) || isHan(kr[0])):
			continue
		}
		if d <= max(1, len(f)/2) {
			cands = append(cands, cand{k.Tag, d, k.Count})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		if cands[i].count != cands[j].count {
			return cands[i].count > cands[j].count
		}
		return cands[i].tag < cands[j].tag
	})
	var out []string
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].tag)
	}
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// related returns the topics most articles holding word are tagged with:
// what the word is about, by the articles that use it. 医院 suggests 医疗
// when most articles saying 医院 are tagged 医疗.
func (c *call) related(ctx context.Context, word string, known []articles.TagCount) []string {
	res, err := c.opts.Articles.Search(ctx, articles.SearchQuery{Text: word, Limit: 50})
	if err != nil || len(res.Hits) == 0 {
		return nil // a word the index cannot search (too short, all symbols) has no articles either
	}
	count := map[string]int{}
	for _, h := range res.Hits {
		for _, t := range h.Article.Tags {
			count[t]++
		}
	}
	var out []string
	for _, k := range known {
		if n := count[k.Tag]; k.Topic && n >= 2 && 3*n >= len(res.Hits) {
			out = append(out, k.Tag)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return count[out[i]] > count[out[j]] })
	return out
}

// editDistance is the Levenshtein distance between two rune strings.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
