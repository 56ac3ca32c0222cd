package telegram

import (
	"context"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"
)

// TestWindowHoldsWhateverTheDelays sends through a window while each
// request "arrives" at a random point between leaving and being answered:
// no span may see more than max arrivals, which a limiter spacing the
// starts cannot promise.
func TestWindowHoldsWhateverTheDelays(t *testing.T) {
	t.Parallel()
	const max, span = 5, 100 * time.Millisecond
	w := newWindow(max, span)
	var mu sync.Mutex
	var arrivals []time.Time
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			release, err := w.acquire(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond) // on the way
			mu.Lock()
			arrivals = append(arrivals, time.Now())
			mu.Unlock()
			time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond) // the answer's way back
			release()
		}()
	}
	wg.Wait()
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	for i := range arrivals {
		n := 0
		for j := i; j < len(arrivals) && arrivals[j].Sub(arrivals[i]) < span; j++ {
			n++
		}
		if n > max {
			t.Fatalf("%d arrivals within %s from arrival %d", n, span, i)
		}
	}
}

func TestWindowGivesUpWithTheContext(t *testing.T) {
	w := newWindow(1, time.Hour)
	release, _ := w.acquire(context.Background())
	release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.acquire(ctx); err == nil {
		t.Fatal("a full window admitted a send")
	}
}

func TestPacerKeepsGroupsAndChatsApart(t *testing.T) {
	p := newPacer(Limits{Rate: -1})
	if len(p.windows(42)) != 1 || len(p.windows(-100)) != 2 {
		t.Fatalf("a private chat has one window (1/s), a group two (1/s and 20/min)")
	}
}

func TestPacerKeepsTheLimitsItIsGiven(t *testing.T) {
	for name, tc := range map[string]struct {
		limits        Limits
		global        bool
		chat, group   int // windows of a private chat, of a group
		groupMax      int
		groupSpanOver time.Duration
	}{
		"Telegram's by default": {Limits{}, true, 1, 2, 20, time.Minute},
		"scaled":                {Limits{Rate: 30, ChatEvery: 50 * time.Millisecond, GroupPerSpan: 20, GroupSpan: 3 * time.Second}, true, 1, 2, 20, 3 * time.Second},
		"no global limit":       {Limits{Rate: -1}, false, 1, 2, 20, time.Minute},
		"no group limit":        {Limits{GroupPerSpan: -1}, true, 1, 1, 0, 0},
		"no limit at all":       {Limits{Rate: -1, ChatEvery: -1, GroupPerSpan: -1, GroupSpan: -1}, false, 0, 0, 0, 0},
	} {
		p := newPacer(tc.limits)
		if (p.global != nil) != tc.global {
			t.Errorf("%s: global window %v, want %v", name, p.global != nil, tc.global)
		}
		chat, group := p.windows(42), p.windows(-100)
		if len(chat) != tc.chat || len(group) != tc.group {
			t.Errorf("%s: %d windows for a chat, %d for a group; want %d and %d", name, len(chat), len(group), tc.chat, tc.group)
			continue
		}
		if tc.groupMax > 0 {
			if w := group[len(group)-1]; w.max != tc.groupMax || w.span != tc.groupSpanOver+margin {
				t.Errorf("%s: group window %d in %s, want %d in %s", name, w.max, w.span, tc.groupMax, tc.groupSpanOver+margin)
			}
		}
	}
}

// TestAWindowIsIdleOnlyOnceItsSpanIsOver: the pacer forgets a chat's
// windows when they hold nothing back, whatever their span; a group's
// window of three minutes is not forgotten two minutes after its last
// message.
func TestAWindowIsIdleOnlyOnceItsSpanIsOver(t *testing.T) {
	w := newWindow(20, 3*time.Minute)
	release, err := w.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if w.idle(time.Now().Add(time.Hour)) {
		t.Fatal("a window with a message in flight is idle")
	}
	release()
	answered := time.Now()
	if w.idle(answered.Add(150 * time.Second)) {
		t.Error("a window is idle 2.5 minutes after a message, within its 3-minute span")
	}
	if !w.idle(answered.Add(3*time.Minute + margin + time.Millisecond)) {
		t.Error("a window is not idle once its span is over")
	}
	if !newWindow(1, time.Second).idle(time.Now()) {
		t.Error("a new window is not idle")
	}
}
