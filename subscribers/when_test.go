package subscribers

import (
	"errors"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	good := map[string]int{"07:30": 450, "7:30": 450, "0730": 450, "23:59": 1439, "00:00": 0, "８：１５": 495, "8：15": 495, "8点15": 495,
		"8点": 480, "7点半": 450, "7点5分": 425, "8点15分": 495, "8点钟": 480, "早上7点": 420, "上午9点30": 570, "凌晨5点": 300,
		"中午12点": 720, "中午1点": 780, "下午3点15": 915, "傍晚6点": 1080, "晚上8点": 1200, "晚上12点": 0, "晚8点": 1200,
		"7:30pm": 1170, "7:30 PM": 1170, "7pm": 1140, "8am": 480, "12am": 0, "12pm": 720, "下午15点": 900, "７点半": 450, "7.30": 450}
	for in, want := range good {
		got, err := ParseTime(in)
		if err != nil || got != want {
			t.Errorf("ParseTime(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"25:61", "24:00", "7", "", "07:3", "ab:cd", "-1:00", "07:30:00", "１", "早上19点", "25点", "8点61",
		"pm", "晚上", "7:30pmpm", "点"} {
		if _, err := ParseTime(in); !errors.Is(err, ErrBadTime) {
			t.Errorf("ParseTime(%q) = %v, want ErrBadTime", in, err)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"7:30", "晚上8点", "7:30pm", "下午3点15", "0730", "８：１５"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseTime(s)
		if err == nil && (m < 0 || m >= 24*60) {
			t.Errorf("ParseTime(%q) = %d, outside the day", s, m)
		}
	})
}

func TestResolveZone(t *testing.T) {
	good := map[string]string{"Asia/Shanghai": "Asia/Shanghai", "asia/shanghai": "Asia/Shanghai", "北京": "Asia/Shanghai",
		"北京时间": "Asia/Shanghai", "梧州": "Asia/Shanghai", "香港": "Asia/Hong_Kong", "台北": "Asia/Taipei", "柏林": "Europe/Berlin",
		"Berlin": "Europe/Berlin", "berlin time": "Europe/Berlin", "europe/berlin": "Europe/Berlin", "america/new_york": "America/New_York",
		"UTC+8": "UTC+8", "GMT+8": "UTC+8", "utc+08:00": "UTC+8", "+0800": "UTC+8", "UTC-3:30": "UTC-3:30", "ＵＴＣ＋８": "UTC+8",
		"UTC": "UTC", "utc": "UTC", "Europe/Berlin": "Europe/Berlin", "America/Port-au-Prince": "America/Port-au-Prince"}
	for in, want := range good {
		got, err := ResolveZone(in)
		if err != nil || got != want {
			t.Errorf("ResolveZone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "Mars/Base", "UTC+15", "GMT+8:75", "Local", "../etc/passwd", "火星", "UTC+", "+8x"} {
		if got, err := ResolveZone(in); !errors.Is(err, ErrBadZone) {
			t.Errorf("ResolveZone(%q) = %q, %v; want ErrBadZone", in, got, err)
		}
	}
	loc, err := LoadZone("UTC+8")
	if err != nil {
		t.Fatal(err)
	}
	if _, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone(); off != 8*3600 {
		t.Errorf("UTC+8 is %d s from UTC", off)
	}
}

func FuzzResolveZone(f *testing.F) {
	for _, s := range []string{"香港", "UTC+8", "europe/berlin", "+0530"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := ResolveZone(s)
		if err != nil {
			return
		}
		if _, err := LoadZone(name); err != nil {
			t.Errorf("ResolveZone(%q) = %q, which does not load: %v", s, name, err)
		}
	})
}
