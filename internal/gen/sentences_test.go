package gen

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSplitSentences(t *testing.T) {
	cases := map[string]struct {
		in   string
		want []string
	}{
		"full stops": {
			in:   "梧州市第十四次党代会提出大力实施工业振兴。我市工业发展有良好的基础和优势。",
			want: []string{"梧州市第十四次党代会提出大力实施工业振兴。", "我市工业发展有良好的基础和优势。"},
		},
		"closing quote stays with its sentence": {
			in:   "他说：“这几年变化真的太大了，我们都很高兴。”记者随后走访了多家企业和商户。",
			want: []string{"他说：“这几年变化真的太大了，我们都很高兴。”", "记者随后走访了多家企业和商户。"},
		},
		"short fragments and bylines are dropped": {
			in:   "好。 (许素雁) \n西江航道货运繁忙，船闸今年累计过闸货物大幅增长！",
			want: []string{"西江航道货运繁忙，船闸今年累计过闸货物大幅增长！"},
		},
		"source attributions are dropped": {
			in:   "（文章来源：上海证券报）\n图片来源：霍尼韦尔官网的一张图片说明文字。",
			want: nil,
		},
		"quote opened in an earlier sentence is repaired": {
			in:   "“目前第三代制冷剂还没有被全面禁止，推广有些难度。",
			want: []string{"目前第三代制冷剂还没有被全面禁止，推广有些难度。"},
		},
		"latin-only text is dropped": {
			in:   "Level Infinite is a new publishing brand of Tencent games.",
			want: nil,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := splitSentences(c.in); !slices.Equal(got, c.want) {
				t.Errorf("splitSentences(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func TestBodyTextDropsSourceFooterAndTags(t *testing.T) {
	body := "> 摘要一句话。\n\n<p>第一段&lt;文字&gt;。</p><!-- x --><p class=\"em_media\">（文章来源：梧州日报）</p>\n\n" +
		"<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW1>\n\n" +
		"[返回梧州日报新闻](//finews.withounder.com/category/wuzhouribao.html)｜[返回首页](//finews.withounder.com/)"
	got := strings.Fields(bodyText(body))
	want := []string{"摘要一句话。", "第一段<文字>。", "（文章来源：梧州日报）"}
	if !slices.Equal(got, want) {
		t.Errorf("bodyText lines\n got %q\nwant %q", got, want)
	}
}

func TestLoadSentencesFromSample(t *testing.T) {
	s, err := loadSentences(os.DirFS("../sample/finews"))
	if err != nil {
		t.Fatalf("loadSentences: %v", err)
	}
	// The one 梧州日报 post has about two dozen sentences; the emnews posts
	// give a few hundred.
	if len(s.local) < 15 || len(s.other) < 100 {
		t.Fatalf("got %d local and %d other sentences, want at least 15 and 100", len(s.local), len(s.other))
	}
	for _, pool := range [][]template{s.local, s.other} {
		for _, tpl := range pool {
			var b strings.Builder
			for _, seg := range tpl.segs {
				b.WriteString(seg.lit)
			}
			text := b.String()
			if strings.ContainsAny(text, "<>&\"") || strings.Contains(text, "返回") || strings.Contains(text, "http") {
				t.Errorf("sentence keeps markup or footer text: %q", text)
			}
		}
	}
}

func TestLoadSentencesSkipsNonPosts(t *testing.T) {
	corpus := fstest.MapFS{
		"site/index.md": {Data: []byte("---\nlayout: default\n---\n这是首页上的一句足够长的说明文字。\n")},
		"_posts/a.md":   {Data: []byte("\n---\nlayout: post\ncategories: wuzhouribao\n---\n<p>长洲区新建学校两所，新增学位一千个。</p>\n")},
	}
	s, err := loadSentences(corpus)
	if err != nil {
		t.Fatalf("loadSentences: %v", err)
	}
	if len(s.local) != 1 || len(s.other) != 0 {
		t.Fatalf("got %d local and %d other sentences, want 1 and 0", len(s.local), len(s.other))
	}
}

func TestSwapTableMarksPlacesWordsAndNumbers(t *testing.T) {
	tpl := newSwapTable().template("江苏省企业2021年产量增长15%，5G基站和FF 91不变。")
	var slots []slot
	var lits []string
	for _, s := range tpl.segs {
		if s.slot != slotNone {
			slots = append(slots, s.slot)
			lits = append(lits, s.lit)
		}
	}
	wantSlots := []slot{slotPlaceSwap, slotWord, slotYear, slotDigits}
	wantLits := []string{"江苏省", "企业", "2021", "15"}
	if !slices.Equal(slots, wantSlots) || !slices.Equal(lits, wantLits) {
		t.Errorf("swaps = %v %q, want %v %q", slots, lits, wantSlots, wantLits)
	}
}
