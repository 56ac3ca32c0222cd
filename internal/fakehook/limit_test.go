package fakehook

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestServer_RateLimit(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now, Rate: 3})
	for i := range 3 {
		if w := serve(t, s, msg(strconv.Itoa(i), "x"), nil); w.Code != http.StatusOK {
			t.Fatalf("message %d within the rate: status %d, want 200", i+1, w.Code)
		}
	}
	w := serve(t, s, msg("cd", "x"), nil)
	wantBody := `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}` + "\n"
	if w.Code != http.StatusTooManyRequests || w.Body.String() != wantBody || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("message over the rate = %d Retry-After %q %q, want 429 Retry-After 1 %q",
			w.Code, w.Header().Get("Retry-After"), w.Body.String(), wantBody)
	}
	if s.Rejected429() != 1 || s.Count() != 3 {
		t.Errorf("Rejected429() = %d, Count() = %d, want 1 and 3", s.Rejected429(), s.Count())
	}

	clock.Advance(time.Second)
	for i := range 3 {
		if w := serve(t, s, msg("cd", "x"), nil); w.Code != http.StatusOK {
			t.Fatalf("message %d a second later: status %d, want 200", i+1, w.Code)
		}
	}
	if w := serve(t, s, msg("cd", "x"), nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("fourth message of the second second: status %d, want 429", w.Code)
	}
}

// The window slides: a slot frees one second after the message that used
// it, not at the next whole second.
func TestServer_RateLimitSlides(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now, Rate: 2})
	steps := []struct {
		at   time.Duration
		want int
	}{
		{0, http.StatusOK},
		{500 * time.Millisecond, http.StatusOK},
		{600 * time.Millisecond, http.StatusTooManyRequests},
		{time.Second, http.StatusOK}, // the first message has aged out
		{1100 * time.Millisecond, http.StatusTooManyRequests},
		{1500 * time.Millisecond, http.StatusOK},
	}
	for _, st := range steps {
		clock.Set(epoch.Add(st.at))
		if w := serve(t, s, msg("1", "x"), nil); w.Code != st.want {
			t.Errorf("at +%v: status %d, want %d", st.at, w.Code, st.want)
		}
	}
}

func TestServer_PerChatInterval(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now, PerChat: 3 * time.Second})
	serve(t, s, msg("a", "x"), nil)
	if w := serve(t, s, msg("b", "x"), nil); w.Code != http.StatusOK {
		t.Errorf("another chat at once: status %d, want 200", w.Code)
	}
	clock.Advance(500 * time.Millisecond)
	w := serve(t, s, msg("a", "x"), nil)
	// 2.5 s are left; flood control answers whole seconds, rounded up.
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "3" {
		t.Errorf("same chat after 0.5 s = %d Retry-After %q, want 429 Retry-After 3", w.Code, w.Header().Get("Retry-After"))
	}
	if got := decodeAnswer(t, w.Body.String())["parameters"]; got.(map[string]any)["retry_after"] != 3.0 {
		t.Errorf("parameters = %v, want retry_after 3", got)
	}
	clock.Advance(2500 * time.Millisecond)
	if w := serve(t, s, msg("a", "x"), nil); w.Code != http.StatusOK {
		t.Errorf("same chat after 3 s: status %d, want 200", w.Code)
	}
}

// A rejected message does not use up the rate, or the client could never
// catch up.
func TestServer_RejectedMessagesDoNotCount(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now, Rate: 1, PerChat: time.Second})
	serve(t, s, msg("a", "x"), nil)
	for range 5 {
		serve(t, s, msg("b", "x"), nil)
	}
	clock.Advance(time.Second)
	if w := serve(t, s, msg("b", "x"), nil); w.Code != http.StatusOK {
		t.Errorf("after the second: status %d, want 200", w.Code)
	}
}

func TestServer_Rejected429Since(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now, Rate: 1})
	serve(t, s, msg("a", "x"), nil)
	serve(t, s, msg("a", "x"), nil) // 429 at epoch
	clock.Advance(time.Second)
	mark := clock.Now()
	serve(t, s, msg("a", "x"), nil)
	serve(t, s, msg("a", "x"), nil) // 429 at mark
	serve(t, s, msg("a", "x"), nil) // 429 at mark
	if got := s.Rejected429Since(mark); got != 2 {
		t.Errorf("Rejected429Since(mark) = %d, want 2", got)
	}
	if got := s.Rejected429Since(mark.Add(time.Nanosecond)); got != 0 {
		t.Errorf("Rejected429Since(after mark) = %d, want 0", got)
	}
	if got := s.Rejected429(); got != 3 {
		t.Errorf("Rejected429() = %d, want 3", got)
	}
}
