package gen

import "testing"

func TestParseTemplate(t *testing.T) {
	cases := map[string]struct {
		src     string
		wantErr bool
		segs    int
		weight  float64
	}{
		"literal only":       {src: "梧州市气象台发布暴雨预警", segs: 1, weight: 1},
		"slots and literals": {src: "{district}新建{n}所学校", segs: 4, weight: 1},
		"weight and period":  {src: "[w0.25][y2020-2022]{place}设置核酸检测点", segs: 2, weight: 0.25},
		"unknown slot":       {src: "{nosuch}很好", wantErr: true},
		"unterminated slot":  {src: "{district很好", wantErr: true},
		"zero weight":        {src: "[w0]很好", wantErr: true},
		"bad range":          {src: "[m5]很好", wantErr: true},
		"unknown condition":  {src: "[q1-2]很好", wantErr: true},
		"empty":              {src: "[w1]", wantErr: true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tpl, err := parseTemplate(c.src)
			if (err != nil) != c.wantErr {
				t.Fatalf("parseTemplate(%q) error = %v, want error %v", c.src, err, c.wantErr)
			}
			if err == nil && (len(tpl.segs) != c.segs || tpl.weight != c.weight) {
				t.Errorf("parseTemplate(%q) = %d segments weight %v, want %d and %v", c.src, len(tpl.segs), tpl.weight, c.segs, c.weight)
			}
		})
	}
}

func TestTemplateFits(t *testing.T) {
	cases := map[string]struct {
		src         string
		year, month int
		want        bool
	}{
		"no bounds":             {"x", 2017, 1, true},
		"inside years":          {"[y2020-2022]x", 2021, 6, true},
		"before years":          {"[y2020-2022]x", 2019, 6, false},
		"summer in summer":      {"[m5-10]x", 2018, 7, true},
		"summer in winter":      {"[m5-10]x", 2018, 1, false},
		"winter wraps, January": {"[m12-2]x", 2018, 1, true},
		"winter wraps, June":    {"[m12-2]x", 2018, 6, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tpl, err := parseTemplate(c.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := tpl.fits(c.year, c.month); got != c.want {
				t.Errorf("%q fits(%d, %d) = %v, want %v", c.src, c.year, c.month, got, c.want)
			}
		})
	}
}

// Every hand-written template must parse, and each topic must have a title
// and a sentence that fit any date, which the fallback in pick relies on.
func TestBuiltInTemplatesParse(t *testing.T) {
	ts, err := parseTopics(topicSources())
	if err != nil {
		t.Fatalf("parseTopics: %v", err)
	}
	if len(ts) != 11 {
		t.Errorf("%d topics, want 11", len(ts))
	}
	for _, set := range [][]string{genericSentences(), genericTitles(), confounderSentences()} {
		g, err := parseTemplates(set)
		if err != nil {
			t.Fatalf("parseTemplates: %v", err)
		}
		if !g.list[0].fits(2017, 1) || !g.list[0].fits(2026, 7) {
			t.Errorf("first template %v is date-bound; the fallback needs one that fits any date", g.list[0])
		}
	}
	for _, tp := range ts {
		if len(tp.words) < 10 || len(tp.orgs) == 0 || len(tp.roles) == 0 {
			t.Errorf("topic %s: %d words, %d orgs, %d roles", tp.name, len(tp.words), len(tp.orgs), len(tp.roles))
		}
	}
}
