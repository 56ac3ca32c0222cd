package fakesite

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var (
	// yamlDateRE and yamlTimeRE are what SafeYAML (Jekyll 3's YAML loader)
	// turns into a Date or a Time before Jekyll sees the value.
	yamlDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	yamlTimeRE = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?\s*(?:Z|[-+]\d{1,2}(?::?\d{2})?)?$`)

	looseTimeRE = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|GMT|[-+]\d{1,2}(?::?\d{2})?)?$`)
)

// frontMatterDate reads a post's date: key the way Jekyll 3 on GitHub
// Pages does. An unquoted "2021-12-08 10:46:18" is a YAML timestamp
// without offset, which SafeYAML reads as UTC (jekyll/jekyll#1273, #9278), and
// Jekyll then shows it in the site timezone: 18:46:18 +0800 in Shanghai.
// A quoted string or a date-only value goes through Ruby's Time.parse and
// means site time. naiveInSiteZone treats the unquoted form as site time too.
func frontMatterDate(n *yaml.Node, loc *time.Location, naiveInSiteZone bool) (time.Time, error) {
	if n.Kind != yaml.ScalarNode {
		return time.Time{}, errors.New("date is not a scalar")
	}
	v := strings.TrimSpace(n.Value)
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 ||
		n.Style&yaml.TaggedStyle != 0 && n.Tag == "!!str"
	if !quoted && !naiveInSiteZone && yamlTimeRE.MatchString(v) && !yamlDateRE.MatchString(v) {
		t, err := parseLooseTime(v, time.UTC)
		if err != nil {
			return time.Time{}, err
		}
		return t.In(loc), nil
	}
	t, err := parseLooseTime(v, loc)
	if err != nil {
		return time.Time{}, err
	}
	return t.In(loc), nil
}

// parseLooseTime parses the date forms Ruby's Time.parse accepts in
// practice for Jekyll posts: a date, an optional time (with seconds and
// fraction optional), and an optional Z/UTC/GMT or numeric offset. Without
// an offset the time is in loc.
func parseLooseTime(s string, loc *time.Location) (time.Time, error) {
	m := looseTimeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, fmt.Errorf("date %q does not parse", s)
	}
	num := func(i int) int {
		if m[i] == "" {
			return 0
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	year, month, day, hour, minute, sec := num(1), num(2), num(3), num(4), num(5), num(6)
	nsec := 0
	if m[7] != "" {
		frac := (m[7] + "000000000")[:9]
		nsec, _ = strconv.Atoi(frac)
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, fmt.Errorf("date %q is out of range", s)
	}
	zone := loc
	if z := m[8]; z != "" {
		var err error
		if zone, err = parseOffset(z); err != nil {
			return time.Time{}, fmt.Errorf("date %q: %w", s, err)
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, zone)
	if t.Day() != day {
		return time.Time{}, fmt.Errorf("date %q is out of range", s)
	}
	return t, nil
}

func parseOffset(z string) (*time.Location, error) {
	switch z {
	case "Z", "UTC", "GMT":
		return time.UTC, nil
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	var h, mnt int
	switch len(digits) {
	case 1, 2:
		h, _ = strconv.Atoi(digits)
	case 3, 4:
		h, _ = strconv.Atoi(digits[:len(digits)-2])
		mnt, _ = strconv.Atoi(digits[len(digits)-2:])
	default:
		return nil, fmt.Errorf("bad offset %q", z)
	}
	if h > 23 || mnt > 59 {
		return nil, fmt.Errorf("bad offset %q", z)
	}
	return time.FixedZone("", sign*(h*3600+mnt*60)), nil
}
