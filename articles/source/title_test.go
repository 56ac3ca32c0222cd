package source

import (
	"html"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"wzdaily/articles"
)

// parseTitle runs a title through each of the three parsers.
func parseTitle(t *testing.T, title string) map[string]string {
	t.Helper()
	out := map[string]string{}
	post := "---\ntitle: \"" + title + "\"\ndate: 2022-02-11 09:04:31 +0800\ncategories: wuzhouribao\n---\n正文。\n"
	a, err := ParsePost("_posts/2022-02-11-NW1.md", []byte(post), siteOpts)
	if err != nil {
		t.Fatalf("post file: %v", err)
	}
	out["post file"] = a.Title
	page := "<html><body><section><small>(GMT+8, Asia/Shanghai, CST) 2022-02-11 09:04:31</small><h1>" +
		html.EscapeString(title) + "</h1><p>正文。</p></section></body></html>"
	if a, err = ParsePostPage("https://finews.withounder.com/wuzhouribao/2022/02/11/NW1.html", []byte(page)); err != nil {
		t.Fatalf("post page: %v", err)
	}
	out["post page"] = a.Title
	if a, err = ParseFeedEntry(FeedEntry{URL: "https://finews.withounder.com/wuzhouribao/2022/02/11/NW1.html", Title: title,
		Published: time.Date(2022, 2, 11, 1, 4, 31, 0, time.UTC), Content: "<p>正文。</p>"}); err != nil {
		t.Fatalf("feed entry: %v", err)
	}
	out["feed entry"] = a.Title
	return out
}

func TestTitlesLoseBidiControls(t *testing.T) {
	cases := map[string]string{
		"override":          "梧州\u202e新闻\u202c今日",
		"every control":     "\u202a\u202b\u202c\u202d\u202e梧州\u2066\u2067\u2068\u2069新闻今日",
		"between two words": "梧州 \u202e 新闻今日",
	}
	want := map[string]string{"override": "梧州新闻今日", "every control": "梧州新闻今日", "between two words": "梧州 新闻今日"}
	for name, title := range cases {
		for parser, got := range parseTitle(t, title) {
			if got != want[name] {
				t.Errorf("%s, %s: title %q, want %q", name, parser, got, want[name])
			}
		}
	}
}

func TestTitlesAreCapped(t *testing.T) {
	long := strings.Repeat("梧州日报新闻a", 12504/7+1)
	for parser, got := range parseTitle(t, long) {
		if n := utf8.RuneCountInString(got); n != articles.MaxTitleRunes || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
			t.Errorf("%s: a %d-character title became %d characters (%q…)", parser, utf8.RuneCountInString(long), n, got[:30])
		}
		if !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
			t.Errorf("%s: the capped title is not the start of the original", parser)
		}
	}
	// A title within the cap is kept whole.
	exact := strings.Repeat("梧", articles.MaxTitleRunes)
	for parser, got := range parseTitle(t, exact) {
		if got != exact {
			t.Errorf("%s: a title of exactly %d characters was changed", parser, articles.MaxTitleRunes)
		}
	}
}

// isBidiControl is what articles.FinishTitle takes out of every title.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}
