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
		// Both words fold: full-width Ａ in the title, upper case in the
		// body. Words in one sentence of the body count once.
		{"ＰＭ２.５ 与 4Ａ级", "Some 4A级 scenic spot, another 4A级 one.", []string{"旅游"}},
	}
	for _, c := range cases {
		if got := topics.Match(&Article{Title: c.title, Body: c.body}); !slices.Equal(got, c.want) {
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

// The sample's wrong tags the issue names, and a clear fit it missed, as
// the built-in table tags them now.
func TestBuiltInTableOnTheSample(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	cases := []struct {
		id, why string
		not     string
		want    []string
	}{
		{"202112082206736198", "扫清道路 (clearing the way) on the US debt ceiling is no road", "交通", nil},
		{"202112082207073610", "规划 (plans) for an AR headset is no city planning", "城建", nil},
		{"202205262391921712", "国新文化 is a chemical company's name", "文化", []string{"工业"}},
		{"202112082206836078", "船舶制造…板块领涨 is a market report", "工业", nil},
		{"202112082206753163", "a drug recall is medicine", "", []string{"医疗"}},
		{"NW202202112273376235", "梧州日报's article on industry", "城建", []string{"工业"}},
	}
	for _, c := range cases {
		a, err := s.Get(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if c.not != "" && slices.Contains(a.Topics, c.not) {
			t.Errorf("%s %s: tagged %s, but %s", c.id, a.Title, c.not, c.why)
		}
		if !slices.Equal(a.Topics, c.want) {
			t.Errorf("%s %s: topics %v, want %v (%s)", c.id, a.Title, a.Topics, c.want, c.why)
		}
	}
}

// matchCase is an article and the topics a table should give it.
type matchCase struct {
	why         string
	title, body string
	want        []string
}

func checkMatches(t *testing.T, table string, cases []matchCase) {
	t.Helper()
	tp := mustTopics(t, table)
	for _, c := range cases {
		if got := tp.Match(&Article{Title: c.title, Body: c.body}); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q / %q gave %v, want %v", c.why, c.title, c.body, got, c.want)
		}
	}
}

func TestStopPhrasesAreTakenOutBeforeCounting(t *testing.T) {
	checkMatches(t, "stop: 扫清道路 协调解决\n交通: 道路\n法治: 调解\n", []matchCase{
		{"words inside stop phrases", "为提高债务上限扫清道路", "协调解决用工难题。协调解决用地难题。", nil},
		{"a word outside the stop phrase", "道路扫清道路", "人民调解委员会调解纠纷。", []string{"交通"}},
	})
}

func TestTitleWordsCountOnlyInTheTitle(t *testing.T) {
	checkMatches(t, "工业 title: 投产\n", []matchCase{
		{"a title word", "新项目投产", "", []string{"工业"}},
		{"title words in three sentences of the body", "公告", "公司预计明年投产。新线下月投产。三号线年底投产。", nil},
	})
}

// A "place" word counts only in a clause that names one of the places,
// before or after it; the title is one clause.
func TestPlaceWordsCountOnlyNextToAPlace(t *testing.T) {
	checkMatches(t, "places: 梧州 镇\n交通 place: 道路 高速\n", []matchCase{
		{"no place", "发展新闻", "走中国特色道路，经济高速发展。坚持道路自信。", nil},
		{"next to places", "新闻", "梧州新修道路通车。大坡镇段高速车流量增长，道路畅通。", []string{"交通"}},
		{"the place in another clause", "新闻", "梧州召开会议，要求修好道路。大坡镇段高速车流量增长。", nil},
		{"the title is one clause", "梧州：道路", "", []string{"交通"}},
	})
}

// Body words count once a sentence: a sentence that repeats a word, or
// names several, is one mention.
func TestBodyWordsCountOncePerSentence(t *testing.T) {
	checkMatches(t, "民生: 就业 社保 养老\n", []matchCase{
		{"one sentence", "消息", "就业、社保、养老和就业工作都有进展，就业岗位增加。", nil},
		{"two sentences", "消息", "新增就业岗位。\n社保覆盖扩大！", []string{"民生"}},
		{"a full stop in a number ends no sentence", "消息", "就业率6.5%，社保覆盖98.2%。", nil},
	})
}

func TestMinSetsThePointsATopicNeeds(t *testing.T) {
	checkMatches(t, "教育: 学校 学生\n", []matchCase{
		{"min 2: a title word is enough", "学校开学", "新学期开始了。", []string{"教育"}},
	})
	checkMatches(t, "min: 3\n教育: 学校 学生\n", []matchCase{
		{"min 3: a title word alone is not enough", "学校开学", "新学期开始了。", nil},
		{"min 3: a title word and a sentence", "学校开学", "新学期开始了，学生返校。", []string{"教育"}},
	})
}

// A post takes the section of its first category that has one, else the
// rules above the first section.
func TestSectionsAreChosenByCategory(t *testing.T) {
	table := "工业: 工厂\n[emnews cls]\n工业 title: 工厂\n[wire2]\n医疗: 工厂\n"
	body := "工厂扩建。工厂投产。"
	cases := []struct {
		cats []string
		want []string
	}{
		{nil, []string{"工业"}},
		{[]string{"wuzhouribao"}, []string{"工业"}},
		{[]string{"emnews"}, nil},
		{[]string{"cls"}, nil},
		{[]string{"other", "wire2", "emnews"}, []string{"医疗"}},
	}
	for _, c := range cases {
		if got := mustTopics(t, table).Match(&Article{Title: "消息", Body: body, Categories: c.cats}); !slices.Equal(got, c.want) {
			t.Errorf("categories %v: %v, want %v", c.cats, got, c.want)
		}
	}
}

func TestExplainSaysWhichWordsGaveWhichTopic(t *testing.T) {
	tp := mustTopics(t, "places: 梧州\nstop: 扫清道路\n交通: 大桥\n交通 place: 道路\n[emnews]\n医疗: 注射\n")
	ex := tp.Explain(&Article{Title: "梧州道路扫清道路", Body: "大桥通车。修好道路。"})
	if ex.Section != "" || ex.Min != 2 {
		t.Errorf("section %q min %d, want the general rules with min 2", ex.Section, ex.Min)
	}
	if want := []WordCount{{Word: "扫清道路", InTitle: true, Counted: true, Count: 1}}; !slices.Equal(ex.Stopped, want) {
		t.Errorf("Stopped = %+v, want %+v", ex.Stopped, want)
	}
	want := TopicScore{Topic: "交通", Points: 3, Tagged: true, Words: []WordCount{
		{Word: "道路", InTitle: true, Kind: "place", Counted: true, Count: 1},
		{Word: "大桥", Count: 1, Counted: true},
		{Word: "道路", Kind: "place", Count: 1},
	}}
	if len(ex.Topics) != 1 || ex.Topics[0].Topic != want.Topic || ex.Topics[0].Points != want.Points ||
		!ex.Topics[0].Tagged || !slices.Equal(ex.Topics[0].Words, want.Words) {
		t.Errorf("Topics = %+v, want %+v", ex.Topics, want)
	}
	wire := tp.Explain(&Article{Title: "召回", Body: "注射液。注射产品。", Categories: []string{"emnews"}})
	if wire.Section != "emnews" || len(wire.Topics) != 1 || wire.Topics[0].Points != 2 || !wire.Topics[0].Tagged {
		t.Errorf("the wire's explanation: %+v", wire)
	}
}
