package digest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/i18n"
)

func plainParts(parts []chat.Message) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = chat.PlainText(p)
	}
	return out
}

// The header names 梧州日报 only when every item is its own; when a digest
// mixes papers, a group of one paper names it unless its tag does, and a
// group of several has each item name its own.
func TestADigestSaysWhereItsNewsComesFrom(t *testing.T) {
	wz := art(1, "西江大桥夜景灯光开启", "西江大桥夜景灯光正式开启，市民纷纷前往观赏。", 3, "梧州日报新闻", "交通")
	wz.Topics, wz.Tags = []string{"交通"}, []string{"梧州日报新闻"}
	dc := art(2, "港股锂电池板块走高", "港股锂电池板块走高，赣锋锂业涨幅扩大至5%。", 2, "东财滚动新闻", "交通")
	dc.Topics, dc.Tags = []string{"交通"}, []string{"东财滚动新闻"}
	dc2 := art(3, "美国众议院通过债务上限法案", "美国众议院以222票支持212票反对通过议案。", 1, "东财滚动新闻", "工业")
	dc2.Topics, dc2.Tags = []string{"工业"}, []string{"东财滚动新闻"}

	home := sub("梧州日报新闻")
	text := strings.Join(plainParts(Render(Compose(home, Prepare([]*articles.Article{wz, dc, dc2})), home, day, Limits{})), "\n")
	if !strings.Contains(text, "【梧州日报摘要 · 2026年11月26日】") || strings.Contains(text, "· 梧州日报\n") {
		t.Errorf("a digest of 梧州日报 alone:\n%s", text)
	}

	mixed := sub("交通", "工业", "东财滚动新闻")
	text = strings.Join(plainParts(Render(Compose(mixed, Prepare([]*articles.Article{wz, dc, dc2})), mixed, day, Limits{})), "\n")
	for _, want := range []string{"【今日摘要 · 2026年11月26日】",
		"【交通（2）】", "西江大桥夜景灯光开启 · 今天 04:30 · 梧州日报", "港股锂电池板块走高 · 今天 05:30 · 东财滚动",
		"【工业 · 东财滚动（1）】", "美国众议院通过债务上限法案 · 今天 06:30\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("a digest of two papers lacks %q:\n%s", want, text)
		}
	}
	// The paper's own tag names it already.
	own := sub("东财滚动新闻", "交通")
	text = strings.Join(plainParts(Render(Compose(own, Prepare([]*articles.Article{wz, dc, dc2})), own, day, Limits{})), "\n")
	if !strings.Contains(text, "【东财滚动新闻（2）】") || strings.Contains(text, "东财滚动新闻 · 东财滚动") || !strings.Contains(text, "【交通 · 梧州日报（1）】") {
		t.Errorf("groups by the papers' own tags:\n%s", text)
	}
}

// A day with nothing names the paper only to a reader who follows it alone.
func TestAnEmptyDayNamesThePaperOnlyToItsOwnReaders(t *testing.T) {
	for _, tc := range []struct {
		tags []string
		want string
	}{
		{[]string{"梧州日报新闻"}, "梧州日报摘要 · 2026年11月26日：今天没有符合你订阅的新文章。"},
		{[]string{"东财滚动新闻"}, "今日摘要 · 2026年11月26日：今天没有符合你订阅的新文章。"},
		{[]string{"梧州日报新闻", "工业"}, "今日摘要 · 2026年11月26日：今天没有"},
	} {
		s := sub(tc.tags...)
		s.EmptyNotice = true
		text := strings.Join(plainParts(Render(Compose(s, nil), s, day, Limits{})), "\n")
		if !strings.HasPrefix(text, tc.want) {
			t.Errorf("following %v, the empty day reads %q; want %q", tc.tags, text, tc.want)
		}
	}
}

