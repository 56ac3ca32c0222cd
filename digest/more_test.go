package digest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

func TestMoreShowsWhatTheDigestLeftOut(t *testing.T) {
	w := newWorld(t)
	key := w.morningOf(t, 25, 3)
	msgs := w.sender.msgs["1"]
	if len(msgs) != 1 {
		t.Fatalf("sent %d messages", len(msgs))
	}
	btns := chat.Flatten(msgs[0].Buttons)
	if len(btns) != 1 || !strings.HasPrefix(btns[0].Data, "dm:") || !strings.Contains(btns[0].Label, "22") {
		t.Fatalf("the digest's more button: %+v", btns)
	}
	var id int64
	var off int
	if _, err := fmt.Sscanf(btns[0].Data, "dm:%d:%d", &id, &off); err != nil || off != 0 {
		t.Fatalf("button data %q", btns[0].Data)
	}
	sub, _ := w.subs.Get(context.Background(), key)
	var seen []string
	for page := 0; page < 5; page++ {
		m, err := w.engine.More(context.Background(), sub, id, off)
		if err != nil {
			t.Fatal(err)
		}
		text := chat.PlainText(m)
		for i := 1; i <= 25; i++ {
			if strings.Contains(text, fmt.Sprintf("第%02d条", i)) {
				seen = append(seen, fmt.Sprint(i))
			}
		}
		next := chat.Flatten(m.Buttons)
		if len(next) == 0 {
			break
		}
		fmt.Sscanf(next[0].Data, "dm:%d:%d", &id, &off)
	}
	if got := strings.Join(seen, ","); got != "4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25" {
		t.Errorf("left-out articles shown: %s", got)
	}
	// Another subscriber cannot page this digest.
	other := w.subscribe(t, "2", nil)
	osub, _ := w.subs.Get(context.Background(), other)
	m, err := w.engine.More(context.Background(), osub, id, 0)
	if err != nil || !strings.Contains(chat.PlainText(m), "找不到") {
		t.Errorf("another chat's digest: %q, %v", chat.PlainText(m), err)
	}
}

func TestMorePagesFitASmallLimit(t *testing.T) {
	w := newWorld(t)
	for i := 1; i <= 12; i++ {
		w.publish(t, fmt.Sprintf("第%02d条新闻", i)+strings.Repeat("很长的标题", 20))
	}
	w.engine.opts.Limits = map[string]Limits{"t": {MaxLength: 600}}
	key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = 1 })
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
	w.runDue(t)
	w.flush(t, key)
	sub, _ := w.subs.Get(context.Background(), key)
	var id int64
	for _, m := range w.sender.msgs["1"] {
		for _, b := range chat.Flatten(m.Buttons) {
			fmt.Sscanf(b.Data, "dm:%d:", &id)
		}
	}
	off, total := 0, 0
	for range 20 {
		m, err := w.engine.More(context.Background(), sub, id, off)
		if err != nil {
			t.Fatal(err)
		}
		if n := PlainLength(m); n > 600 {
			t.Fatalf("a page of %d units over the 600 limit", n)
		}
		total += strings.Count(chat.PlainText(m), "条新闻")
		next := chat.Flatten(m.Buttons)
		if len(next) == 0 {
			break
		}
		fmt.Sscanf(next[0].Data, "dm:%d:%d", &id, &off)
	}
	if total != 11 {
		t.Errorf("pages showed %d of the 11 left-out articles", total)
	}
}

// TestTheMoreButtonFitsWhereButtonsAreText: on a platform that shows
// buttons as text (WeChat numbers them), the last part, with its "more"
// button, still fits the limit, whatever the limit.
func TestTheMoreButtonFitsWhereButtonsAreText(t *testing.T) {
	measure := func(m chat.Message) int {
		return utf8.RuneCountInString(chat.PlainText(m) + "\n" + chat.NumberedButtons(m))
	}
	for limit := 300; limit < 460; limit++ {
		w := newWorld(t)
		w.engine.opts.Limits = map[string]Limits{"t": {MaxLength: limit, Measure: measure}}
		for i := range 12 {
			w.publish(t, fmt.Sprintf("第%02d条新闻：梧州", i)+strings.Repeat("长", i*3))
		}
		key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = 8 })
		w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
		w.runDue(t)
		w.flush(t, key)
		msgs := w.sender.msgs["1"]
		if len(msgs) == 0 || len(chat.Flatten(msgs[len(msgs)-1].Buttons)) != 1 {
			t.Fatalf("limit %d: no more button on the last of %d parts", limit, len(msgs))
		}
		for i, m := range msgs {
			if n := measure(m); n > limit {
				t.Errorf("limit %d: part %d of %d measures %d", limit, i+1, len(msgs), n)
			}
		}
		sub, _ := w.subs.Get(context.Background(), key)
		var id int64
		fmt.Sscanf(chat.Flatten(msgs[len(msgs)-1].Buttons)[0].Data, "dm:%d:", &id)
		if m, err := w.engine.More(context.Background(), sub, id, 0); err != nil || measure(m) > limit {
			t.Errorf("limit %d: a more page measures %d (%v)", limit, measure(m), err)
		}
	}
}

// morningOf publishes n articles a minute apart, subscribes chat "1" with
// a maximum of most, and delivers its digest the next morning at 07:30.
func (w *world) morningOf(t *testing.T, n, most int) chat.Key {
	t.Helper()
	for i := 1; i <= n; i++ {
		w.publish(t, fmt.Sprintf("第%02d条新闻", i))
		w.clock.Add(time.Minute)
	}
	key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = most })
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
	w.runDue(t)
	w.flush(t, key)
	return key
}
