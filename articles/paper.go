package articles

import "strings"

// HomePaper is the newspaper the bot is for; the site tags its posts
// 梧州日报新闻.
const HomePaper = "梧州日报"

// Paper names where the post comes from, as the site names it: its first
// site tag without the 新闻 the site adds to each paper's name (梧州日报新闻
// → 梧州日报, 东财滚动新闻 → 东财滚动), else its first category; "" when it
// has neither.
func (a *Article) Paper() string {
	for _, t := range a.Tags {
		if t = strings.TrimSpace(t); t != "" {
			if p := strings.TrimSuffix(t, "新闻"); p != "" {
				return p
			}
			return t
		}
	}
	for _, c := range a.Categories {
		if c = strings.TrimSpace(c); c != "" {
			return c
		}
	}
	return ""
}

// DistrictsIn returns the districts and counties of Wuzhou that s names,
// each once, in a fixed order.
func DistrictsIn(s string) []string {
	var out []string
	for _, d := range districts {
		if strings.Contains(s, d) {
			out = append(out, d)
		}
	}
	return out
}
