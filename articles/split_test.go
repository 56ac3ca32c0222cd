package articles

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSplitUsesTheIndexAsItsVocabulary(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	cases := map[string]string{
		"梧州工业":    "梧州 工业",
		"工业梧州":    "工业 梧州",
		"美元汇率":    "美元 汇率",
		"港股上涨":    "港股 上涨",
		"北向资金流入":  "北向资金 流入",
		"梧州，工业":   "梧州 工业", // punctuation between words is no word
		"5G基站":    "5g 基站", // scripts change
		"美元":      "",      // two characters: single ones would match anything
		"iPhone":  "",
		"梧州 工业":   "",         // nothing to split
		"梧州工业 美元": "梧州 工业 美元", // one term splits, the other stays
	}
	checkSplits(t, s, cases)
}

// checkSplits checks what Split makes of each input: the words joined
// by spaces, "" for none.
func checkSplits(t *testing.T, s *Store, cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		got, err := s.Split(context.Background(), in, SplitCohesion)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("Split(%q) = %q, want %q", in, got, want)
		}
	}
}

// saveText stores one article published age before testNow.
func saveText(t *testing.T, s *Store, id, title, body string, age time.Duration) {
	t.Helper()
	if _, err := s.Save(context.Background(), &Article{ID: id, Title: title, Body: body, Lead: body, Published: testNow.Add(-age)}); err != nil {
		t.Fatal(err)
	}
}

func TestSplitLearnsWordsFromTheArticles(t *testing.T) {
	s := newTestStore(t, nil)
	// No dictionary knows 骑楼城 or 龙母; these articles teach them, and
	// that 游客 comes beside them but is a word of its own.
	bodies := []string{"龙母庙会今天开幕。", "市民参加龙母诞。", "庙会很热闹。", "龙母文化节。", "庙会吸引游客。", "游客来到骑楼城。", "骑楼城游人如织。"}
	for i, b := range bodies {
		saveText(t, s, fmt.Sprint("a", i), "新闻", b, time.Duration(i)*time.Hour)
	}
	checkSplits(t, s, map[string]string{"龙母游客": "龙母 游客", "骑楼城游客": "骑楼城 游客", "庙会游客": "庙会 游客"})
}

func TestRelaxedSearchFindsTheWordsWhenTheTermFindsNothing(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	exact, err := s.Search(ctx, SearchQuery{Text: "梧州工业"})
	if err != nil || len(exact.Hits) != 0 {
		t.Fatalf("the sample should not hold 梧州工业 as such: %v", err)
	}
	res, err := s.Search(ctx, SearchQuery{Text: "梧州工业", Relax: true, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Words, " ") != "梧州 工业" || res.Exact != 0 {
		t.Fatalf("words %q, exact %d: want 梧州 工业 and no exact hit", res.Words, res.Exact)
	}
	var got []int64
	for _, h := range res.Hits {
		got = append(got, h.Article.Seq)
	}
	slices.Sort(got)
	want := scanMatches(t, s, "梧州 工业")
	if len(want) == 0 || !slices.Equal(got, want) || res.Total != len(want) {
		t.Errorf("relaxed search found %v (total %d), a scan for 梧州 工业 finds %v", got, res.Total, want)
	}
	if title := res.Hits[0].Snippet.Mark("【", "】", nil); !strings.Contains(title, "【梧州】") || !strings.Contains(title, "【工业】") {
		t.Errorf("the snippet should mark the words: %q", title)
	}
}

func TestRelaxedSearchPutsTheFewExactHitsFirst(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	save := func(id, title, body string, age time.Duration) { saveText(t, s, id, title, body, age) }
	save("exact-old", "园区新闻", "梧州工业园区扩建。", 400*24*time.Hour)
	for i := range 7 {
		save(fmt.Sprint("words-", i), "梧州新闻", fmt.Sprintf("工业和梧州，第 %d 条。梧州的工业。", i), time.Duration(i)*time.Hour)
	}
	for i := range 3 {
		save(fmt.Sprint("other-", i), "梧州新闻", "西江水位上涨。", time.Duration(i)*time.Hour)
	}
	var seen []string
	total := 0
	for page := 0; ; page++ {
		res, err := s.Search(ctx, SearchQuery{Text: "梧州工业", Relax: true, Count: true, Limit: 3, Offset: page * 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Exact != 1 || strings.Join(res.Words, " ") != "梧州 工业" {
			t.Fatalf("page %d: exact %d, words %q", page, res.Exact, res.Words)
		}
		for _, h := range res.Hits {
			seen = append(seen, h.Article.ID)
		}
		total = res.Total
		if !res.More {
			break
		}
	}
	if len(seen) != 8 || seen[0] != "exact-old" || total != 8 {
		t.Errorf("pages held %v (total %d): want the old exact hit first, then the 7 with both words, each once", seen, total)
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != 8 {
		t.Errorf("an article came twice: %v", seen)
	}
}

func TestRelaxedSearchKeepsTheExactPassWhenItFindsEnough(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	for _, q := range []string{"工业", "美元", "人民币", "人民币 美元", "资金 流入", "亿元", "的", "北向资金"} {
		want := scanMatches(t, s, q)
		if len(want) < FewHits {
			t.Fatalf("%q: %d matches; pick a query with at least %d", q, len(want), FewHits)
		}
		got := searchAll(t, s, SearchQuery{Text: q, Relax: true})
		if !slices.Equal(got, want) {
			t.Errorf("%q: relaxed search found %d, a scan finds %d", q, len(got), len(want))
		}
		res, err := s.Search(context.Background(), SearchQuery{Text: q, Relax: true, Count: true, Limit: 5})
		if err != nil || res.Words != nil || res.Total != len(want) || res.TotalOver {
			t.Errorf("%q: words %q, total %d over=%v, want none and %d (%v)", q, res.Words, res.Total, res.TotalOver, len(want), err)
		}
	}
}

func TestSearchCountStopsAtTheCap(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	var posts []*Article
	for i := range CountCap + 5 {
		posts = append(posts, &Article{ID: fmt.Sprint("p", i), Title: "西江新闻", Body: "西江水位。", Lead: "西江水位。", Published: testNow.Add(-time.Duration(i) * time.Minute)})
	}
	if _, err := s.Ingest(ctx, articleSource(posts), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(ctx, SearchQuery{Text: "西江", Count: true, Limit: 5})
	if err != nil || res.Total != CountCap || !res.TotalOver {
		t.Errorf("total %d over=%v (%v), want %d and over", res.Total, res.TotalOver, err, CountCap)
	}
	res, err = s.Search(ctx, SearchQuery{Text: "西江", Count: true, Limit: 5, Tags: []string{"nothing"}})
	if err != nil || res.Total != 0 || res.TotalOver {
		t.Errorf("with a tag no article has: total %d over=%v (%v)", res.Total, res.TotalOver, err)
	}
}

func TestRelaxedSearchSaysNothingWhenTheWordsFindNoMore(t *testing.T) {
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	res, err := s.Search(context.Background(), SearchQuery{Text: "人民币汇率", Relax: true, Count: true})
	if err != nil || len(res.Hits) != 1 || res.Words != nil || res.Exact != 0 || res.Total != 1 {
		t.Errorf("人民币汇率 is in one article, and its words in no other: %d hits, words %q, exact %d, total %d (%v)",
			len(res.Hits), res.Words, res.Exact, res.Total, err)
	}
}
