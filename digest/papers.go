package digest

import (
	"slices"

	"wzdaily/articles"
)

// papers tells where a digest's news comes from: home when every listed
// item is the home paper's (only then does the header name it), mixed
// when the items come from more than one paper (then each group, or each
// item, names its own).
func papers(d Digest) (home, mixed bool) {
	home = true
	first, seen := "", false
	for _, g := range d.Groups {
		for _, a := range g.Items {
			p := a.Paper()
			home = home && p == articles.HomePaper
			if !seen {
				first, seen = p, true
			} else if p != first {
				mixed = true
			}
		}
	}
	return home, mixed
}

// groupPaper says how a group of a digest that mixes papers shows where
// its items come from: a group of one paper names it in its heading
// (from), unless its tag is that paper's own; a group of several papers
// has each item name its own (each).
func groupPaper(g Group, mixed bool) (from string, each bool) {
	if !mixed || len(g.Items) == 0 {
		return "", false
	}
	paper := g.Items[0].Paper()
	own := true
	for _, a := range g.Items {
		if a.Paper() != paper {
			return "", true
		}
		own = own && slices.Contains(a.Tags, g.Tag)
	}
	if own {
		return "", false
	}
	return paper, false
}
