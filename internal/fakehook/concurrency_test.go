package fakehook

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Senders, readers and fault changes at once; -race checks the locking.
func TestServer_ConcurrentUse(t *testing.T) {
	s := New(Options{Rate: 1000, PerChat: time.Nanosecond})
	srv := startServer(t, s)
	const senders, each = 8, 40

	var wg sync.WaitGroup
	errs := make(chan error, senders*each)
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				resp, err := post(srv.Client(), srv.URL, msg(strconv.Itoa(g), fmt.Sprint(i)))
				if err != nil {
					errs <- err
					continue
				}
				discard(resp)
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusTooManyRequests {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
				}
			}
		})
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = s.Deliveries()
			_ = s.ByChat()
			_ = s.Count()
			_ = s.Duplicates()
			_ = s.Rejected429()
			s.Block("nobody")
			s.Restore("nobody")
			if err := s.SetFaults(Faults{}); err != nil {
				errs <- err
			}
		}
	})

	done := make(chan struct{})
	go func() { wg.Wait(); close(stop); readers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("deadlocked")
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	for i, d := range s.Deliveries() {
		if d.MessageID != strconv.Itoa(i+1) {
			t.Fatalf("delivery %d has message id %s, want ids 1, 2, 3… in order", i, d.MessageID)
		}
	}
	if got := s.Count() + s.Rejected429(); got != senders*each {
		t.Errorf("%d deliveries + %d 429s, want %d requests", s.Count(), s.Rejected429(), senders*each)
	}
}
