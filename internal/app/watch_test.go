package app

import (
	"context"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/internal/clocktest"
)

func TestAStaleSourceIsToldOnce(t *testing.T) {
	clock := clocktest.NewManual(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	var alerts []string
	w := &staleWatch{after: 48 * time.Hour, now: clock.Now, alert: func(_ context.Context, s string) { alerts = append(alerts, s) }}
	src := articles.SourceStatus{Name: "site", LastSuccess: clock.Now(), LastNew: clock.Now()}
	ctx := context.Background()
	w.check(ctx, []articles.SourceStatus{src})
	clock.Advance(47 * time.Hour)
	w.check(ctx, []articles.SourceStatus{src})
	if len(alerts) != 0 {
		t.Fatalf("alerted within the limit: %v", alerts)
	}
	clock.Advance(2 * time.Hour)
	for range 3 {
		w.check(ctx, []articles.SourceStatus{src})
	}
	if len(alerts) != 1 {
		t.Fatalf("%d alerts for one silence: %v", len(alerts), alerts)
	}
	// New articles, then silence again: a second alert.
	src.LastNew = clock.Now()
	w.check(ctx, []articles.SourceStatus{src})
	clock.Advance(49 * time.Hour)
	w.check(ctx, []articles.SourceStatus{src})
	if len(alerts) != 2 {
		t.Errorf("%d alerts after a second silence", len(alerts))
	}
}
