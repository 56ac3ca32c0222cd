package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"wzdaily/articles"
)

// feedEntries is how many articles a feed holds.
const feedEntries = 20

// The Atom 1.0 elements a feed uses (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
}

func (s *Server) tagFeed(w http.ResponseWriter, r *http.Request) {
	tag, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	if !ok || tag == "" {
		s.notFound(w, r)
		return
	}
	list, err := s.opts.Articles.List(r.Context(), articles.ListQuery{Tags: []string{tag}, Limit: feedEntries})
	if err != nil {
		s.failed(w, r, err)
		return
	}
	if len(list) == 0 {
		s.notFound(w, r)
		return
	}
	self := "/feeds/tag/" + url.PathEscape(tag) + ".xml"
	s.feed(w, r, lang.T("web tag head", tag), self, tagPath(tag), list)
}

func (s *Server) searchFeed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	res, err := s.opts.Articles.Search(r.Context(), articles.SearchQuery{Text: q, Limit: feedEntries, Relax: true})
	if errors.Is(err, articles.ErrEmptyQuery) {
		http.Error(w, lang.T("web empty query"), http.StatusBadRequest)
		return
	}
	if err != nil {
		s.failed(w, r, err)
		return
	}
	list := make([]*articles.Article, len(res.Hits))
	for i, h := range res.Hits {
		list[i] = h.Article
	}
	// A feed reader shows entries by date, and wants the newest first.
	slices.SortStableFunc(list, func(a, b *articles.Article) int { return b.Published.Compare(a.Published) })
	v := url.Values{"q": {q}}.Encode()
	s.feed(w, r, lang.T("web search head", q), "/feeds/search?"+v, "/search?"+v, list)
}

// feed writes list as an Atom feed with validators: a client that has
// this very feed gets 304.
func (s *Server) feed(w http.ResponseWriter, r *http.Request, title, self, alternate string, list []*articles.Article) {
	base := s.base(r)
	f := atomFeed{ID: base + self, Title: title + " · " + zh.Site, Author: atomPerson{Name: zh.Site},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + self}, {Rel: "alternate", Type: "text/html", Href: base + alternate}}}
	// An empty feed is as new as the day: a fixed time would do, but
	// readers show it.
	last := s.opts.Now().UTC().Truncate(24 * time.Hour)
	if len(list) > 0 {
		last = list[0].Published
		for _, a := range list {
			if a.Published.After(last) {
				last = a.Published
			}
		}
	}
	f.Updated = atomTime(last)
	for _, a := range list {
		e := atomEntry{ID: base + articlePath(a.ID), Title: a.Title, Updated: atomTime(a.Published), Published: atomTime(a.ShownDate()),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: base + articlePath(a.ID)}},
			Content: atomText{Type: "text", Body: a.Body}}
		if p := a.Paper(); p != "" {
			e.Author = &atomPerson{Name: p}
		}
		if a.URL != "" {
			e.Links = append(e.Links, atomLink{Rel: "via", Type: "text/html", Href: a.URL})
		}
		for _, t := range a.AllTags() {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		if a.Lead != "" {
			e.Summary = &atomText{Type: "text", Body: a.Lead}
		}
		f.Entries = append(f.Entries, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(f); err != nil {
		s.failed(w, r, err)
		return
	}
	sum := sha256.Sum256(b.Bytes())
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Last-Modified", last.UTC().Format(http.TimeFormat))
	h.Set("Cache-Control", "public, max-age=300")
	if notModified(r, etag, last) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write(b.Bytes())
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// notModified applies If-None-Match, or when there is none
// If-Modified-Since (RFC 9110, 13.2.2).
func notModified(r *http.Request, etag string, last time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !last.Truncate(time.Second).After(ims)
}
