package digest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/subscribers"
)

var day = time.Date(2026, 11, 26, 7, 30, 0, 0, time.FixedZone("CST", 8*3600))

func art(seq int64, title, body string, hoursAgo int, tags ...string) *articles.Article {
	return &articles.Article{Seq: seq, ID: fmt.Sprint("NW", seq), Title: title, Body: body, Lead: body,
		Published: day.Add(-time.Duration(hoursAgo) * time.Hour), URL: fmt.Sprintf("https://x/%d.html", seq), Tags: tags}
}

func sub(tags ...string) *subscribers.Subscriber {
	s := subscribers.New(chat.Key{Platform: "t", ChatID: "1"}, chat.Private, "")
	s.Tags = tags
	return s
}

func titles(d Digest) string {
	var out []string
	for _, g := range d.Groups {
		var ts []string
		for _, a := range g.Items {
			ts = append(ts, a.Title)
		}
		out = append(out, g.Tag+":"+strings.Join(ts, ","))
	}
	return strings.Join(out, " | ")
}

func TestComposeGroupsByTheSubscribersTags(t *testing.T) {
	cands := Prepare([]*articles.Article{
		art(1, "大桥通车", "西江大桥今天通车。", 3, "梧州日报新闻", "交通"),
		art(2, "学校开学", "全市中小学开学。", 5, "梧州日报新闻", "教育"),
		art(3, "高速开工", "新高速公路开工建设。", 9, "梧州日报新闻", "交通"),
		art(4, "股市收盘", "沪指收涨。", 1, "东财滚动新闻"),
		art(5, "公交线路调整", "多条公交线路调整，广告招商。", 2, "梧州日报新闻", "交通"),
	})
	s := sub("交通", "梧州日报新闻")
	got := titles(Compose(s, cands))
	// 交通 first (the subscriber's order), oldest first inside, each article
	// once (under its first matching tag); 股市 matches no tag.
	if want := "交通:高速开工,大桥通车,公交线路调整 | 梧州日报新闻:学校开学"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	s.AddKeyword("-广告")
	if got := titles(Compose(s, cands)); strings.Contains(got, "公交") {
		t.Errorf("an excluded word got through: %s", got)
	}
	s.AddKeyword("大桥")
	s.AddKeyword("开学")
	if got, want := titles(Compose(s, cands)), "交通:大桥通车 | 梧州日报新闻:学校开学"; got != want {
		t.Errorf("with include words: %s, want %s", got, want)
	}
}

