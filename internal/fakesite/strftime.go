package fakesite

import (
	"strconv"
	"strings"
	"time"
)

// strftime implements the Ruby Time#strftime directives Liquid's date
// filter passes through. Flags: "-" no padding, "_" space padding,
// "0" zero padding, "^" upper case. Unknown directives are copied.
func strftime(t time.Time, format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		var flag byte
		if strings.IndexByte("-_0^", format[j]) >= 0 && j+1 < len(format) {
			flag = format[j]
			j++
		}
		s, ok := directive(t, format[j], flag)
		if !ok {
			b.WriteString(format[i : j+1])
		} else {
			b.WriteString(s)
		}
		i = j
	}
	return b.String()
}

func directive(t time.Time, d, flag byte) (string, bool) {
	num := func(n, width int, pad byte) string {
		switch flag {
		case '-':
			return strconv.Itoa(n)
		case '_':
			pad = ' '
		case '0':
			pad = '0'
		}
		s := strconv.Itoa(n)
		for len(s) < width {
			s = string(pad) + s
		}
		return s
	}
	word := func(s string) string {
		if flag == '^' {
			return strings.ToUpper(s)
		}
		return s
	}
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch d {
	case 'Y':
		return strconv.Itoa(t.Year()), true
	case 'C':
		return num(t.Year()/100, 2, '0'), true
	case 'y':
		return num(t.Year()%100, 2, '0'), true
	case 'm':
		return num(int(t.Month()), 2, '0'), true
	case 'd':
		return num(t.Day(), 2, '0'), true
	case 'e':
		return num(t.Day(), 2, ' '), true
	case 'j':
		return num(t.YearDay(), 3, '0'), true
	case 'H':
		return num(t.Hour(), 2, '0'), true
	case 'k':
		return num(t.Hour(), 2, ' '), true
	case 'I':
		return num(hour12, 2, '0'), true
	case 'l':
		return num(hour12, 2, ' '), true
	case 'M':
		return num(t.Minute(), 2, '0'), true
	case 'S':
		return num(t.Second(), 2, '0'), true
	case 'L':
		return num(t.Nanosecond()/1e6, 3, '0'), true
	case 'N':
		return num(t.Nanosecond(), 9, '0'), true
	case 'p':
		if t.Hour() < 12 {
			return "AM", true
		}
		return "PM", true
	case 'P':
		if t.Hour() < 12 {
			return "am", true
		}
		return "pm", true
	case 'A':
		return word(t.Weekday().String()), true
	case 'a':
		return word(t.Weekday().String()[:3]), true
	case 'B':
		return word(t.Month().String()), true
	case 'b', 'h':
		return word(t.Month().String()[:3]), true
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return strconv.Itoa(wd), true
	case 'w':
		return strconv.Itoa(int(t.Weekday())), true
	case 'z':
		return t.Format("-0700"), true
	case 'Z':
		name, _ := t.Zone()
		return name, true
	case 's':
		return strconv.FormatInt(t.Unix(), 10), true
	case 'F':
		return t.Format("2006-01-02"), true
	case 'T':
		return t.Format("15:04:05"), true
	case 'D':
		return t.Format("01/02/06"), true
	case 'R':
		return t.Format("15:04"), true
	case 'c':
		return t.Format("Mon Jan  2 15:04:05 2006"), true
	case '%':
		return "%", true
	}
	return "", false
}