// A part that goes on with a group repeats the group's heading, marked as
// continued, and goes on counting; every item comes once.
func TestAPartThatGoesOnWithAGroupSaysSoAndGoesOnCounting(t *testing.T) {
	var list []*articles.Article
	for i := range 40 {
		list = append(list, art(int64(i+1), fmt.Sprintf("第%02d条：梧州新闻标题", i), fmt.Sprintf("第%d条正文。", i)+strings.Repeat("内容", 40), 40-i, "梧州日报新闻"))
	}
	s := sub("梧州日报新闻")
	s.MaxItems = 40
	for _, lim := range []Limits{{MaxLength: 1500}, {MaxLength: 1500, NotAdditive: true}} {
		parts := plainParts(Render(Compose(s, Prepare(list)), s, day, lim))
		if len(parts) < 3 {
			t.Fatalf("%d parts", len(parts))
		}
		next := 1
		for i, p := range parts {
			wantHead := "【梧州日报新闻（40）】"
			if i > 0 {
				wantHead = "【梧州日报新闻（续）】"
			}
			if !strings.Contains(p, wantHead+"\n") {
				t.Errorf("part %d lacks %s:\n%s", i+1, wantHead, p)
			}
			for _, line := range strings.Split(p, "\n") {
				var n int
				if _, err := fmt.Sscanf(line, "%d. ", &n); err != nil {
					continue
				}
				if n != next || !strings.Contains(line, fmt.Sprintf("第%02d条", n-1)) {
					t.Fatalf("part %d: item %q, want number %d", i+1, line, next)
				}
				next++
			}
		}
		if next != 41 {
			t.Errorf("items numbered up to %d, want 40", next-1)
		}
	}
}

// The header counts what there is and what is listed; the hint never
// suggests the maximum already set.
func TestTheCountsAndTheHint(t *testing.T) {
	var list []*articles.Article
	for i := range 50 {
		list = append(list, art(int64(i+1), fmt.Sprint("新闻", i), fmt.Sprintf("第%d条完全不同的内容%d", i, i*7919), 50-i, "梧州日报新闻"))
	}
	for _, c := range []struct {
		max  int
		want []string
	}{
		{10, []string{"共 50 篇，列出 10 篇", "还有 40 篇没有列出：发送 更多摘要 来看；发送 每日条数 20 以后每天多看一些。"}},
		{30, []string{"共 50 篇，列出 30 篇", "发送 每日条数 50 以后"}},
		{50, []string{"共 50 篇\n"}},
	} {
		s := sub("梧州日报新闻")
		s.MaxItems = c.max
		text := strings.Join(plainParts(Render(Compose(s, Prepare(list)), s, day, Limits{MaxLength: 1 << 20})), "\n")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("max %d: lacks %q", c.max, w)
			}
		}
		if strings.Contains(text, fmt.Sprintf("每日条数 %d ", c.max)) || (c.max == 50 && strings.Contains(text, "没有列出")) {
			t.Errorf("max %d: the hint suggests what is set:\n%.300s", c.max, text[strings.LastIndex(text, "共"):])
		}
	}
	for cur, want := range map[int]int{1: 10, 10: 20, 29: 30, 30: 50, 50: 100, 100: 200, 150: 200, 200: 0, 0: 0} {
		if got := moreMax(cur); got != want {
			t.Errorf("moreMax(%d) = %d, want %d", cur, got, want)
		}
	}
	p := Part{Lang: "zh", Date: "2026年11月26日", N: 1, Of: 1, More: 5, Max: 200, Footer: true}
	if text := chat.PlainText(Build(p, nil, Limits{})); !strings.Contains(text, "还有 5 篇没有列出：发送 更多摘要 来看。") || strings.Contains(text, "每日条数") {
		t.Errorf("at the highest maximum: %q", text)
	}
}

