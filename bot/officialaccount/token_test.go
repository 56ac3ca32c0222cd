package officialaccount

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wzdaily/internal/clocktest"
)

// fetcher is a token endpoint: each fetch waits for release (when set) and
// returns a new token.
type fetcher struct {
	calls   atomic.Int32
	release chan struct{}
	ttl     time.Duration
	err     error
}

func (f *fetcher) fetch(ctx context.Context) (string, time.Duration, error) {
	n := f.calls.Add(1)
	if f.release != nil {
		select {
		case <-f.release:
		case <-ctx.Done():
			return "", 0, ctx.Err()
		}
	}
	if f.err != nil {
		return "", 0, f.err
	}
	return fmt.Sprintf("token-%d", n), f.ttl, nil
}

func TestTokenIsFetchedOnceForConcurrentSenders(t *testing.T) {
	f := &fetcher{release: make(chan struct{}), ttl: 7200 * time.Second}
	tk := &tokens{fetch: f.fetch, now: time.Now}
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() {
			var err error
			if got[i], err = tk.get(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	clocktest.Eventually(t, 5*time.Second, "a fetch in flight", func() bool { return f.calls.Load() == 1 })
	close(f.release)
	wg.Wait()
	for i, g := range got {
		if g != "token-1" {
			t.Errorf("sender %d got %q", i, g)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d fetches for 20 concurrent senders", n)
	}
}

func TestTokenIsRenewedBeforeItExpires(t *testing.T) {
	clock := clocktest.NewManual(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	f := &fetcher{ttl: 7200 * time.Second}
	tk := &tokens{fetch: f.fetch, now: clock.Now}
	get := func() string {
		t.Helper()
		s, err := tk.get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if get() != "token-1" {
		t.Fatal("first token")
	}
	clock.Advance(7200*time.Second - renewBefore - time.Second)
	if got := get(); got != "token-1" {
		t.Errorf("renewed %s early: %s", renewBefore+time.Second, got)
	}
	clock.Advance(2 * time.Second)
	if got := get(); got != "token-2" {
		t.Errorf("kept within %s of its expiry: %s", renewBefore, got)
	}
	// A short-lived token (a fake's) is renewed a quarter of its life early.
	f.ttl = time.Minute
	tk.invalidate("token-2")
	get()
	clock.Advance(44 * time.Second)
	if got := get(); got != "token-3" {
		t.Errorf("a one-minute token renewed before 45 s: %s", got)
	}
	clock.Advance(2 * time.Second)
	if got := get(); got != "token-4" {
		t.Errorf("a one-minute token kept past 45 s: %s", got)
	}
}

func TestOnlyTheFirstRefusalOfATokenFetchesANewOne(t *testing.T) {
	f := &fetcher{ttl: 7200 * time.Second}
	tk := &tokens{fetch: f.fetch, now: time.Now}
	stale, _ := tk.get(context.Background())
	tk.invalidate(stale)
	fresh, _ := tk.get(context.Background())
	// A second sender refused with the same stale token must not throw the
	// fresh one away.
	tk.invalidate(stale)
	if again, _ := tk.get(context.Background()); again != fresh || f.calls.Load() != 2 {
		t.Errorf("token %q after a late refusal of %q (fresh %q), %d fetches", again, stale, fresh, f.calls.Load())
	}
}

func TestAFailedFetchIsSharedThenTriedAgain(t *testing.T) {
	f := &fetcher{release: make(chan struct{}), err: errors.New("errcode 40164")}
	tk := &tokens{fetch: f.fetch, now: time.Now}
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 5 {
		wg.Go(func() {
			if _, err := tk.get(context.Background()); err != nil {
				failed.Add(1)
			}
		})
	}
	clocktest.Eventually(t, 5*time.Second, "a fetch in flight", func() bool { return f.calls.Load() == 1 })
	close(f.release)
	wg.Wait()
	if failed.Load() != 5 || f.calls.Load() != 1 {
		t.Errorf("%d of 5 senders failed, %d fetches", failed.Load(), f.calls.Load())
	}
	f.err = nil
	if got, err := tk.get(context.Background()); err != nil || got != "token-2" {
		t.Errorf("after the failure: %q, %v", got, err)
	}
}

func TestASenderGivingUpDoesNotCancelTheFetch(t *testing.T) {
	f := &fetcher{release: make(chan struct{}), ttl: time.Hour}
	tk := &tokens{fetch: f.fetch, now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := tk.get(ctx); done <- err }()
	clocktest.Eventually(t, 5*time.Second, "a fetch in flight", func() bool { return f.calls.Load() == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the sender that gave up got %v", err)
	}
	close(f.release)
	if got, err := tk.get(context.Background()); err != nil || got != "token-1" || f.calls.Load() != 1 {
		t.Errorf("after one sender gave up: %q, %v, %d fetches", got, err, f.calls.Load())
	}
}
