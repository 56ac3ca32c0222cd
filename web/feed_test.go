package web

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestFeedsAreAtom(t *testing.T) {
	store := sampleStore(t)
	s := newServer(t, store, Options{BaseURL: "https://news.example.org/"})
	for _, path := range []string{"/feeds/tag/" + url.PathEscape("东财滚动新闻") + ".xml", "/feeds/search?q=" + url.QueryEscape("公司")} {
		got := get(t, s, path)
		if got.code != http.StatusOK || got.h.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
			t.Fatalf("%s: %d %s", path, got.code, got.h.Get("Content-Type"))
		}
		var f atomFeed
		if err := xml.Unmarshal([]byte(got.body), &f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.ID == "" || f.Title == "" || f.Author.Name == "" || !isAtomTime(f.Updated) {
			t.Errorf("%s: the feed lacks a required element: %+v", path, f)
		}
		if len(f.Entries) == 0 || len(f.Entries) > feedEntries {
			t.Fatalf("%s: %d entries", path, len(f.Entries))
		}
		var prev time.Time
		for i, e := range f.Entries {
			if e.ID == "" || e.Title == "" || !isAtomTime(e.Updated) || e.Content.Body == "" || len(e.Links) == 0 {
				t.Errorf("%s: entry %d lacks a required element: %+v", path, i, e)
			}
			u, _ := time.Parse(time.RFC3339, e.Updated)
			if i > 0 && u.After(prev) {
				t.Errorf("%s: entry %d is newer than the one before it", path, i)
			}
			prev = u
			if e.Links[0].Href != e.ID || e.ID[:len("https://news.example.org/a/")] != "https://news.example.org/a/" {
				t.Errorf("%s: entry %d links %s, id %s: want our article page", path, i, e.Links[0].Href, e.ID)
			}
		}
		// The same feed again, by either validator, is not sent again.
		etag, last := got.h.Get("ETag"), got.h.Get("Last-Modified")
		if etag == "" || last == "" {
			t.Fatalf("%s: no validators", path)
		}
		if again := get(t, s, path, "If-None-Match", etag); again.code != http.StatusNotModified || again.body != "" {
			t.Errorf("%s with its ETag: %d", path, again.code)
		}
		if again := get(t, s, path, "If-Modified-Since", last); again.code != http.StatusNotModified {
			t.Errorf("%s with its Last-Modified: %d", path, again.code)
		}
		if again := get(t, s, path, "If-None-Match", `"other"`, "If-Modified-Since", last); again.code != http.StatusOK {
			t.Errorf("%s with another ETag: %d, want the feed (If-None-Match wins)", path, again.code)
		}
	}
	if got := get(t, s, "/feeds/tag/"+url.PathEscape("没有的标签")+".xml"); got.code != http.StatusNotFound {
		t.Errorf("feed of an unknown tag: %d", got.code)
	}
	if got := get(t, s, "/feeds/search?q="); got.code != http.StatusBadRequest {
		t.Errorf("feed of an empty search: %d", got.code)
	}
}

func isAtomTime(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}
