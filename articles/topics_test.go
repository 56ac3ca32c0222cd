package articles

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestTopicsMatch(t *testing.T) {
	topics := DefaultTopics()
	cases := []struct {
		title, body string
		want        []string
	}{
		{"西江大桥通车", "今天上午，大桥正式通车。", []string{"交通"}},
		{"市民生活", "本市今年新增就业岗位，社保覆盖扩大。", []string{"民生"}},
		{"一条消息", "文中只提到一次学校。", nil},
		{"台风过境 学校停课", "受台风影响，全市中小学停课。", []string{"教育", "天气"}},
		{"ＰＭ２.５", "Some 4A级 scenic spot, another 4A级 one.", []string{"旅游"}},
	}
	for _, c := range cases {
		if got := topics.Match(c.title, c.body); !slices.Equal(got, c.want) {
			t.Errorf("Match(%q, %q) = %v, want %v", c.title, c.body, got, c.want)
		}
	}
	names := topics.Names()
	for _, want := range []string{"工业", "教育", "交通", "医疗", "旅游", "文化", "农业", "城建", "法治", "民生", "天气"} {
		if !slices.Contains(names, want) {
			t.Errorf("default topics lack %s", want)
		}
	}
}

func TestParseTopicsErrors(t *testing.T) {
	cases := map[string]string{
		"":                     "no topics",
		"工业 制造":                "line 1",
		"工业:":                  "no words",
		"工业: a\n工业: b":         "twice",
		"a b: c":               "line 1",
		"# note only\n\n":      "no topics",
		"ok: word\nbad\xff: w": "UTF-8",
	}
	for in, want := range cases {
		_, err := ParseTopics(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTopics(%q) = %v, want an error saying %q", in, err, want)
		}
	}
	tp, err := ParseTopics(strings.NewReader("# mine\n港口：码头 航运\n"))
	if err != nil || !slices.Equal(tp.Names(), []string{"港口"}) {
		t.Errorf("full-width colon: %v %v", tp, err)
	}
}

func TestReplacedTopicTableRetagsStoredArticles(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	mine, err := ParseTopics(strings.NewReader("汽车: 汽车 蔚来\n"))
	if err != nil {
		t.Fatal(err)
	}
	s2 := NewStore(s.db, StoreOptions{Topics: mine, Now: s.now})
	if _, err := s2.Ingest(ctx, &sliceSource{name: "none"}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	tags, err := s2.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tags {
		if tc.Topic && tc.Tag != "汽车" {
			t.Errorf("old topic %s survived the new table", tc.Tag)
		}
	}
	a, err := s2.Get(ctx, "202205262391921712")
	if err != nil || !slices.Equal(a.Topics, []string{"汽车"}) {
		t.Errorf("the car article's topics: %v %v", a.Topics, err)
	}
}
