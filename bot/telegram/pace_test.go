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
	p := newPacer(-1)
	if len(p.windows(42)) != 1 || len(p.windows(-100)) != 2 {
		t.Fatalf("a private chat has one window (1/s), a group two (1/s and 20/min)")
	}
}
