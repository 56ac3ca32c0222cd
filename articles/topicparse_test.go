package articles

import (
	"slices"
	"strings"
	"testing"
)

func mustTopics(t testing.TB, text string) *Topics {
	t.Helper()
	tp, err := ParseTopics(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ParseTopics(%q): %v", text, err)
	}
	return tp
}

// Each mistake is named with its line and what was wanted there.
func TestParseTopicsSaysWhatIsWrongAndWhere(t *testing.T) {
	cases := []struct{ in, want string }{
		{"工业: a\n工业 titel: b", `line 2: unknown kind "titel" in "工业 titel": want "工业: …", "工业 title: …" or "工业 place: …"`},
		{"工业 title place: a", `line 1: want "topic: word word …"`},
		{"工业 title: a\n工业 title: b", `line 2: topic "工业" appears twice ("工业 title", first on line 1)`},
		{"工业 place:", `line 1: topic "工业" has no words`},
		{"stop:\n工业: a", `line 1: "stop:" lists nothing`},
		{"places: \n工业: a", `line 1: "places:" lists nothing`},
		{"stop title: a\n工业: a", `line 1: "stop title" takes no kind`},
		{"min: 0\n工业: a", `line 1: want "min: N", the points a topic needs (1 to 100`},
		{"min: three\n工业: a", `got "three"`},
		{"min: 2\nmin: 3\n工业: a", `line 2: a second "min:" in one table (the first is on line 1)`},
		{"min title: 2\n工业: a", `"min title" takes no kind`},
		{"工业: a\n[emnews", `line 2: want a section such as "[emnews]"`},
		{"工业: a\n[]", `line 2: the section "[]" names no category`},
		{"工业: a\n[a [b]]", `want a section such as`},
		{"工业: a\n[emnews]\n工业: b\n[cls emnews]\n工业: c", `line 4: category "emnews" already has a table (the section on line 2)`},
		{"工业: " + strings.Repeat("长", 30), "longer than 64 bytes"},
		{"工业: a\x01b", "line 1: a control character (U+0001)"},
		{"[emnews]\nstop: a", "no topics defined"},
	}
	for _, c := range cases {
		_, err := ParseTopics(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseTopics(%q) = %v, want an error saying %q", c.in, err, c.want)
		}
	}
}

func TestParseTopicsReadsEveryKind(t *testing.T) {
	tp := mustTopics(t, `# a note
min: 3
places: 梧州 镇
stop: 扫清道路
交通: 公路 大桥
交通 title: 通车
交通 place: 道路
[emnews, cls]
min: 1
stop: 船舶制造
工业: 投产
[sitenews]
`)
	if got := tp.Names(); !slices.Equal(got, []string{"交通", "工业"}) {
		t.Errorf("Names = %v, want 交通 then 工业", got)
	}
	tbl := tp.current()
	if tbl.general.min != 3 || len(tbl.sections) != 2 {
		t.Fatalf("general min %d, %d sections; want 3 and 2", tbl.general.min, len(tbl.sections))
	}
	wire := tbl.bySource["cls"]
	if wire != tbl.bySource["emnews"] || wire.min != 1 || !slices.Equal(wire.stops, []string{"扫清道路", "船舶制造"}) ||
		!slices.Equal(wire.places, []string{"梧州", "镇"}) || len(wire.rules) != 1 {
		t.Errorf("the [emnews, cls] section: %+v", wire)
	}
	if site := tbl.bySource["sitenews"]; site.min != defaultMin || len(site.rules) != 0 || len(site.stops) != 1 {
		t.Errorf("an empty section keeps the shared stop phrases and tags nothing: %+v", site)
	}
}

// The fingerprint follows what the table means: notes, spacing, the
// full-width colon and the order of a line's words do not retag anything;
// a changed word, kind, min or section does.
func TestTopicsFingerprintFollowsMeaning(t *testing.T) {
	base := mustTopics(t, "min: 3\n工业: 工厂 投产\n[emnews]\n工业 title: 投产\n").Fingerprint()
	same := []string{
		"# note\nmin: 3\n\n工业：  工厂   投产\n[emnews]\n工业 title: 投产\n",
		"min: 3\n工业: 工厂 投产 工厂\n[ emnews ]\n工业 title: 投产\n",
	}
	for _, s := range same {
		if fp := mustTopics(t, s).Fingerprint(); fp != base {
			t.Errorf("%q has fingerprint %s, want %s as the table it writes differently", s, fp, base)
		}
	}
	other := []string{
		"min: 2\n工业: 工厂 投产\n[emnews]\n工业 title: 投产\n",
		"min: 3\n工业: 工厂\n[emnews]\n工业 title: 投产\n",
		"min: 3\n工业: 工厂 投产\n[emnews]\n工业: 投产\n",
		"min: 3\n工业: 工厂 投产\n[cls]\n工业 title: 投产\n",
		"min: 3\nstop: 板块\n工业: 工厂 投产\n[emnews]\n工业 title: 投产\n",
	}
	for _, s := range other {
		if fp := mustTopics(t, s).Fingerprint(); fp == base {
			t.Errorf("%q has the fingerprint of a different table", s)
		}
	}
}

// FuzzParseTopics: any text either parses or is refused with a line
// number; a table that parses matches any article without panicking,
// explains what it matches, and parses again from its stored text to the
// same table.
func FuzzParseTopics(f *testing.F) {
	f.Add(defaultTopics)
	f.Add("工业: 工厂\n工业 title: 投产\n工业 place: 园区\nplaces: 梧州\nstop: 板块\nmin: 3\n[emnews cls]\n医疗: 疫苗\n")
	f.Add("[a]\n[b]\nx:y\n")
	f.Add("a：b：c\nmin: 100\n")
	f.Fuzz(func(t *testing.T, text string) {
		tp, err := ParseTopics(strings.NewReader(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "topics: ") {
				t.Fatalf("error %q does not say it is about the topic table", err)
			}
			return
		}
		if len(tp.Names()) == 0 {
			t.Fatal("a table without topics parsed")
		}
		again, err := parseTable(tp.current().text)
		if err != nil || again.fingerprint != tp.Fingerprint() {
			t.Fatalf("the stored text parses to %v, %v", again, err)
		}
		// The table's own text holds its words; bounded, so that a long
		// input stays quick to run.
		sample := text[:min(len(text), 4096)]
		for _, cats := range [][]string{nil, {"emnews"}, {"cls", "a"}} {
			a := &Article{Title: sample, Body: sample + "。梧州工厂，" + sample, Categories: cats}
			got := tp.Match(a)
			var tagged []string
			for _, s := range tp.Explain(a).Topics {
				if s.Tagged {
					tagged = append(tagged, s.Topic)
				}
			}
			if !slices.Equal(got, tagged) {
				t.Fatalf("Match = %v, Explain tags %v", got, tagged)
			}
		}
	})
}
