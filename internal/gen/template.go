package gen

import (
	"fmt"
	"strconv"
	"strings"
)

// slot names a kind of word that is chosen when a sentence is rendered.
type slot uint8

const (
	slotNone      slot = iota
	slotCity           // 梧州市, 我市 …
	slotDistrict       // 万秀区 …
	slotTown           // 六堡镇 …
	slotVillage        // 塘冲村 …: combinatorial, so each one is rare
	slotPlace          // a city, district or town
	slotRiver          // 西江 …
	slotLandmark       // 骑楼城 …
	slotZone           // 苍海新区 …
	slotCompany        // 梧州宏达科技有限公司 …
	slotOrg            // an office of the sentence's topic
	slotRole           // 市民, 茶农 …
	slotPerson         // 张明华 …
	slotWord           // a word of the sentence's topic
	slotWord2          // another word of the same topic
	slotN              // 2–99
	slotNN             // 100–9999
	slotPct            // 12.5%
	slotMoney          // 3.2亿元 or 860万元
	slotDate           // 3月12日, near the publication date
	slotYear           // 2021, the publication year or the one before
	slotMonth          // 1–12
	slotTemp           // 35–39, a summer maximum
	slotTyphoon        // a typhoon name
	slotDigits         // real-sentence digits, replaced by digits of the same length
	slotPlaceSwap      // a place in a real sentence, replaced by a Wuzhou place
)

// slotByName is a switch rather than a package-level map so the package
// holds no mutable state.
func slotByName(name string) (slot, bool) {
	switch name {
	case "city":
		return slotCity, true
	case "district":
		return slotDistrict, true
	case "town":
		return slotTown, true
	case "village":
		return slotVillage, true
	case "place":
		return slotPlace, true
	case "river":
		return slotRiver, true
	case "landmark":
		return slotLandmark, true
	case "zone":
		return slotZone, true
	case "company":
		return slotCompany, true
	case "org":
		return slotOrg, true
	case "role":
		return slotRole, true
	case "person":
		return slotPerson, true
	case "w":
		return slotWord, true
	case "w2":
		return slotWord2, true
	case "n":
		return slotN, true
	case "nn":
		return slotNN, true
	case "pct":
		return slotPct, true
	case "money":
		return slotMoney, true
	case "date":
		return slotDate, true
	case "year":
		return slotYear, true
	case "month":
		return slotMonth, true
	case "temp":
		return slotTemp, true
	case "typhoon":
		return slotTyphoon, true
	}
	return slotNone, false
}

// segment is either literal text (slot == slotNone) or a slot. For slots
// that came from a real sentence, lit keeps the original word, used when
// the swap is not taken.
type segment struct {
	lit  string
	slot slot
	keep float32 // probability of keeping lit instead of filling the slot
}

// template is a parsed sentence or title. Year and month bounds keep
// seasonal and period words (台风 in summer, 核酸检测 in 2020–2022) where a
// real paper would print them.
type template struct {
	segs       []segment
	weight     float64 // relative chance of being picked; [w0.3] in source
	yMin, yMax int     // 0 means unbounded
	mMin, mMax int     // 0 means any month; mMin > mMax wraps over new year
}

func (t *template) fits(year, month int) bool {
	if t.yMin != 0 && (year < t.yMin || year > t.yMax) {
		return false
	}
	if t.mMin == 0 {
		return true
	}
	if t.mMin <= t.mMax {
		return month >= t.mMin && month <= t.mMax
	}
	return month >= t.mMin || month <= t.mMax
}

// parseTemplate reads "[w0.3][y2020-2022][m5-10]text with {slot}s".
// A weight below 1 makes a template with a named place or a query word
// rarer, which is how the query mix gets its spread of hit rates.
func parseTemplate(src string) (template, error) {
	t := template{weight: 1}
	s := strings.TrimSpace(src)
	for strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 3 {
			return t, fmt.Errorf("gen: bad condition in %q", src)
		}
		arg := s[2:end]
		var err error
		switch s[1] {
		case 'w':
			t.weight, err = strconv.ParseFloat(arg, 64)
			if err == nil && !(t.weight > 0) {
				err = fmt.Errorf("weight %v is not positive", t.weight)
			}
		case 'y':
			t.yMin, t.yMax, err = parseRange(arg)
		case 'm':
			t.mMin, t.mMax, err = parseRange(arg)
		default:
			err = fmt.Errorf("unknown condition %q", s[1])
		}
		if err != nil {
			return t, fmt.Errorf("gen: bad condition in %q: %w", src, err)
		}
		s = s[end+1:]
	}
	for len(s) > 0 {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			t.segs = append(t.segs, segment{lit: s})
			break
		}
		if open > 0 {
			t.segs = append(t.segs, segment{lit: s[:open]})
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return t, fmt.Errorf("gen: unterminated slot in %q", src)
		}
		name := s[open+1 : open+end]
		k, ok := slotByName(name)
		if !ok {
			return t, fmt.Errorf("gen: unknown slot {%s} in %q", name, src)
		}
		t.segs = append(t.segs, segment{slot: k})
		s = s[open+end+1:]
	}
	if len(t.segs) == 0 {
		return t, fmt.Errorf("gen: empty template %q", src)
	}
	return t, nil
}

func parseRange(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("gen: range %q has no dash", s)
	}
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, err
	}
	hi, err := strconv.Atoi(b)
	if err != nil {
		return 0, 0, err
	}
	return lo, hi, nil
}

// templateSet is a list of templates with cumulative weights for picking.
type templateSet struct {
	list []template
	cum  []float64 // cum[i] is the total weight of list[:i+1]
}

func parseTemplates(srcs []string) (templateSet, error) {
	var ts templateSet
	if len(srcs) == 0 {
		return ts, fmt.Errorf("gen: empty template list")
	}
	sum := 0.0
	for _, s := range srcs {
		t, err := parseTemplate(s)
		if err != nil {
			return ts, err
		}
		sum += t.weight
		ts.list = append(ts.list, t)
		ts.cum = append(ts.cum, sum)
	}
	return ts, nil
}

// pick draws a template by weight.
func (ts *templateSet) pick(r *rng) *template {
	u := r.float() * ts.cum[len(ts.cum)-1]
	for i, c := range ts.cum {
		if u < c {
			return &ts.list[i]
		}
	}
	return &ts.list[len(ts.list)-1]
}
