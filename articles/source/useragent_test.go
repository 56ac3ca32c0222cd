package source

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestUserAgentIsASCIIWithVersionAndAddress(t *testing.T) {
	cases := map[string]struct {
		opts FetcherOptions
		want string
	}{
		"a release":                {FetcherOptions{Version: "v1.4.0"}, "wzdaily/v1.4.0 (+https://github.com/wzdaily/wzdaily)"},
		"a development build":      {FetcherOptions{Version: "(devel)"}, "wzdaily/devel (+https://github.com/wzdaily/wzdaily)"},
		"no version":               {FetcherOptions{}, "wzdaily/dev (+https://github.com/wzdaily/wzdaily)"},
		"a version with non-ASCII": {FetcherOptions{Version: "v1.0 梧州\r\n"}, "wzdaily/v1.0 (+https://github.com/wzdaily/wzdaily)"},
		"a given User-Agent":       {FetcherOptions{UserAgent: "梧州日报 bot/2\x00 (test)"}, "bot/2 (test)"},
		"a given one with nothing ASCII": {FetcherOptions{UserAgent: "梧州日报", Version: "v2"},
			"wzdaily/v2 (+https://github.com/wzdaily/wzdaily)"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var got string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Get("User-Agent")
			}))
			defer srv.Close()
			if _, err := testFetcher(&recordSleep{}, c.opts).Get(context.Background(), srv.URL, Validators{}); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("User-Agent %q, want %q", got, c.want)
			}
			for _, b := range []byte(got) {
				if b < 0x20 || b > 0x7e {
					t.Fatalf("User-Agent %q holds the byte %#x", got, b)
				}
			}
		})
	}
}