func TestComposeCollapsesReprints(t *testing.T) {
	body := strings.Repeat("梧州市今年重点推进西江大桥建设，预计明年通车，届时两岸交通更加便利。", 6)
	cands := Prepare([]*articles.Article{
		art(1, "西江大桥明年通车", body, 30, "梧州日报新闻"),
		art(2, "西江大桥明年通车！", "另一篇完全不同的报道，讲的是别的事情。", 20, "梧州日报新闻"), // same title
		art(3, "两岸交通将更便利", "本报讯 "+body, 10, "梧州日报新闻"),            // same body, a line added
		art(4, "六堡茶节开幕", "六堡茶文化节在苍梧县开幕。", 5, "梧州日报新闻"),
	})
	d := Compose(sub("梧州日报新闻"), cands)
	if got, want := titles(d), "梧州日报新闻:西江大桥明年通车,六堡茶节开幕"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestComposeMaxItems(t *testing.T) {
	var list []*articles.Article
	for i := range 50 {
		list = append(list, art(int64(i+1), fmt.Sprint("新闻标题", i), fmt.Sprintf("第%d条完全不同的内容%d", i, i*7919), 50-i, "梧州日报新闻"))
	}
	s := sub("梧州日报新闻")
	s.MaxItems = 10
	d := Compose(s, Prepare(list))
	if d.Items != 10 || d.More != 40 {
		t.Errorf("items %d more %d, want 10 and 40", d.Items, d.More)
	}
}

func TestRenderSplitsBetweenItems(t *testing.T) {
	for _, n := range []int{0, 1, 500} {
		var list []*articles.Article
		for i := range n {
			list = append(list, art(int64(i+1), fmt.Sprintf("第%03d条：梧州新闻标题", i),
				fmt.Sprintf("正文%03d。", i)+strings.Repeat("内容", 40), n-i, "梧州日报新闻"))
		}
		s := sub("梧州日报新闻")
		s.MaxItems = 500
		d := Compose(s, Prepare(list))
		lim := Limits{MaxLength: 4096, Measure: PlainLength}
		parts := Render(d, s, day, lim)
		switch n {
		case 0:
			if len(parts) != 1 || !strings.Contains(chat.PlainText(parts[0]), "今天没有") {
				t.Errorf("an empty day: %v", parts)
			}
			s.EmptyNotice = false
			if p := Render(d, s, day, lim); len(p) != 0 {
				t.Errorf("an empty day with the notice off sent %d parts", len(p))
			}
			continue
		case 1:
			if len(parts) != 1 {
				t.Errorf("one item in %d parts", len(parts))
			}
		}
		all := ""
		for i, p := range parts {
			text := chat.PlainText(p)
			if l := PlainLength(p); l > lim.MaxLength {
				t.Errorf("%d items: part %d is %d units, over %d", n, i+1, l, lim.MaxLength)
			}
			if len(parts) > 1 && !strings.Contains(text, fmt.Sprintf("（%d/%d）", i+1, len(parts))) {
				t.Errorf("part %d lacks its number", i+1)
			}
			all += text
		}
		for i := range n {
			title := fmt.Sprintf("第%03d条：梧州新闻标题", i)
			if strings.Count(all, title) != 1 {
				t.Fatalf("%d items: %q appears %d times: an item was split, lost or repeated", n, title, strings.Count(all, title))
			}
		}
		if n == 500 && len(parts) < 10 {
			t.Errorf("500 items in only %d parts", len(parts))
		}
	}
}

func TestRenderSplitsExactlyAtTheLimit(t *testing.T) {
	var list []*articles.Article
	for i := range 40 {
		list = append(list, art(int64(i+1), fmt.Sprintf("标题%02d", i), strings.Repeat("字", 30+i), 40-i, "梧州日报新闻"))
	}
	s := sub("梧州日报新闻")
	d := Compose(s, Prepare(list))
	whole := Render(d, s, day, Limits{MaxLength: 1 << 20})
	exact := PlainLength(whole[0])
	if parts := Render(d, s, day, Limits{MaxLength: exact}); len(parts) != 1 {
		t.Errorf("a digest of exactly the limit (%d units) came in %d parts", exact, len(parts))
	}
	parts := Render(d, s, day, Limits{MaxLength: exact - 1})
	if len(parts) != 2 {
		t.Fatalf("one unit over the limit: %d parts, want 2", len(parts))
	}
	for i, p := range parts {
		if PlainLength(p) > exact-1 {
			t.Errorf("part %d is %d units, over %d", i+1, PlainLength(p), exact-1)
		}
	}
}

// A platform may count in a way that does not add up item by item; told
// so, Render still makes every part fit.
func TestRenderWithAMeasureThatDoesNotAddUp(t *testing.T) {
	var list []*articles.Article
	for i := range 60 {
		list = append(list, art(int64(i+1), fmt.Sprintf("标题%02d", i), fmt.Sprintf("第%d条：", i*7919)+strings.Repeat(fmt.Sprint(i*31, "字"), 12), 60-i, "梧州日报新闻"))
	}
	s := sub("梧州日报新闻")
	s.MaxItems = 60
	measure := func(m chat.Message) int {
		n := PlainLength(m)
		if len(m.Blocks) > 5 {
			n += 300 // an overhead only longer messages pay
		}
		return n
	}
	lim := Limits{MaxLength: 1500, Measure: measure, NotAdditive: true}
	parts := Render(Compose(s, Prepare(list)), s, day, lim)
	for i, p := range parts {
		if n := measure(p); n > lim.MaxLength {
			t.Errorf("part %d measures %d, over %d", i+1, n, lim.MaxLength)
		}
	}
	if len(parts) < 3 {
		t.Errorf("%d parts", len(parts))
	}
}
