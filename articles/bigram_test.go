package articles

import (
	"strings"
	"testing"
)

func TestBigrams(t *testing.T) {
	cases := map[string]string{
		"梧州市":         "梧州 州市 市",
		"梧州":          "梧州 州",
		"茶":           "茶",
		"梧州市PM2.5指数":  "梧州 州市 市p pm m2 2 5指 指数 数",
		"ＰＭ２．５，西江":    "pm m2 2 5 西江 江",
		"GDP增长。":      "gd dp p增 增长 长",
		"iPhone 15":   "ip ph ho on ne e 15 5",
		"¡emoji😀在这里!": "em mo oj ji i 在这 这里 里",
	}
	for in, want := range cases {
		if got := bigrams(in); got != want {
			t.Errorf("bigrams(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchExpr(t *testing.T) {
	cases := map[string]string{
		"梧州":                          `"梧州"`,
		"茶":                           `"茶"*`,
		"六堡茶":                         `"六堡 堡茶"`,
		"西江 大桥":                       `"西江" AND "大桥"`,
		"5G基站":                        `"5g g基 基站"`,
		"5G茶":                         `"5g g茶"`,
		"g":                           `"g"*`,
		"ＰＭ２.５":                       `"pm m2 2 5"*`,
		`"梧州" OR 西江`:                  `"梧州" AND "or" AND "西江"`,
		"NEAR(a b) -c *":              `"ne ea ar r a"* AND "b"* AND "c"*`,
		"梧州 梧州 ＷＵ wu":                 `"梧州" AND "wu"`,
		`'); DROP TABLE articles; --`: `"dr ro op" AND "ta ab bl le" AND "ar rt ti ic cl le es"`,
		"😀 ！？ 。。":                     "",
		"":                            "",
		"\x00\xff\xfe":                "",
	}
	for in, want := range cases {
		if got := matchExpr(splitTerms(in)); got != want {
			t.Errorf("matchExpr(%q) = %s, want %s", in, got, want)
		}
	}
}
func TestSplitTermsBoundsWork(t *testing.T) {
	terms := splitTerms(strings.Repeat("梧州西江大桥 ", 2000))
	if len(terms) != 1 {
		t.Errorf("repeated term kept %d times", len(terms))
	}
	terms = splitTerms(strings.Repeat("字", 10000))
	if len(terms) != 1 || len([]rune(terms[0])) != maxTermRunes {
		t.Errorf("a 10,000-character term: %d terms, first %d runes", len(terms), len([]rune(terms[0])))
	}
	var many []string
	for i := range 50 {
		many = append(many, strings.Repeat("a", i+1))
	}
	if n := len(splitTerms(strings.Join(many, " "))); n != maxTerms {
		t.Errorf("%d terms kept, want %d", n, maxTerms)
	}
}

func TestFold(t *testing.T) {
	if got := string(foldRunes("ＡＢＣ１２３ｘ　Ｇ８０")); got != "abc123x g80" {
		t.Errorf("fold = %q", got)
	}
	if got := string(foldRunes("梧州，。")); got != "梧州,。" {
		t.Errorf("fold of CJK text and punctuation = %q", got)
	}
}

func BenchmarkBigrams(b *testing.B) {
	text := strings.Repeat("梧州市大力实施工业振兴，再造一个工业梧州。5G基站建设提速，PM2.5浓度下降。", 30)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		bigrams(text)
	}
}
