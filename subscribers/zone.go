package subscribers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// LoadZone loads a subscriber's zone: an IANA name, or a fixed offset as
// ResolveZone writes it ("UTC+8", "UTC-3:30"). "Local" and "" are refused:
// they mean the server's zone, not the subscriber's.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || strings.ContainsAny(name, " \t\n\\") || len(name) > 64 {
		return nil, fmt.Errorf("%w: %q", ErrBadZone, name)
	}
	if off, ok := parseOffset(name); ok {
		return time.FixedZone(name, off), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrBadZone, name)
	}
	return loc, nil
}

// Place is a zone as people name it: where, in each language.
type Place struct {
	Zone   string // IANA
	ZH, EN string // the place the zone is said by: 北京, Beijing
}

// Places are the zones readers of the paper name by a place, first the
// one each zone is said by. The zone of China is named after Beijing, as
// 北京时间 is how people say it.
var Places = []Place{
	{"Asia/Shanghai", "北京", "Beijing"}, {"Asia/Hong_Kong", "香港", "Hong Kong"}, {"Asia/Macau", "澳门", "Macau"},
	{"Asia/Taipei", "台北", "Taipei"}, {"Asia/Tokyo", "东京", "Tokyo"}, {"Asia/Seoul", "首尔", "Seoul"},
	{"Asia/Singapore", "新加坡", "Singapore"}, {"Asia/Kuala_Lumpur", "吉隆坡", "Kuala Lumpur"}, {"Asia/Bangkok", "曼谷", "Bangkok"},
	{"Asia/Ho_Chi_Minh", "胡志明市", "Ho Chi Minh City"}, {"Asia/Jakarta", "雅加达", "Jakarta"}, {"Asia/Manila", "马尼拉", "Manila"},
	{"Asia/Kolkata", "新德里", "New Delhi"}, {"Asia/Dubai", "迪拜", "Dubai"}, {"Australia/Sydney", "悉尼", "Sydney"},
	{"Australia/Melbourne", "墨尔本", "Melbourne"}, {"Pacific/Auckland", "奥克兰", "Auckland"}, {"Europe/London", "伦敦", "London"},
	{"Europe/Paris", "巴黎", "Paris"}, {"Europe/Berlin", "柏林", "Berlin"}, {"Europe/Madrid", "马德里", "Madrid"},
	{"Europe/Rome", "罗马", "Rome"}, {"Europe/Amsterdam", "阿姆斯特丹", "Amsterdam"}, {"Europe/Moscow", "莫斯科", "Moscow"},
	{"America/New_York", "纽约", "New York"}, {"America/Chicago", "芝加哥", "Chicago"}, {"America/Denver", "丹佛", "Denver"},
	{"America/Los_Angeles", "洛杉矶", "Los Angeles"}, {"America/Vancouver", "温哥华", "Vancouver"},
	{"America/Toronto", "多伦多", "Toronto"}, {"America/Sao_Paulo", "圣保罗", "São Paulo"},
}

// placeWords are more names of the places above: countries, other cities.
var placeWords = map[string]string{
	"中国": "Asia/Shanghai", "北京时间": "Asia/Shanghai", "上海": "Asia/Shanghai", "梧州": "Asia/Shanghai", "广州": "Asia/Shanghai",
	"深圳": "Asia/Shanghai", "南宁": "Asia/Shanghai", "广西": "Asia/Shanghai", "重庆": "Asia/Shanghai", "china": "Asia/Shanghai",
	"cst": "Asia/Shanghai", "台湾": "Asia/Taipei", "日本": "Asia/Tokyo", "韩国": "Asia/Seoul", "马来西亚": "Asia/Kuala_Lumpur",
	"泰国": "Asia/Bangkok", "越南": "Asia/Ho_Chi_Minh", "河内": "Asia/Ho_Chi_Minh", "印尼": "Asia/Jakarta", "菲律宾": "Asia/Manila",
	"印度": "Asia/Kolkata", "澳洲": "Australia/Sydney", "新西兰": "Pacific/Auckland", "英国": "Europe/London", "法国": "Europe/Paris",
	"德国": "Europe/Berlin", "西班牙": "Europe/Madrid", "意大利": "Europe/Rome", "荷兰": "Europe/Amsterdam", "俄罗斯": "Europe/Moscow",
	"美东": "America/New_York", "美国东部": "America/New_York", "旧金山": "America/Los_Angeles", "美西": "America/Los_Angeles",
	"美国西部": "America/Los_Angeles", "加拿大": "America/Toronto", "巴西": "America/Sao_Paulo", "utc": "UTC", "gmt": "UTC",
	"格林尼治": "UTC", "世界时": "UTC",
}

// ResolveZone reads a zone as people type it: a place (香港, 柏林, Berlin,
// 北京时间), an offset (UTC+8, GMT+8, UTC-3:30, +0800), or an IANA name in any
// case (europe/berlin). It returns the name to keep: the IANA name, or the
// offset written as UTC±H[:MM].
func ResolveZone(s string) (string, error) {
	in := strings.TrimSpace(width.Narrow.String(s))
	key := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(in, "时间"), " time"))
	for _, p := range Places {
		if key == p.ZH || key == strings.ToLower(p.EN) || strings.EqualFold(p.Zone, in) {
			return p.Zone, nil
		}
	}
	for _, k := range []string{strings.ToLower(in), key} {
		if z, ok := placeWords[k]; ok {
			return z, nil
		}
	}
	if name, ok := offsetName(in); ok {
		return name, nil
	}
	for _, name := range []string{in, titleZone(in), strings.ToUpper(in)} {
		if _, err := LoadZone(name); err == nil {
			return name, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrBadZone, s)
}

// titleZone capitalises each word of an IANA name typed in another case:
// america/new_york → America/New_York. Names the rule cannot rebuild
// (America/Port-au-Prince) are typed as written.
func titleZone(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}

// offsetName reads "UTC+8", "GMT+08:00", "+0800" or "UTC-3:30" and writes it
// as the zone's name: "UTC+8", "UTC-3:30".
func offsetName(s string) (string, bool) {
	off, ok := parseOffset(s)
	if !ok {
		return "", false
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	name := fmt.Sprintf("UTC%s%d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 {
		name += fmt.Sprintf(":%02d", m)
	}
	return name, true
}

// parseOffset reads an offset from UTC in seconds, within ±14 hours.
func parseOffset(s string) (int, bool) {
	u := strings.ToUpper(strings.TrimSpace(s))
	u = strings.TrimPrefix(strings.TrimPrefix(u, "UTC"), "GMT")
	if len(u) < 2 || (u[0] != '+' && u[0] != '-') {
		return 0, false
	}
	sign := 1
	if u[0] == '-' {
		sign = -1
	}
	h, m, colon := strings.Cut(u[1:], ":")
	if !colon && len(h) == 4 {
		h, m = h[:2], h[2:]
	}
	hh, err := strconv.Atoi(h)
	if err != nil || len(h) > 2 || hh > 14 {
		return 0, false
	}
	mm := 0
	if m != "" {
		if mm, err = strconv.Atoi(m); err != nil || len(m) != 2 || mm > 59 {
			return 0, false
		}
	}
	return sign * (hh*3600 + mm*60), true
}
