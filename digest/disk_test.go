package digest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/logtest"
	"wzdaily/subscribers"
)

// TestAFullDiskPausesDeliveryWithoutRepeats: the database lives on a
// small disk that fills up in the middle of a morning. No part goes out
// twice, delivery waits, and when room is made it finishes.
func TestAFullDiskPausesDeliveryWithoutRepeats(t *testing.T) {
	logs := logtest.Capture(t)
	dir, fill := dbtest.SmallDisk(t, "8m")
	conn, err := db.Open(context.Background(), filepath.Join(dir, "full.db"), articles.Schema(), subscribers.Schema(), Schema())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	w := &world{clock: newClock(time.Date(2026, 11, 25, 20, 0, 0, 0, wuzhou)), sender: &fakeSender{sent: map[string][]string{}, calls: map[string]int{}}}
	w.articles = articles.NewStore(conn, articles.StoreOptions{Now: w.clock.Now})
	w.subs, w.engine = wire(conn, w.articles, w.clock.Now)
	w.deliver = NewDeliverer(DelivererOptions{DB: conn, Engine: w.engine, Subscribers: w.subs, Now: w.clock.Now})
	w.redeliver(nil)
	w.morning(t, 30)
	// Make the next writes need new pages: the WAL is checkpointed and
	// truncated, then the disk is filled.
	if _, err := conn.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	fill()
	w.run(t)
	clocktest.Eventually(t, 20*time.Second, "delivery to pause on the full disk", func() bool {
		return logs.Count("The database still refuses writes") >= 5
	})
	sent := w.sender.total()
	if sent > 1 {
		t.Errorf("%d sends on a full disk, want at most the one that found out", sent)
	}
	st := w.status(t)
	if !st.Paused {
		t.Fatalf("not paused on a full disk: %+v", st)
	}
	t.Logf("paused: %s", st.Reason)
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	clocktest.Eventually(t, 20*time.Second, "every part delivered once room was made", func() bool {
		return w.count(t, `SELECT count(*) FROM outbox WHERE state = 'pending'`) == 0
	})
	if n, repeated := w.sender.total(), w.sender.repeatedKeys(); n != 30 || len(repeated) > 0 {
		t.Errorf("%d sends for 30 parts; repeated: %v", n, repeated)
	}
}
