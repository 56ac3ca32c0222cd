package digest

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNextDue(t *testing.T) {
	cases := []struct {
		zone   string
		minute int
		now    string // RFC 3339
		want   string
	}{
		{"Asia/Shanghai", 450, "2026-11-26T07:00:00+08:00", "2026-11-26T07:30:00+08:00"},
		{"Asia/Shanghai", 450, "2026-11-26T07:30:00+08:00", "2026-11-27T07:30:00+08:00"}, // strictly after
		{"Asia/Shanghai", 450, "2026-11-25T23:15:00Z", "2026-11-26T07:30:00+08:00"},      // already the 26th in Wuzhou
		{"Asia/Shanghai", 450, "2026-11-25T23:45:00Z", "2026-11-27T07:30:00+08:00"},      // and past 07:30 there
		{"America/New_York", 450, "2026-11-26T12:00:00Z", "2026-11-26T07:30:00-05:00"},
		{"Pacific/Auckland", 450, "2026-11-26T12:00:00Z", "2026-11-27T07:30:00+13:00"}, // 01:00 on the 27th there
		// Clocks go forward at 02:00 on 2026-03-29 in Berlin: 02:30 does not exist.
		{"Europe/Berlin", 150, "2026-03-28T12:00:00+01:00", "2026-03-29T03:30:00+02:00"},
		{"Europe/Berlin", 450, "2026-03-28T12:00:00+01:00", "2026-03-29T07:30:00+02:00"},
		{"America/New_York", 450, "2026-03-07T12:00:00-05:00", "2026-03-08T07:30:00-04:00"},
	}
	for _, c := range cases {
		now, _ := time.Parse(time.RFC3339, c.now)
		want, _ := time.Parse(time.RFC3339, c.want)
		if got := NextDue(c.minute, mustZone(t, c.zone), now); !got.Equal(want) {
			t.Errorf("NextDue(%d, %s, %s) = %s, want %s", c.minute, c.zone, c.now, got, want)
		}
	}
}

func TestDueAfterSendsOnceWhenClocksGoBack(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	// On 2026-10-25 Berlin's clocks go back from 03:00 to 02:00, so 02:30
	// happens twice. The digest after the one due then is the next day's.
	due := NextDue(150, berlin, time.Date(2026, 10, 24, 12, 0, 0, 0, berlin))
	next := DueAfter(150, berlin, due)
	if due.In(berlin).Day() != 25 || next.In(berlin).Day() != 26 || next.In(berlin).Hour() != 2 {
		t.Errorf("due %s then %s: want the 25th then the 26th at 02:30", due, next)
	}
	// A whole year of daily digests: exactly one per local day.
	seen := map[string]bool{}
	d := NextDue(150, berlin, time.Date(2026, 1, 1, 0, 0, 0, 0, berlin))
	for d.Year() == 2026 {
		day := d.In(berlin).Format("2006-01-02")
		if seen[day] {
			t.Fatalf("two digests on %s", day)
		}
		seen[day] = true
		d = DueAfter(150, berlin, d)
	}
	if len(seen) != 365 {
		t.Errorf("%d digests in 2026, want 365", len(seen))
	}
}

func TestSpreadOffsetsEachChatWithinTheWindow(t *testing.T) {
	w := newWorld(t)
	w.engine.opts.Schedule.opts.Spread = map[string]time.Duration{"t": time.Hour}
	offsets := map[time.Duration]bool{}
	for i := range 20 {
		key := w.subscribe(t, fmt.Sprint("s", i), nil)
		sub, _ := w.subs.Get(context.Background(), key)
		var due int64
		w.engine.opts.DB.QueryRow(`SELECT next_due_at FROM digest_state WHERE subscriber_id = ?`, sub.ID).Scan(&due)
		nominal := time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou)
		off := time.Unix(due, 0).Sub(nominal)
		if off < 0 || off >= time.Hour {
			t.Fatalf("chat %d due %s after 07:30", i, off)
		}
		offsets[off] = true
		if got := w.engine.opts.Schedule.spread(sub); got != off {
			t.Fatalf("offset %s, then %s", off, got)
		}
	}
	if len(offsets) < 10 {
		t.Errorf("20 chats got only %d distinct offsets", len(offsets))
	}
	// A day later the same chat comes at the same offset, once.
	w.clock.Set(time.Date(2026, 11, 26, 9, 0, 0, 0, wuzhou))
	rep := w.runDue(t)
	if rep.Digests != 20 {
		t.Fatalf("by 09:00, %d of 20 digests", rep.Digests)
	}
	w.clock.Set(time.Date(2026, 11, 27, 8, 29, 59, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 20 {
		t.Errorf("the next morning, %d of 20 digests within the window", rep.Digests)
	}
}