func TestWhen(t *testing.T) {
	shanghai := articles.Zone()
	now := time.Date(2026, 11, 26, 7, 30, 0, 0, shanghai)
	cases := []struct {
		t    time.Time
		now  time.Time
		lang i18n.Lang
		want string
	}{
		{time.Date(2026, 11, 26, 6, 5, 0, 0, shanghai), now, i18n.ZH, "今天 06:05"},
		{time.Date(2026, 11, 25, 18, 30, 0, 0, shanghai), now, i18n.ZH, "昨天 18:30"},
		{time.Date(2026, 11, 25, 18, 30, 0, 0, shanghai), now, i18n.EN, "yesterday 18:30"},
		{time.Date(2026, 11, 24, 23, 59, 0, 0, shanghai), now, i18n.ZH, "11月24日"},
		{time.Date(2021, 12, 8, 14, 20, 0, 0, shanghai), now, i18n.ZH, "2021年12月8日"},
		{time.Date(2021, 12, 8, 14, 20, 0, 0, shanghai), now, i18n.EN, "8 Dec 2021"},
		// In the reader's zone: 00:30 in Shanghai is the evening before in Berlin.
		{time.Date(2026, 11, 26, 0, 30, 0, 0, shanghai), now.In(time.FixedZone("CET", 3600)), i18n.EN, "yesterday 17:30"},
		// No present: the date, for text that outlives the day.
		{time.Date(2026, 11, 26, 6, 5, 0, 0, shanghai), time.Time{}, i18n.ZH, "2026年11月26日"},
	}
	for _, c := range cases {
		if got := When(c.t, c.now, c.lang); got != c.want {
			t.Errorf("When(%v, %v) = %q, want %q", c.t, c.now, got, c.want)
		}
	}
}

// A part written to the outbox before parts kept their time, counts and
// paper still builds: dates instead of 今天, the count it has, the neutral
// header.
func TestAPartStoredByAnEarlierVersionStillBuilds(t *testing.T) {
	var p Part
	if err := json.Unmarshal([]byte(`{"l":"zh","d":"2026年11月26日","n":1,"o":1,"i":1,"g":1,"u":[{"g":"梧州日报新闻","c":1,"s":1}],"f":true}`), &p); err != nil {
		t.Fatal(err)
	}
	a := art(1, "西江大桥夜景灯光开启", "西江大桥夜景灯光正式开启，市民纷纷前往观赏。", 3, "梧州日报新闻")
	text := chat.PlainText(Build(p, map[int64]*articles.Article{1: a}, Limits{}))
	for _, want := range []string{"【今日摘要 · 2026年11月26日】", "共 1 篇", "【梧州日报新闻（1）】", "1. 西江大桥夜景灯光开启 · 2026年11月26日"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

// On a platform with a conversation window the last part invites the
// reply that keeps it open, and still fits the platform's length; a
// release's header counts the days it merges.
func TestTheInvitationFitsTheLastPart(t *testing.T) {
	var list []*articles.Article
	for i := range 40 {
		list = append(list, art(int64(i+1), fmt.Sprintf("第%02d条：梧州新闻标题", i), fmt.Sprintf("第%d条正文。", i)+strings.Repeat("内容", 40), 40-i, "梧州日报新闻"))
	}
	for _, lang := range []string{"zh", "en"} {
		s := sub("梧州日报新闻")
		s.MaxItems, s.Lang = 40, lang
		for _, lim := range []Limits{{MaxLength: 1500}, {MaxLength: 1500, NotAdditive: true}} {
			lim = withDefaults(lim)
			d := Compose(s, Prepare(list))
			d.Dates = []string{"2026-11-25", "2026-11-26"}
			parts := plan(d, s, day, lim, nil, true)
			invite := i18n.Of(lang).T("invite", KeepWord)
			bySeq := map[int64]*articles.Article{}
			for _, a := range list {
				bySeq[a.Seq] = a
			}
			for i, p := range parts {
				m := Build(p, bySeq, lim)
				text := chat.PlainText(m)
				if n := lim.Measure(m); n > lim.MaxLength {
					t.Errorf("%s part %d: %d long, over %d", lang, i+1, n, lim.MaxLength)
				}
				if strings.Contains(text, invite) != (i == len(parts)-1) {
					t.Errorf("%s part %d of %d: invitation %v", lang, i+1, len(parts), strings.Contains(text, invite))
				}
				if head := i18n.Of(lang).T("held header", 2); !strings.HasPrefix(text, "【"+head) {
					t.Errorf("%s part %d: header %.40q", lang, i+1, text)
				}
			}
		}
	}
	empty := sub("梧州日报新闻")
	empty.EmptyNotice = true
	parts := plan(Compose(empty, nil), empty, day, Limits{}, nil, true)
	if len(parts) != 1 || !strings.Contains(chat.PlainText(Build(parts[0], nil, Limits{})), "回复「1」明天继续收到摘要") {
		t.Errorf("an empty day's notice does not invite the reply: %+v", parts)
	}
}
