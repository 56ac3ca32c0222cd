package subscribers

import (
	"fmt"
	"strings"

	"golang.org/x/text/width"
)

// dayParts are the words before a Chinese time that say which half of the
// day it is in: +12 hours for the afternoon and evening ones.
var dayParts = []struct {
	word string
	pm   bool
}{
	{"凌晨", false}, {"早上", false}, {"早晨", false}, {"清晨", false}, {"上午", false}, {"早", false},
	{"中午", true}, {"下午", true}, {"傍晚", true}, {"晚上", true}, {"夜里", true}, {"夜晚", true}, {"晚", true},
}

// ParseTime reads a time of day as people type it into minutes after
// midnight: 07:30, 7:30, 0730, 8点, 7点半, 8点15(分), 早上7点, 晚上8点,
// 下午3点15, 7:30pm, 7pm, and their full-width forms. A bare number ("7")
// is refused: it could be a count as well as an hour.
func ParseTime(s string) (int, error) {
	bad := fmt.Errorf("%w: %q", ErrBadTime, s)
	t := strings.ToLower(strings.Join(strings.Fields(width.Narrow.String(s)), ""))
	half, pm := "", false
	for _, p := range dayParts {
		if rest, ok := strings.CutPrefix(t, p.word); ok {
			half, pm, t = p.word, p.pm, rest
			break
		}
	}
	for _, suffix := range []struct {
		s  string
		pm bool
	}{{"am", false}, {"a.m.", false}, {"pm", true}, {"p.m.", true}} {
		if rest, ok := strings.CutSuffix(t, suffix.s); ok && half == "" {
			half, pm, t = suffix.s, suffix.pm, rest
			break
		}
	}
	chinese := strings.ContainsAny(t, "点时")
	t = strings.NewReplacer("点半", ":30", "点钟", ":", "点", ":", "时", ":", "分", "", ".", ":").Replace(t)
	h, m, colon := strings.Cut(t, ":")
	switch {
	case !colon && len(t) == 4 && half == "":
		h, m = t[:2], t[2:]
	case !colon && half != "": // "7pm", "晚上8"
		m = "00"
	case colon && m == "" && (chinese || half != ""): // "8点"
		m = "00"
	}
	if len(m) == 1 && chinese {
		m = "0" + m // "7点5"
	}
	hh, err1 := atoi2(h)
	mm, err2 := atoi2(m)
	if err1 != nil || err2 != nil || len(m) != 2 || hh > 23 || mm > 59 {
		return 0, bad
	}
	if half != "" {
		var ok bool
		if hh, ok = clock12(half, pm, hh); !ok {
			return 0, bad
		}
	}
	return hh*60 + mm, nil
}

// clock12 turns an hour said with a half of the day into a 24-hour one.
func clock12(half string, pm bool, h int) (int, bool) {
	switch {
	case h > 12:
		return h, pm // 下午15点 is said; 早上19点 is nonsense
	case h == 12 && (half == "晚上" || half == "夜里" || half == "夜晚" || half == "凌晨" || half == "am" || half == "a.m."):
		return 0, true // midnight
	case h == 12:
		return 12, true // noon: 中午12点, 12pm, 上午12点
	case half == "中午" && h >= 11:
		return h, true // 中午11点
	case pm:
		return h + 12, true
	}
	return h, true
}

func atoi2(s string) (int, error) {
	if len(s) < 1 || len(s) > 2 {
		return 0, ErrBadTime
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, ErrBadTime
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}
