package fakesite

import (
	"testing"
	"time"
)

func TestFrontMatterDate(t *testing.T) {
	t.Parallel()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		line            string
		naiveInSiteZone bool
		want            string // RFC 3339 in Shanghai, or "" for an error
	}{
		"offset":                {"date: 2022-02-11 09:04:31 +0800", false, "2022-02-11T09:04:31+08:00"},
		"other offset":          {"date: 2022-02-11 09:04:31 -0500", false, "2022-02-11T22:04:31+08:00"},
		"colon offset":          {"date: 2022-02-11 09:04:31 +08:00", false, "2022-02-11T09:04:31+08:00"},
		"naive is UTC":          {"date: 2021-12-08 10:46:18", false, "2021-12-08T18:46:18+08:00"},
		"naive in site zone":    {"date: 2021-12-08 10:46:18", true, "2021-12-08T10:46:18+08:00"},
		"quoted naive is local": {`date: "2021-12-08 10:46:18"`, false, "2021-12-08T10:46:18+08:00"},
		"date only is local":    {"date: 2021-12-08", false, "2021-12-08T00:00:00+08:00"},
		"RFC 3339":              {"date: 2021-12-08T10:46:18Z", false, "2021-12-08T18:46:18+08:00"},
		"no seconds":            {`date: "2021-12-08 10:46"`, false, "2021-12-08T10:46:00+08:00"},
		"zone only":             {"date:  +0800", false, ""},
		"empty":                 {"date:", false, ""},
		"words":                 {"date: yesterday", false, ""},
		"bad month":             {"date: 2021-13-08", false, ""},
		"list":                  {"date: [1]", false, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fm, _, ok, err := splitFrontMatter("---\n" + tc.line + "\n---\n")
			if err != nil || !ok || fm.date == nil {
				t.Fatalf("splitFrontMatter(%q): ok=%v err=%v date=%v", tc.line, ok, err, fm.date)
			}
			got, err := frontMatterDate(fm.date, shanghai, tc.naiveInSiteZone)
			if tc.want == "" {
				if err == nil {
					t.Errorf("%q parsed as %v, want an error", tc.line, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", tc.line, err)
			}
			if s := got.Format(time.RFC3339); s != tc.want {
				t.Errorf("%q = %s, want %s", tc.line, s, tc.want)
			}
		})
	}
}

func TestSplitFrontMatter(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw, body string
		has       bool
	}{
		"plain":                   {"---\na: 1\n---\nbody", "body", true},
		"blank line after header": {"---\na: 1\n---\n\nbody", "body", true},
		"dots close":              {"---\na: 1\n...\nbody", "body", true},
		"empty header":            {"---\n---\nbody", "body", true},
		"leading blank line":      {"\n---\na: 1\n---\nbody", "\n---\na: 1\n---\nbody", false},
		"no header":               {"body", "body", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, body, has, err := splitFrontMatter(tc.raw)
			if err != nil || has != tc.has || body != tc.body {
				t.Errorf("splitFrontMatter(%q) = %q, %v, %v; want %q, %v", tc.raw, body, has, err, tc.body, tc.has)
			}
		})
	}
}
