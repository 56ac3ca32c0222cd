package chat

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a Handler that notes the order and overlap of updates.
type recorder struct {
	mu       sync.Mutex
	seen     map[Key][]string
	inChat   map[Key]int
	overlap  bool
	inFlight atomic.Int32
	peak     atomic.Int32
}

func (r *recorder) Handle(_ context.Context, u Update) []Message {
	n := r.inFlight.Add(1)
	for p := r.peak.Load(); n > p && !r.peak.CompareAndSwap(p, n); p = r.peak.Load() {
	}
	r.mu.Lock()
	r.inChat[u.Chat]++
	if r.inChat[u.Chat] > 1 {
		r.overlap = true
	}
	r.seen[u.Chat] = append(r.seen[u.Chat], u.Text)
	r.mu.Unlock()
	time.Sleep(time.Millisecond) // long enough for other workers to overlap
	r.mu.Lock()
	r.inChat[u.Chat]--
	r.mu.Unlock()
	r.inFlight.Add(-1)
	return []Message{{Blocks: []Block{{Spans: []Span{{Text: u.Text}}}}}}
}

func TestDispatcherKeepsEachChatInOrder(t *testing.T) {
	rec := &recorder{seen: map[Key][]string{}, inChat: map[Key]int{}}
	var replies atomic.Int32
	d := &Dispatcher{Handler: rec, Workers: 4, Reply: func(context.Context, Update, []Message) { replies.Add(1) }}
	updates := make(chan Update)
	done := make(chan struct{})
	go func() { d.Run(context.Background(), updates); close(done) }()
	for i := range 50 {
		for c := range 8 {
			updates <- Update{Chat: Key{Platform: "t", ChatID: fmt.Sprint(c)}, Text: fmt.Sprint(i)}
		}
	}
	close(updates)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("deadlocked")
	}
	if replies.Load() != 400 {
		t.Errorf("%d replies, want 400", replies.Load())
	}
	if rec.overlap {
		t.Errorf("two updates of one chat were handled at once")
	}
	for chat, texts := range rec.seen {
		for i, s := range texts {
			if s != fmt.Sprint(i) {
				t.Fatalf("chat %v handled out of order: %v", chat, texts)
			}
		}
	}
	if p := rec.peak.Load(); p < 2 || p > 4 {
		t.Errorf("peak concurrency %d, want between 2 and the 4 workers", p)
	}
}

func TestDispatcherStopsWithTheContext(t *testing.T) {
	rec := &recorder{seen: map[Key][]string{}, inChat: map[Key]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { (&Dispatcher{Handler: rec}).Run(ctx, make(chan Update)); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked")
	}
}
