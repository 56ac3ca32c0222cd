package articles

import (
	"strings"
	"testing"
)

func TestMakeLead(t *testing.T) {
	long := strings.Repeat("很长的句子", 40) + "。"
	cases := []struct {
		summary string
		paras   []string
		want    string
	}{
		{"", []string{"第一句。第二句！第三句。"}, "第一句。第二句！"},
		{"摘要。", []string{"正文。"}, "摘要。"},
		{"", []string{"没有句号的段落"}, "没有句号的段落"},
		{"", []string{"“引号里的话。”后面。再后面。"}, "“引号里的话。”后面。"},
		{"", []string{long}, string([]rune(long)[:LeadMaxRunes-1]) + "…"},
	}
	for _, c := range cases {
		if got := makeLead(c.summary, c.paras); got != c.want {
			t.Errorf("makeLead(%q, %q) = %q, want %q", c.summary, c.paras, got, c.want)
		}
	}
}
