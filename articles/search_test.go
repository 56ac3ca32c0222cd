package articles

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// scanMatches is the ground truth: articles whose folded title or text
// contains every folded term, as LIKE '%term%' would find them.
func scanMatches(t *testing.T, s *Store, query string) []int64 {
	t.Helper()
	terms := splitTerms(query)
	rows, err := s.db.Query(`SELECT seq, title, body, lead FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var a Article
		if err := rows.Scan(&a.Seq, &a.Title, &a.Body, &a.Lead); err != nil {
			t.Fatal(err)
		}
		text := string(foldRunes(a.Title + "\n" + searchedText(&a)))
		all := true
		for _, term := range terms {
			all = all && strings.Contains(text, term)
		}
		if all {
			out = append(out, a.Seq)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func searchAll(t *testing.T, s *Store, q SearchQuery) []int64 {
	t.Helper()
	var out []int64
	q.Limit = 50
	for {
		res, err := s.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("search %q: %v", q.Text, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.Article.Seq)
		}
		if !res.More {
			break
		}
		q.Offset += q.Limit
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func TestSearchFindsExactlyWhatAScanFinds(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	queries := []string{"梧州", "工业", "酒", "股", "的", "美元", "人民币", "港股 上涨", "制冷剂 汽车",
		"高质量发展", "双循环", "亿元", "ＨＦＯ", "HFO-1234yf", "5G", "FF 91", "霍尼韦尔"}
	for _, q := range queries {
		want := scanMatches(t, s, q)
		got := searchAll(t, s, SearchQuery{Text: q})
		if len(want) == 0 {
			t.Errorf("%q: the corpus has no match; pick another query", q)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: search found %d %v, a scan finds %d %v", q, len(got), got, len(want), want)
		}
	}
}

func TestSearchRanksTitleAndRecency(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	save := func(id, title, body string, age time.Duration) { saveText(t, s, id, title, body, age) }
	filler := "市民在江边散步，天气晴好。"
	save("body", "城市新闻", "六堡茶产业发展。"+filler, time.Hour)
	save("title", "六堡茶产业发展", filler+"本地企业很多。", time.Hour)
	save("old-title", "六堡茶产业发展", filler+"本地企业很多。", 3*365*24*time.Hour)
	res, err := s.Search(ctx, SearchQuery{Text: "六堡茶"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, h := range res.Hits {
		order = append(order, h.Article.ID)
	}
	if strings.Join(order, ",") != "title,body,old-title" {
		t.Errorf("order %v: want the title match first and the three-year-old one last", order)
	}
	if got := res.Hits[0].Title.Mark("[", "]", nil); got != "[六堡茶]产业发展" {
		t.Errorf("title highlight %q", got)
	}
}

func TestSearchHostileInputIsSafe(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	inputs := []string{
		`"`, `""`, `"梧州`, `*`, `梧州*`, `NEAR(梧州 工业, 3)`, `梧州 OR 工业`, `梧州 AND`, `NOT 梧州`, `-梧州`,
		`(梧州`, `梧州)`, `{title}: 梧州`, `title:梧州`, `^梧州`, `'; DROP TABLE articles; --`, `😀`, `梧州😀`,
		strings.Repeat("梧", 1000), strings.Repeat("梧州 ", 1000), "\x00梧州", "\xff\xfe梧州", "梧\u200b州",
		"\t\n\r", "ｇｄｐ", "％", "%", "_", "\\", "'", "''", "col:", ":", "+", "/",
	}
	for _, in := range inputs {
		res, err := s.Search(context.Background(), SearchQuery{Text: in})
		if err != nil && !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("search %q: %v", in, err)
		}
		if err == nil && res == nil {
			t.Errorf("search %q: nil results", in)
		}
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&n)
	if n != 105 {
		t.Errorf("%d articles after hostile searches, want 105", n)
	}
}

func TestSearchPagingAndFilters(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	all := searchAll(t, s, SearchQuery{Text: "的"})
	p1, err := s.Search(ctx, SearchQuery{Text: "的", Limit: 5})
	if err != nil || len(p1.Hits) != 5 || !p1.More {
		t.Fatalf("page 1: %d hits more=%v err=%v", len(p1.Hits), p1.More, err)
	}
	p2, err := s.Search(ctx, SearchQuery{Text: "的", Limit: 5, Offset: 5})
	if err != nil || len(p2.Hits) != 5 {
		t.Fatalf("page 2: %v", err)
	}
	seen := map[int64]bool{}
	for _, h := range append(p1.Hits, p2.Hits...) {
		if seen[h.Article.Seq] {
			t.Errorf("article %d on both pages", h.Article.Seq)
		}
		seen[h.Article.Seq] = true
	}
	last, err := s.Search(ctx, SearchQuery{Text: "的", Limit: 50, Offset: len(all) - 1})
	if err != nil || len(last.Hits) != 1 || last.More {
		t.Errorf("last page: %d hits more=%v err=%v", len(last.Hits), last.More, err)
	}

	tagged, err := s.Search(ctx, SearchQuery{Text: "工业", Tags: []string{"梧州日报新闻"}})
	if err != nil || len(tagged.Hits) != 1 || tagged.Hits[0].Article.ID != "NW202202112273376235" {
		t.Errorf("tag filter: %+v %v", tagged, err)
	}
	day := time.Date(2021, 12, 8, 0, 0, 0, 0, shanghai)
	in := searchAll(t, s, SearchQuery{Text: "的", From: day, To: day.AddDate(0, 0, 1)})
	out := searchAll(t, s, SearchQuery{Text: "的", From: day.AddDate(0, 0, 1)})
	if len(in) == 0 || len(out) == 0 || len(in)+len(out) != len(all) {
		t.Errorf("date filter: %d on 2021-12-08, %d after, %d in all", len(in), len(out), len(all))
	}
}

func TestSearchSnippetMarksHits(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	res, err := s.Search(context.Background(), SearchQuery{Text: "ｈｆｏ-1234ＹＦ 制冷剂"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("%v %v", res, err)
	}
	snip := res.Hits[0].Snippet.Mark("【", "】", nil)
	if !strings.Contains(snip, "【HFO-1234yf】") || !strings.Contains(snip, "【制冷剂】") {
		t.Errorf("snippet %q should mark both terms in their original case", snip)
	}
	if n := len([]rune(res.Hits[0].Snippet.String())); n > SnippetRunes+2 {
		t.Errorf("snippet is %d runes", n)
	}
	esc := res.Hits[0].Snippet.Mark("<b>", "</b>", func(s string) string { return strings.ReplaceAll(s, "<", "&lt;") })
	if strings.Count(esc, "<b>") != strings.Count(snip, "【") {
		t.Errorf("escaped rendering lost marks: %q", esc)
	}
}

func TestSearchEmptyQuery(t *testing.T) {
	s := newTestStore(t, nil)
	for _, in := range []string{"", "   ", "！？。", "😀😀"} {
		if _, err := s.Search(context.Background(), SearchQuery{Text: in}); !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("%q: %v, want ErrEmptyQuery", in, err)
		}
	}
}

func BenchmarkSearchCorpus(b *testing.B) {
	s := newTestStore(b, nil)
	ingestCorpus(b, s)
	ctx := context.Background()
	for b.Loop() {
		for _, q := range []string{"工业", "茶", "美元 港股", "HFO-1234yf"} {
			if _, err := s.Search(ctx, SearchQuery{Text: q}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
