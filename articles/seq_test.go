package articles

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSeqBeforeIsTheLastArticleInBeforeAndReadsTheIndex: a new
// subscriber's first digest starts after SeqBefore, inside the write
// transaction that subscribes: it must read the ingest-time index, not
// every article stored since.
func TestSeqBeforeIsTheLastArticleInBeforeAndReadsTheIndex(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	at := testNow.Add(-48 * time.Hour)
	s.now = func() time.Time { return at }
	for i := range 6 {
		if _, err := s.Save(ctx, &Article{ID: fmt.Sprint("NW", i), Title: fmt.Sprint("新闻", i), Body: fmt.Sprint("正文", i),
			Published: at, Tags: []string{"梧州日报新闻"}}); err != nil {
			t.Fatal(err)
		}
		at = at.Add(12 * time.Hour) // ingested 48, 36, 24, 12, 0 hours before testNow, and after
	}
	for _, tc := range []struct {
		before time.Time
		want   int64
	}{{testNow.Add(-72 * time.Hour), 0}, {testNow.Add(-30 * time.Hour), 2}, {testNow.Add(-24 * time.Hour), 2}, {testNow.Add(time.Hour), 5}} {
		if got, err := s.SeqBefore(ctx, tc.before); err != nil || got != tc.want {
			t.Errorf("SeqBefore(%s) = %d, %v; want %d", tc.before, got, err, tc.want)
		}
	}
	var plan strings.Builder
	rows, err := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT coalesce((SELECT seq FROM articles WHERE ingested_at < ? ORDER BY ingested_at DESC, seq DESC LIMIT 1), 0)`, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if !strings.Contains(plan.String(), "INDEX articles_ingested") {
		t.Errorf("SeqBefore scans the articles:\n%s", plan.String())
	}
}
