package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
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
	// MaxPosts caps the post pages one poll fetches; the rest come in the
	// next polls. Default DefaultMaxPosts.
	MaxPosts int
}

// DefaultMaxPosts is Site.MaxPosts when none is given: a few minutes of
// fetching at the per-host limit, several times what a category lists in
// the three days a post stays on the site.
const DefaultMaxPosts = 500

// goneMarker is the state of a post URL whose page answered 404 or 410.
// Stored validators always hold a newline, so the two never meet.
const goneMarker = "gone"

// Name implements articles.Source.
func (s *Site) Name() string {
	return "site:" + strings.TrimRight(s.BaseURL, "/") + "/category/" + s.Category
}

// CategoryURL is the page listing the category's current posts.
func (s *Site) CategoryURL() string {
	return strings.TrimRight(s.BaseURL, "/") + "/category/" + url.PathEscape(s.Category) + ".html"
}

// Fetch implements articles.Source.
//
// The category page's validators are saved only after every post it lists
// has been dealt with: a failed, interrupted or capped poll saves none, so
// the next poll reads the list again (200, not 304) and fetches what is
// missing.
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
	if gone(err) {
		// The site deletes a category's page while the category has no
		// current post.
		return emit(articles.Item{Name: catURL, Empty: true})
	}
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
	todo, err := s.toFetch(ctx, state, links)
	if err != nil {
		return err
	}
	limit := s.MaxPosts
	if limit <= 0 {
		limit = DefaultMaxPosts
	}
	left := max(len(todo)-limit, 0)
	todo = todo[:len(todo)-left]
	if err := emit(articles.Item{Expect: len(todo), Left: left}); err != nil {
		return err
	}
	failed, err := s.fetchPosts(ctx, state, todo, emit)
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("site source: %d of %d post pages could not be fetched", failed, len(todo))
	}
	if left > 0 {
		return nil
	}
	return emit(articles.Item{Name: catURL, Key: "url:" + catURL, Value: resp.Validators.encode()})
}

// toFetch picks the listed posts to fetch, in page order (newest first):
// those not stored, then, when revalidating, the stored ones. A post whose
// page was gone is not asked for again.
func (s *Site) toFetch(ctx context.Context, state articles.State, links []string) ([]string, error) {
	var fresh, stored []string
	for _, l := range links {
		mark, err := state.Get(ctx, "url:"+l)
		if err != nil {
			return nil, err
		}
		if mark == goneMarker {
			continue
		}
		u, _ := url.Parse(l)
		id, _, _ := PostPageID(u)
		has, err := state.Has(ctx, id)
		switch {
		case err != nil:
			return nil, err
		case !has:
			fresh = append(fresh, l)
		case s.Revalidate:
			stored = append(stored, l)
		}
	}
	return append(fresh, stored...), nil
}

// gone reports whether a fetch failed because the page is not there.
func gone(err error) bool {
	code := StatusCode(err)
	return code == http.StatusNotFound || code == http.StatusGone
}

type pageResult struct {
	url  string
	resp *Response
	err  error
}

// fetchPosts fetches pages concurrently and emits them from this goroutine,
// because emit writes to the database and is not safe for concurrent use.
// A page that is gone is emitted as such; one that fails otherwise is
// counted in failed. Once ctx ends, the pages already fetched are still
// emitted, and ctx's error returned.
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
				results <- r // the loop below reads until results closes
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
		if err != nil {
			continue // stopping: drain, so the workers can end
		}
		it := articles.Item{Name: r.url, Key: "url:" + r.url}
		switch {
		case r.err != nil && ctx.Err() != nil:
			continue
		case gone(r.err):
			// Three days on, a post moves to old_post/ and its page
			// answers 404; a cached category page may list it still.
			slog.Debug("Post page gone", slog.String("url", r.url))
			it.Gone, it.Value = true, goneMarker
		case r.err != nil:
			failed++
			slog.Warn("Unable to fetch a post page", slog.String("url", r.url), slog.Any("error", r.err))
			continue
		default:
			it.Value = r.resp.Validators.encode()
			if !r.resp.NotModified {
				it.Article, it.Err = ParsePostPage(r.url, r.resp.Body)
			}
		}
		if err = emit(it); err != nil {
			cancel()
		}
	}
	if err != nil {
		return failed, err
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
				if _, _, ok := PostPageID(u); ok && !seen[u.String()] {
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
