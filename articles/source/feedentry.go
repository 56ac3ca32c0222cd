package source

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"wzdaily/articles"
)

// FeedEntry is one post as the site's Atom feed carries it.
type FeedEntry struct {
	URL       string
	Title     string
	Published time.Time
	Tags      []string
	Content   string // the rendered post body, without the layout
}

// ParseFeedEntry turns a feed entry into an article.
func ParseFeedEntry(e FeedEntry) (*articles.Article, error) {
	reject := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w: %s", e.URL, articles.ErrRejected, fmt.Sprintf(format, args...))
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		return nil, reject("bad URL: %v", err)
	}
	id, categories, ok := PostPageID(u)
	if !ok {
		return nil, reject("not a post permalink")
	}
	a := &articles.Article{ID: id, Categories: categories, URL: e.URL, Title: articles.FinishTitle(cleanText(e.Title)), Published: e.Published.In(articles.Zone()), Tags: e.Tags}
	if a.Title == "" {
		return nil, reject("empty title")
	}
	if e.Published.IsZero() {
		return nil, reject("no date")
	}
	nodes, err := html.ParseFragment(strings.NewReader(strings.ToValidUTF8(e.Content, "\uFFFD")), &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"})
	if err != nil {
		return nil, reject("unreadable HTML: %v", err)
	}
	if !renderedBody(nodes).fill(a) {
		return nil, reject("empty body")
	}
	return a, nil
}
