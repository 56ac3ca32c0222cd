package source

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mmcdole/gofeed"

	"wzdaily/articles"
)

// Feed reads the site's Atom feed (jekyll-feed). It holds only the ten
// newest posts of the whole site, so it is a cheap freshness check, not a
// complete source: a 304 means nothing new was published anywhere.
type Feed struct {
	URL     string // e.g. https://finews.withounder.com/feed.xml
	Fetcher *Fetcher
	Match   Filter // which entries to keep, by category or tag
	// MaxBytes caps the feed; default DefaultMaxFeedBytes.
	MaxBytes int64
}

// DefaultMaxFeedBytes is Feed.MaxBytes when none is given. The feed
// parser allocates up to fifty times a feed's size (content with
// xml:base, as jekyll-feed writes it, is parsed as HTML to resolve its
// links), so this keeps a parse under 100 MB; the site's feed of ten
// posts is about 150 KB.
const DefaultMaxFeedBytes = 1 << 20

// parseFeed checks the feed's shape and size before gofeed reads it, so
// that memory stays bounded whatever the feed holds, and a feed gofeed
// cannot read is an error, never an empty feed.
func parseFeed(raw []byte, limit int64) (*gofeed.Feed, error) {
	body := withoutControlChars(raw)
	if err := checkFeed(body); err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: the feed is %d bytes, over the limit of %d for a feed", ErrTooLarge, len(body), limit)
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedFeed, err)
	}
	return feed, nil
}

// Name implements articles.Source.
func (f *Feed) Name() string { return "feed:" + f.URL }

// Fetch implements articles.Source.
func (f *Feed) Fetch(ctx context.Context, state articles.State, emit func(articles.Item) error) error {
	v, err := loadValidators(ctx, state, f.URL)
	if err != nil {
		return err
	}
	resp, err := f.Fetcher.Get(ctx, f.URL, v)
	if err != nil {
		return fmt.Errorf("feed source: %w", err)
	}
	if resp.NotModified {
		return nil
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxFeedBytes
	}
	feed, err := parseFeed(resp.Body, limit)
	if err != nil {
		return fmt.Errorf("feed source: %s: %w", f.URL, err)
	}
	if err := emit(articles.Item{Expect: len(feed.Items)}); err != nil {
		return err
	}
	for _, e := range feed.Items {
		it := articles.Item{Name: e.Link}
		entry := FeedEntry{URL: e.Link, Title: e.Title, Content: e.Content}
		if entry.Content == "" {
			entry.Content = e.Description
		}
		if e.PublishedParsed != nil {
			entry.Published = *e.PublishedParsed
		} else if e.UpdatedParsed != nil {
			entry.Published = *e.UpdatedParsed
		}
		a, err := ParseFeedEntry(entry)
		switch {
		case err != nil:
			it.Err = err
		default:
			// jekyll-feed lists categories and tags alike as <category>;
			// the URL already gave the categories, so the rest are tags.
			for _, c := range e.Categories {
				c = strings.TrimSpace(c)
				if c != "" && !slices.Contains(a.Categories, c) && !slices.Contains(a.Tags, c) {
					a.Tags = append(a.Tags, c)
				}
			}
			if f.Match.Keep(a) {
				it.Article = a
			} else {
				it.Skipped = true
			}
		}
		if err := emit(it); err != nil {
			return err
		}
	}
	return emit(articles.Item{Name: f.URL, Key: "url:" + f.URL, Value: resp.Validators.encode()})
}
