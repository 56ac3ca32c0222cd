package articles

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestSnippetNeverCutsANumberOrALatinWord(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	rows, err := s.db.Query(`SELECT title, body, lead FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cuts := 0
	for rows.Next() {
		var a Article
		if err := rows.Scan(&a.Title, &a.Body, &a.Lead); err != nil {
			t.Fatal(err)
		}
		folded := foldRunes(searchedText(&a))
		// Every hit of these terms in every article: digits hit inside
		// numbers, letters inside words, and common words anywhere.
		for _, term := range []string{"1", "2", "3", "0", "5", "a", "e", "美元", "亿元", "的", "月"} {
			tr := []rune(term)
			for i := indexRunes(folded, tr, 0); i >= 0; i = indexRunes(folded, tr, i+len(tr)) {
				start, end := cutWindow(folded, i, i+len(tr), SnippetRunes)
				if start > 0 || end < len(folded) {
					cuts++
				}
				switch {
				case glued(folded, start) || glued(folded, end):
					t.Fatalf("%q at %d: the snippet [%d, %d) cuts a number or word: %q", term, i, start, end, string(folded[start:end]))
				case start > i || end < i+len(tr):
					t.Fatalf("%q at %d: the snippet [%d, %d) does not show the hit", term, i, start, end)
				case end-start > SnippetRunes+maxTermRunes:
					t.Fatalf("%q at %d: the snippet [%d, %d) is longer than %d", term, i, start, end, SnippetRunes)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if cuts < 100 {
		t.Errorf("only %d snippets were cut; the test needs longer texts", cuts)
	}
}

func TestSnippetStartsWhereAClauseStarts(t *testing.T) {
	text := "新希望(000876)正式披露消息，今年以来生猪养殖行业持续低迷，12月7日晚间，新希望正式披露2021年11月生猪销售情况简报，销量超过890万头"
	snip := highlight(text, []string{"销售"}, 40).String()
	if !strings.HasPrefix(snip, "…12月7日晚间") {
		t.Errorf("snippet %q should start at the clause 12月7日晚间", snip)
	}
	// With no clause start near, the snippet starts at the hit's number,
	// not inside it.
	long := strings.Repeat("梧州", 30) + "123456789美元" + strings.Repeat("西江", 30)
	snip = highlight(long, []string{"678"}, 20).String()
	if !strings.HasPrefix(snip, "…123456789") {
		t.Errorf("snippet %q should start with the whole number", snip)
	}
	if strings.HasSuffix(strings.TrimSuffix(snip, "…"), "，") {
		t.Errorf("snippet %q ends on a comma", snip)
	}
}

func TestHitsInsideNumbersAreFlagged(t *testing.T) {
	cases := []struct {
		text, term string
		inside     bool
	}{
		{"WTI原油期货现报71.32美元/桶", "3", true},
		{"WTI原油期货现报71.32美元/桶", "71.32", false},
		{"WTI原油期货现报71.32美元/桶", "美元", false},
		{"WTI原油期货现报71.32美元/桶", "wti", false},
		{"WTI原油期货现报71.32美元/桶", "t", true},
		{"5G基站建设", "基站", false},
		{"5G基站建设", "g", true},
		{"净流入1,200亿元", "200", true},
		{"2021年11月", "11", false},
	}
	for _, c := range cases {
		var got []string
		for _, f := range highlight(c.text, []string{c.term}, 0) {
			if f.Hit && f.Inside != c.inside {
				t.Errorf("%q in %q: inside=%v, want %v", c.term, c.text, f.Inside, c.inside)
			}
			if f.Hit {
				got = append(got, f.Text)
			}
		}
		if len(got) == 0 {
			t.Errorf("%q in %q: no hit", c.term, c.text)
		}
	}
}

func TestSearchSnippetsOfTheSampleReadWell(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	res, err := s.Search(context.Background(), SearchQuery{Text: "3", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	inside := 0
	for _, h := range res.Hits {
		for _, f := range h.Snippet {
			if f.Hit && f.Inside {
				inside++
			}
		}
	}
	if inside == 0 {
		t.Errorf("no hit of 3 inside a number among %d results", len(res.Hits))
	}
}

// FuzzHighlight holds a snippet to its promises on any text and terms: no
// panic, a hit shown when the text holds a term, about a window long, and
// a piece of the text as it was. TestSnippetNeverCutsANumberOrALatinWord
// checks where the cuts fall.
func FuzzHighlight(f *testing.F) {
	f.Add("12月7日晚间，新希望正式披露2021年11月生猪销售情况简报，现报71.32美元/桶", "披露", 20)
	f.Add("ＰＭ２.５浓度下降，梧州市空气质量优良", "pm2.5", 8)
	f.Add(strings.Repeat("梧州", 40)+"1,234,567.89", "4", 30)
	f.Fuzz(func(t *testing.T, text, term string, window int) {
		// A window of 0 means the whole text (cutWindow); the promise
		// checked here is the cut one, so windows run 1..200.
		window %= 200
		if window < 0 {
			window = -window
		}
		window++
		terms := splitTerms(term)
		snip := highlight(text, terms, window)
		plain := snip.String()
		inner := strings.TrimSuffix(strings.TrimPrefix(plain, "…"), "…")
		if !strings.Contains(strings.ToValidUTF8(text, "\uFFFD"), inner) && !strings.Contains(string([]rune(text)), inner) {
			t.Fatalf("snippet %q is not a part of %q", plain, text)
		}
		folded := foldRunes(text)
		if n := len([]rune(inner)); len(folded) > window && n > window+maxTermRunes+len(terms)*maxTermRunes {
			t.Fatalf("snippet of %d runes for a window of %d", n, window)
		}
		for _, term := range terms {
			if indexRunes(folded, []rune(term), 0) >= 0 && !slices.ContainsFunc(snip, func(f Fragment) bool { return f.Hit }) {
				t.Fatalf("%q is in the text but no hit is shown: %q", term, plain)
			}
		}
	})
}
