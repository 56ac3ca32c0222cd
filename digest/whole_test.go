package digest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"wzdaily/articles"
)

// TestTheWholeDigestAndItsLink: a digest's last part ends with the link to
// its page, and Whole gives every article of it, those /max left out too.
func TestTheWholeDigestAndItsLink(t *testing.T) {
	w := newWorld(t)
	var linked []int64
	w.engine.opts.DigestLink = func(id int64) string {
		linked = append(linked, id)
		return fmt.Sprintf("https://news.example.org/d/%d", id)
	}
	w.engine.opts.Link = func(a *articles.Article) string { return "https://news.example.org/a/" + a.ID }
	key := w.morningOf(t, 12, 3)
	msgs := w.sender.msgs["1"]
	if len(msgs) != 1 || len(linked) != 1 {
		t.Fatalf("%d messages, %d links", len(msgs), len(linked))
	}
	last := msgs[0].Blocks[len(msgs[0].Blocks)-1]
	if len(last.Spans) != 1 || last.Spans[0].URL != fmt.Sprintf("https://news.example.org/d/%d", linked[0]) {
		t.Errorf("the last block is %+v, want the digest's link", last)
	}
	for _, b := range msgs[0].Blocks {
		for _, s := range b.Spans {
			if s.URL != "" && !strings.HasPrefix(s.URL, "https://news.example.org/") {
				t.Errorf("a link to %s", s.URL)
			}
		}
	}
	// The pages of what /max left out link there too.
	sub, err := w.subs.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	more, err := w.engine.More(context.Background(), sub, linked[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, b := range more.Blocks {
		for _, s := range b.Spans {
			if s.URL != "" {
				shown++
				if !strings.HasPrefix(s.URL, "https://news.example.org/a/") {
					t.Errorf("a more page links to %s", s.URL)
				}
			}
		}
	}
	if shown == 0 {
		t.Error("the more page links nothing")
	}
	whole, err := w.engine.Whole(context.Background(), linked[0])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range whole.Groups {
		n += len(g.Items)
	}
	if n != 12 || whole.Composed.Format("2006-01-02 15:04") != "2026-11-26 07:30" {
		t.Errorf("the whole digest: %d articles, composed %s; want 12, at 07:30", n, whole.Composed)
	}
	if _, err := w.engine.Whole(context.Background(), linked[0]+1); !errors.Is(err, ErrNoDigest) {
		t.Errorf("a digest not stored: %v", err)
	}
}
