package digest

import (
	"context"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// TestTheOutboxSaysWhichPlatformPartsWaitFor: parts of a platform no
// deliverer serves are counted apart, so a run that serves one platform
// waits only for its own and can name the platform the rest wait for.
func TestTheOutboxSaysWhichPlatformPartsWaitFor(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.publish(t, "昨晚的新闻")
	served := w.subscribe(t, "1", nil)
	other := chat.Key{Platform: "elsewhere", ChatID: "2"}
	if _, err := w.subs.Upsert(ctx, other, chat.Private, "", func(*subscribers.Subscriber) error { return nil }); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 2 || rep.Parts != 2 {
		t.Fatalf("at 07:30: %+v", rep)
	}
	o := NewOutbox(w.engine.opts.DB)
	now := w.clock.Now()
	for _, c := range []struct {
		platforms []string
		want      int
	}{{nil, 2}, {[]string{"t"}, 1}, {[]string{"elsewhere"}, 1}, {[]string{"t", "elsewhere"}, 2}, {[]string{"webhook"}, 0}} {
		if n, err := o.Due(ctx, now, c.platforms...); err != nil || n != c.want {
			t.Errorf("Due(%v) = %d, %v; want %d", c.platforms, n, err, c.want)
		}
	}
	w.flush(t, served)
	reasons, err := o.PendingReasons(ctx, 5)
	if err != nil || len(reasons) != 1 || reasons[0] != (Reason{Platform: "elsewhere", Why: "not tried yet", Parts: 1}) {
		t.Errorf("PendingReasons = %+v, %v; want the part waiting for elsewhere", reasons, err)
	}
	due, err := o.NextDue(ctx)
	if err != nil || len(due) != 2 {
		t.Fatalf("NextDue = %v, %v", due, err)
	}
	for id, at := range due {
		if want := time.Date(2026, 11, 27, 7, 30, 0, 0, wuzhou); !at.Equal(want) {
			t.Errorf("subscriber %d next due %s, want %s", id, at, want)
		}
	}
}
