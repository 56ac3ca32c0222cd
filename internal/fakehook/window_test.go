package fakehook

import (
	"net/http"
	"testing"
	"time"
)

// With a window, a chat takes messages only for a while after its reader
// wrote, and only so many; a message refused for it is recorded, and
// counts for nothing.
func TestServer_ConversationWindow(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now, Window: 48 * time.Hour, WindowMessages: 2})
	closed := `{"ok":false,"error_code":409,"description":"` + windowClosed + `","parameters":{"window_closed":true}}` + "\n"
	send := func() (int, string) {
		w := serve(t, s, msg("42", "x"), nil)
		return w.Code, w.Body.String()
	}
	if code, body := send(); code != http.StatusConflict || body != closed {
		t.Fatalf("before the reader wrote: %d %s", code, body)
	}
	s.Heard("42")
	for i := range 2 {
		if code, body := send(); code != http.StatusOK {
			t.Fatalf("message %d in the window: %d %s", i+1, code, body)
		}
	}
	if code, _ := send(); code != http.StatusConflict {
		t.Errorf("a third message: %d, want the count used up", code)
	}
	s.Heard("42")
	clock.Advance(48*time.Hour - time.Second)
	if code, _ := send(); code != http.StatusOK {
		t.Errorf("just inside the window: %d", code)
	}
	clock.Advance(time.Second)
	if code, _ := send(); code != http.StatusConflict {
		t.Errorf("at its end: %d", code)
	}
	if w := serve(t, s, msg("43", "x"), nil); w.Code != http.StatusConflict {
		t.Errorf("a chat whose reader never wrote: %d", w.Code)
	}
	if n, r := s.Count(), len(s.Rejections()); n != 3 || r != 4 {
		t.Errorf("%d deliveries and %d rejections, want 3 and 4", n, r)
	}
	// A flood wait refuses without using the window's count.
	s = New(Options{Now: clock.Now, Window: time.Hour, WindowMessages: 1, PerChat: time.Minute})
	s.Heard("42")
	if w := serve(t, s, msg("42", "x"), nil); w.Code != http.StatusOK {
		t.Fatalf("first: %d", w.Code)
	}
	s.Heard("42")
	if w := serve(t, s, msg("42", "x"), nil); w.Code != http.StatusTooManyRequests {
		t.Fatalf("within a minute: %d", w.Code)
	}
	clock.Advance(time.Minute)
	if w := serve(t, s, msg("42", "x"), nil); w.Code != http.StatusOK {
		t.Errorf("after the flood wait: %d, want the count unused", w.Code)
	}
}

func TestServer_CloseWindow(t *testing.T) {
	s := New(Options{})
	s.CloseWindow("42")
	w := serve(t, s, msg("42", "x"), nil)
	if a := decodeAnswer(t, w.Body.String()); w.Code != http.StatusConflict || a["parameters"].(map[string]any)["window_closed"] != true {
		t.Fatalf("a closed window: %d %s", w.Code, w.Body)
	}
	if w := serve(t, s, msg("43", "x"), nil); w.Code != http.StatusOK {
		t.Errorf("another chat: %d", w.Code)
	}
	s.Restore("42")
	if w := serve(t, s, msg("42", "x"), nil); w.Code != http.StatusOK {
		t.Errorf("after Restore: %d", w.Code)
	}
}
