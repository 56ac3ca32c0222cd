package articles

import (
	"strings"
	"testing"
)

func TestMakeLead(t *testing.T) {
	long := strings.Repeat("很长的句子", 40) + "。"
	cases := []struct {
		title   string
		summary string
		paras   []string
		want    string
	}{
		{"", "", []string{"第一句。第二句！第三句。"}, "第一句。第二句！"},
		{"", "摘要。", []string{"正文。"}, "摘要。"},
		{"", "", []string{"没有句号的段落"}, "没有句号的段落"},
		{"", "", []string{"“引号里的话。”后面。再后面。"}, "“引号里的话。”后面。"},
		{"", "", []string{long}, string([]rune(long)[:LeadMaxRunes-1]) + "…"},
		{"", "", []string{"前半句；后半句。下一句。"}, "前半句；后半句。下一句。"},
		// A wire flash whose body is its title has no lead.
		{"北向资金净流入超40亿元", "", []string{"北向资金净流入超40亿元。"}, ""},
		{"北向资金净流入超40亿", "", []string{"数据显示，截至目前，北向资金净流入超40亿元。"}, ""},
		{"北向资金净流入超40亿", "北向资金净流入超40亿。", []string{"沪股通净流入25亿元。"}, "沪股通净流入25亿元。"},
		// A number the title lacks is news.
		{"离岸人民币兑美元升至2018年以来最高水平", "", []string{"离岸人民币兑美元升至6.3512，为2018年以来最高水平。"},
			"离岸人民币兑美元升至6.3512，为2018年以来最高水平。"},
		// The sentence that repeats the title is passed over for the next.
		{"港股半导体板块走高", "", []string{"港股半导体板块走高。英恒科技涨近8%，太睿国际控股涨近6%。"}, "英恒科技涨近8%，太睿国际控股涨近6%。"},
		// A later sentence wins when it says more about the title; an
		// opening that says nothing of it is passed over.
		{"西江大桥通车", "", []string{"今天天气很好。", "市交通局表示，西江大桥今天正式通车。"}, "市交通局表示，西江大桥今天正式通车。"},
		{"西江大桥通车", "", []string{"西江大桥将于下月正式建成通车。", "同时，两岸码头改造开工。"}, "西江大桥将于下月正式建成通车。同时，两岸码头改造开工。"},
		// A lead never opens on a word that points back at nothing.
		{"西江大桥通车", "", []string{"西江大桥通车。", "同时，两岸码头改造开工。"}, "两岸码头改造开工。"},
	}
	for _, c := range cases {
		if got := makeLead(c.title, c.summary, c.paras); got != c.want {
			t.Errorf("makeLead(%q, %q, %q) = %q, want %q", c.title, c.summary, c.paras, got, c.want)
		}
	}
}

// The 梧州日报 article of the sample opens with national boilerplate; the
// sentence a local reader wants names the city and the title's subject.
func TestMakeLeadPrefersWhatTheArticleSaysAboutTheTitleAndThePlace(t *testing.T) {
	para := "党的十九届五中全会通过的《中共中央关于制定国民经济和社会发展第十四个五年规划和二○三五年远景目标的建议》明确提出，" +
		"要加快构建以国内大循环为主体、国内国际双循环相互促进的新发展格局。2021年4月，习近平总书记视察广西时指出，" +
		"要在服务和融入新发展格局上展现新作为。工业是国民经济的命脉和主导，是构建“双循环”新发展格局的基础和重要力量。" +
		"梧州市第十四次党代会提出大力实施工业振兴，再造一个工业梧州。我市工业发展有良好的基础和优势，" +
		"应以推动工业高质量发展来增强融入“双循环”能力，为打造“一极三城”，建设“四个梧州”贡献新力量、展现新作为。"
	got := makeLead("加快我市工业高质量发展 全力融入“双循环”新发展格局", "", []string{para, "强化科技创新，为推动工业高质量发展提供重要动能。"})
	if !strings.HasPrefix(got, "梧州市第十四次党代会提出大力实施工业振兴，再造一个工业梧州。") {
		t.Errorf("lead %q, want the sentence on 梧州's party congress", got)
	}
	if n := len([]rune(got)); n > LeadMaxRunes {
		t.Errorf("lead of %d characters, over %d", n, LeadMaxRunes)
	}
}

func TestRepeatsTitle(t *testing.T) {
	cases := map[string]struct {
		title, text string
		want        bool
	}{
		"the same":                     {"北向资金净流入超40亿元", "北向资金净流入超40亿元。", true},
		"punctuation and width":        {"在岸人民币兑美元升至2018年5月以来新高 现报6.3565", "在岸人民币兑美元升至２０１８年５月以来新高，现报6.3565。", true},
		"stock phrases of wire copy":   {"北向资金净流入超50亿", "数据显示，截至目前，北向资金净流入超50亿元。", true},
		"a part of the title":          {"美国众议院通过法案 允许加快提高债务上限操作程序", "美国众议院通过法案。", true},
		"a few words more":             {"大桥通车", "西江大桥通车。", true},
		"a number the title lacks":     {"离岸人民币兑美元升至2018年以来最高水平", "离岸人民币兑美元升至6.3512，为2018年以来最高水平。", false},
		"a clause more":                {"里昂：下调港交所目标价至574港元", "里昂：下调港交所目标价至574港元，评级买入。", false},
		"something else":               {"西江大桥通车", "六堡茶文化节开幕。", false},
		"no title":                     {"", "正文。", false},
		"nothing to read":              {"标题", "。", true},
		"the title's words, scattered": {"工业发展", "工人们说，业内的发展很快，大家都很满意。", false},
	}
	for name, c := range cases {
		if got := RepeatsTitle(c.title, c.text); got != c.want {
			t.Errorf("%s: RepeatsTitle(%q, %q) = %v, want %v", name, c.title, c.text, got, c.want)
		}
	}
}
