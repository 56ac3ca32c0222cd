package telegram_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/faketelegram"
	"wzdaily/subscribers"
)

// TestAMorningOfManySubscribers sends a morning's digests through the fake
// that enforces the bot's 30 messages a second: nothing may be lost, and
// after the first second nothing may be refused. At Telegram's limits it
// sends 5,000, in three minutes; scaled, 300 (ten seconds at that rate,
// ten times the bot's window and five outbox batches).
func TestAMorningOfManySubscribers(t *testing.T) {
	n := 300
	if realLimits() {
		if testing.Short() {
			t.Skip("5,000 digests at Telegram's rate take three minutes")
		}
		n = 5000
	}
	t.Parallel()
	w := newWorld(t, worldOptions{noRun: true})
	ctx := context.Background()
	for i := range n {
		id := int64(100000 + i)
		w.fake.AddUser(faketelegram.User{ID: id, FirstName: fmt.Sprint("读者", i)})
		if _, err := w.subs.Upsert(ctx, key(id), chat.Private, "", func(s *subscribers.Subscriber) error {
			s.Tags = []string{"工业"}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	rep := w.morning(t, 7, 30)
	if rep.Digests != n || rep.Parts != n {
		t.Fatalf("composed %+v, want %d one-part digests", rep, n)
	}
	for i := range n {
		w.waitSent(t, int64(100000+i), 1)
	}
	elapsed := time.Since(start)
	late := 0
	for _, r := range w.fake.Rejections() {
		if r.Time.Sub(start) > time.Second {
			late++
		}
	}
	if late > 0 {
		t.Errorf("%d sends refused after the first second", late)
	}
	for i := range n {
		if got := len(w.fake.Sent(int64(100000 + i))); got != 1 {
			t.Fatalf("chat %d got %d messages", 100000+i, got)
		}
	}
	t.Logf("%d digests in %.1f s: %.2f msg/s, %d refused in the first second", n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), len(w.fake.Rejections()))
}
