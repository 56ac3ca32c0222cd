package config

import (
	"testing"
	"time"
)

func TestChecks(t *testing.T) {
	tests := map[string]struct {
		check   func(Value) error
		kind    Kind
		text    string
		wantErr string // "" for accepted
	}{
		"OneOf listed":               {check: OneOf("text", "json"), kind: String, text: "json"},
		"OneOf not listed":           {check: OneOf("text", "json"), kind: String, text: "JSON", wantErr: "must be one of text, json"},
		"OneOf empty":                {check: OneOf("text", "json"), kind: String, text: "", wantErr: "must be one of text, json"},
		"OneOf list items listed":    {check: OneOf("telegram", "wechat"), kind: List, text: "wechat,telegram"},
		"OneOf list item unlisted":   {check: OneOf("telegram", "wechat"), kind: List, text: "telegram,irc", wantErr: `"irc" is not allowed; each item must be one of telegram, wechat`},
		"OneOf empty list":           {check: OneOf("telegram", "wechat"), kind: List, text: ""},
		"Between low edge":           {check: Between(1, 10), kind: Int, text: "1"},
		"Between high edge":          {check: Between(1, 10), kind: Int, text: "10"},
		"Between below":              {check: Between(1, 10), kind: Int, text: "0", wantErr: "must be between 1 and 10"},
		"Between above":              {check: Between(1, 10), kind: Int, text: "11", wantErr: "must be between 1 and 10"},
		"Between on a string":        {check: Between(1, 10), kind: String, text: "5", wantErr: "the Between check needs an int option, not string"},
		"AtLeast equal":              {check: AtLeast(time.Second), kind: Duration, text: "1s"},
		"AtLeast above":              {check: AtLeast(time.Second), kind: Duration, text: "1d"},
		"AtLeast below":              {check: AtLeast(time.Second), kind: Duration, text: "500ms", wantErr: "must be at least 1s"},
		"AtLeast negative":           {check: AtLeast(0), kind: Duration, text: "-1s", wantErr: "must be at least 0s"},
		"AtLeast on an int":          {check: AtLeast(time.Second), kind: Int, text: "5", wantErr: "the AtLeast check needs a duration option, not int"},
		"URL empty means unset":      {check: URL("https"), kind: String, text: ""},
		"URL https":                  {check: URL("https"), kind: String, text: "https://example.com/hook?x=1"},
		"URL scheme case":            {check: URL("https"), kind: String, text: "HTTPS://example.com"},
		"URL any scheme":             {check: URL(), kind: String, text: "socks5://127.0.0.1:1080"},
		"URL wrong scheme":           {check: URL("http", "https"), kind: String, text: "ftp://example.com", wantErr: "must start with http:// or https://"},
		"URL without scheme":         {check: URL("https"), kind: String, text: "example.com/hook", wantErr: "not a full URL; write it like https://example.com/path"},
		"URL without host":           {check: URL("https"), kind: String, text: "https:///path", wantErr: "not a full URL; write it like https://example.com/path"},
		"URL that does not parse":    {check: URL("http"), kind: String, text: "http://a b.com/%zz", wantErr: "not a full URL; write it like http://example.com/path"},
		"HostPort empty means unset": {check: HostPort(), kind: String, text: ""},
		"HostPort host and port":     {check: HostPort(), kind: String, text: "127.0.0.1:8080"},
		"HostPort any interface":     {check: HostPort(), kind: String, text: ":8080"},
		"HostPort IPv6":              {check: HostPort(), kind: String, text: "[::1]:443"},
		"HostPort name":              {check: HostPort(), kind: String, text: "localhost:80"},
		"HostPort without port":      {check: HostPort(), kind: String, text: "localhost", wantErr: "not host:port; write it like 127.0.0.1:8080 or :8080"},
		"HostPort port too large":    {check: HostPort(), kind: String, text: ":70000", wantErr: "the port must be a number from 0 to 65535"},
		"HostPort port by name":      {check: HostPort(), kind: String, text: "localhost:http", wantErr: "the port must be a number from 0 to 65535"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := parse(tc.kind, input{text: tc.text})
			if err != nil {
				t.Fatalf("parse(%s, %q): %v", tc.kind, tc.text, err)
			}
			err = tc.check(v)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("check(%q) = %v, want it accepted", tc.text, err)
			case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr):
				t.Errorf("check(%q) = %v, want %q", tc.text, err, tc.wantErr)
			}
		})
	}
}
