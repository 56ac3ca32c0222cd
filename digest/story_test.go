package digest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/chat"
	"wzdaily/internal/sample"
)

// storiesOf lists the stories of more than one report among list, each
// as its titles in order of publication, the stories in the order of their
// first report.
func storiesOf(list []*articles.Article) [][]string {
	cands := Prepare(list)
	slices.SortStableFunc(cands, func(a, b *Candidate) int { return a.Article.Published.Compare(b.Article.Published) })
	members := map[int][]string{}
	var order []int
	for _, c := range cands {
		if members[c.story] == nil {
			order = append(order, c.story)
		}
		members[c.story] = append(members[c.story], c.Article.Title)
	}
	var out [][]string
	for _, st := range order {
		if len(members[st]) > 1 {
			out = append(out, members[st])
		}
	}
	return out
}

// On the sample, one story's flashes are one story, and flashes that only
// look alike are not. The stories are in the report of issue 13.
func TestStoriesOfTheSample(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.articles.Ingest(ctx, &source.Dir{FS: sample.FS(), Label: "sample",
		Post: source.PostOptions{SiteURL: "https://finews.withounder.com"}}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	list, err := w.articles.Since(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := storiesOf(list)
	for _, st := range got {
		t.Logf("%d reports: %s", len(st), strings.Join(st, " | "))
	}
	// Everything else stands alone: 港股半导体板块走高 and 港股锂电池板块走高
	// are two stories, and so are the three statements of 中国铝业 and the
	// House's vote count (美国众议院以222票支持212票反对…), whose title
	// shares too little with the others to tell.
	want := [][]string{
		{"FF：有充足的现金支持到FF 91完成投产", "FF首次披露IPO后财务状况 预计总资产约为11亿美元"},
		{"离岸人民币兑美元升至2018年以来最高水平", "在岸人民币兑美元升至2018年5月以来新高 现报6.3565。", "在岸人民币兑美元升至2018年5月以来新高 现报6.3565", "离岸人民币兑美元升至6.3512 为2018年以来最高水平"},
		{"美国商务部：国会批准扩大美国半导体生产的法案或拖延到2022年", "美扩大半导体生产资金法案或拖延至明年"},
		{"北向资金净流入达80亿", "北向资金净流入达30亿元", "北向资金净流入超40亿元", "北向资金净流入超40亿", "北向资金净流入超50亿"},
		{"美国众议院已有足够票数 允许加快提高债务上限的操作程序", "美国会众议院通过法案 允许加快提高债务上限操作程序"},
		{"工信部发布免征车辆购置税的新能源汽车车型目录（第四十九批）", "工信部发布新一批免征车辆购置税新能源汽车车型目录 比亚迪唐在列"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stories:\n%q\nwant\n%q", got, want)
	}
}

func TestSameStory(t *testing.T) {
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	a := func(title, body string, h int) *articles.Article {
		return &articles.Article{Title: title, Body: body, Published: at(h)}
	}
	cases := map[string]struct {
		a, b *articles.Article
		want bool
	}{
		"numbers set aside": {a("北向资金净流入达30亿元", "北向资金净流入达30亿元。", 0), a("北向资金净流入超50亿", "数据显示，北向资金净流入超50亿元。", 1), true},
		"alike openings under other titles": {
			a("FF：有充足的现金支持到FF 91完成投产", "Faraday Future (FF)于今日举办的线上投资者沟通交流会上，首次披露公司IPO后的财务状况。", 0),
			a("FF首次披露IPO后财务状况 预计总资产约为11亿美元", "12月8日，Faraday Future (FF)，在加州汉福德工厂举行线上投资者沟通交流，首次披露了IPO后财务状况。", 0), true},
		"too far apart": {a("北向资金净流入达30亿元", "截至午间，沪股通贡献过半。", 0), a("北向资金净流入超50亿", "创近一个月新高。", 13), false},
		"another sector": {a("港股半导体板块走高 英恒科技涨近8%", "太睿国际控股涨近6%，京东方精电涨近4%。", 0),
			a("港股锂电池板块走高 赣锋锂业涨幅扩大至5%", "比亚迪电子涨近5%，天能动力跟涨。", 4), false},
		"ordinals name others": {a("西江航运第1季度报告发布", "货运量同比增长。", 0), a("西江航运第2季度报告发布", "客运量有所回落。", 0), false},
		"other districts":      {a("城市更新 让苍梧县焕发新活力", "老旧小区改造完成。", 0), a("城市更新 让龙圩区焕发新活力", "新建口袋公园三座。", 3), false},
		"too short to tell":    {a("股市收盘", "沪指收涨。", 0), a("股市开盘", "沪指高开。", 0), false},
	}
	for name, c := range cases {
		cands := Prepare([]*articles.Article{c.a, c.b})
		if got := cands[0].story == cands[1].story; got != c.want {
			t.Errorf("%s: %q and %q one story: %v, want %v", name, c.a.Title, c.b.Title, got, c.want)
		}
	}
}

// A story comes once, as its newest report, saying how many earlier ones
// it stands for; a reprint counts as its first printing, not as a report.
func TestComposeCollapsesAStorysUpdatesIntoTheNewest(t *testing.T) {
	cands := Prepare([]*articles.Article{
		art(1, "北向资金净流入达30亿元", "截至午间，北向资金净流入达30亿元，沪股通贡献过半。", 5, "东财滚动新闻"),
		art(2, "北向资金净流入超40亿", "数据显示，北向资金午后加速流入，净流入超40亿元。", 3, "东财滚动新闻"),
		art(3, "北向资金净流入超50亿", "截至收盘，北向资金净流入超50亿元，创近一个月新高。", 1, "东财滚动新闻"),
		art(4, "北向资金净流入超50亿！", "另一家网站的转载，文字不同，讲的却是同一条快讯。", 0, "东财滚动新闻"), // a reprint
		art(5, "港股锂电池板块走高", "港股锂电池板块走高，赣锋锂业涨幅扩大至5%。", 2, "东财滚动新闻"),
	})
	s := sub("东财滚动新闻")
	d := Compose(s, cands)
	if got, want := titles(d), "东财滚动新闻:港股锂电池板块走高,北向资金净流入超50亿"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if d.Items != 2 || d.Earlier[3] != 2 || len(d.Earlier) != 1 {
		t.Errorf("items %d, earlier reports %v: want 2 items, 2 earlier reports of item 3", d.Items, d.Earlier)
	}
	// A report the subscriber would not get does not count.
	s.AddKeyword("-午间")
	if d := Compose(s, cands); d.Earlier[3] != 1 {
		t.Errorf("with 午间 excluded, earlier reports %v, want 1", d.Earlier)
	}
	text := chat.PlainText(Render(d, s, day, Limits{MaxLength: 4096})[0])
	if !strings.Contains(text, "北向资金净流入超50亿 · 今天 06:30（另有 2 条较早报道）") {
		t.Errorf("the story's note is missing:\n%s", text)
	}
}
