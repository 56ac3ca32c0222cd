package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"wzdaily/articles"
)

// Site polls the site over HTTP: a category page (conditional GET), then
// the page of each post it lists that is not stored yet.
type Site struct {
	BaseURL  string // e.g. https://finews.withounder.com
	Category string // e.g. wuzhouribao
	Fetcher  *Fetcher
	// Workers is how many post pages are fetched at once (the Fetcher's
	// per-host limit still applies). Default 4.
	Workers int
	// Revalidate also asks again, conditionally, for posts already stored,
	// to pick up edits. Unchanged pages cost a 304 each.
	Revalidate bool
}

// Name implements articles.Source.
func (s *Site) Name() string {
	return "site:" + strings.TrimRight(s.BaseURL, "/") + "/category/" + s.Category
}

// CategoryURL is the page listing the category's current posts.
func (s *Site) CategoryURL() string {
	return strings.TrimRight(s.BaseURL, "/") + "/category/" + url.PathEscape(s.Category) + ".html"
}

// Fetch implements articles.Source.
func (s *Site) Fetch(ctx context.Context, state articles.State, emit func(articles.Item) error) error {
	catURL := s.CategoryURL()
	v, err := loadValidators(ctx, state, catURL)
	if err != nil {
		return err
	}
	if s.Revalidate {
		// An edited post does not change the list, so ask for it in full.
		v = Validators{}
	}
	resp, err := s.Fetcher.Get(ctx, catURL, v)
	if err != nil {
		return fmt.Errorf("site source: %w", err)
	}
	if resp.NotModified {
		return nil
	}
	links, err := postLinks(catURL, resp.Body)
	if err != nil {
		return fmt.Errorf("site source: %s: %w", catURL, err)
	}
	var todo []string
	for _, l := range links {
		u, _ := url.Parse(l)
		id, _, _ := articles.PostPageID(u)
		has, err := state.Has(ctx, id)
		if err != nil {
			return err
		}
		if !has || s.Revalidate {
			todo = append(todo, l)
		}
	}
	if err := emit(articles.Item{Expect: len(todo)}); err != nil {
		return err
	}
	failed, err := s.fetchPosts(ctx, state, todo, emit)
	if err != nil {
		return err
	}
	if failed > 0 {
		// Keep the category's old validators: the next poll reads the list
		// again and retries the posts that failed.
		return fmt.Errorf("site source: %d of %d post pages could not be fetched", failed, len(todo))
	}
	return emit(articles.Item{Name: catURL, Key: "url:" + catURL, Value: resp.Validators.encode()})
}

type pageResult struct {
	url  string
	resp *Response
	err  error
}

// fetchPosts fetches pages concurrently and emits them from this goroutine,
// because emit writes to the database and is not safe for concurrent use.
func (s *Site) fetchPosts(ctx context.Context, state articles.State, urls []string, emit func(articles.Item) error) (failed int, err error) {
	workers := s.Workers
	if workers <= 0 {
		workers = 4
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan string)
	results := make(chan pageResult)
	var wg sync.WaitGroup
	for range min(workers, max(len(urls), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				r := pageResult{url: u}
				v, err := loadValidators(ctx, state, u)
				if err == nil {
					r.resp, r.err = s.Fetcher.Get(ctx, u, v)
				} else {
					r.err = err
				}
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, u := range urls {
			select {
			case jobs <- u:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	for r := range results {
		if r.err != nil {
			if ctx.Err() != nil {
				return failed, ctx.Err()
			}
			failed++
			slog.Warn("Unable to fetch a post page", slog.String("url", r.url), slog.Any("error", r.err))
			continue
		}
		it := articles.Item{Name: r.url, Key: "url:" + r.url, Value: r.resp.Validators.encode()}
		if !r.resp.NotModified {
			it.Article, it.Err = articles.ParsePostPage(r.url, r.resp.Body)
		}
		if err := emit(it); err != nil {
			return failed, err
		}
	}
	return failed, ctx.Err()
}

// postLinks returns the absolute URLs of the post permalinks on a category
// page, in page order (newest first), without repeats.
func postLinks(pageURL string, page []byte) ([]string, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("unreadable HTML: %w", err)
	}
	var out []string
	seen := map[string]bool{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			for _, a := range n.Attr {
				if a.Key != "href" {
					continue
				}
				u, err := base.Parse(strings.TrimSpace(a.Val))
				if err != nil || u.Host != base.Host {
					continue
				}
				if _, _, ok := articles.PostPageID(u); ok && !seen[u.String()] {
					u.Fragment = ""
					seen[u.String()] = true
					out = append(out, u.String())
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(out) == 0 && !bytes.Contains(page, []byte("<ul")) {
		return nil, errors.New("no list of posts on the page; is it a category page?")
	}
	return out, nil
}

// Validators are kept as one state value: "etag\nlast-modified".
func (v Validators) encode() string { return v.ETag + "\n" + v.LastModified }

func loadValidators(ctx context.Context, state articles.State, u string) (Validators, error) {
	s, err := state.Get(ctx, "url:"+u)
	if err != nil {
		return Validators{}, err
	}
	etag, lm, _ := strings.Cut(s, "\n")
	return Validators{ETag: etag, LastModified: lm}, nil
}
