package webhook

import (
	"errors"
	"net/http"
	"testing"
	"time"
	"wzdaily/chat"
)

// FuzzClassify: whatever a receiver answers, the answer is classified
// without a panic, a 2xx is delivered unless its body says {"ok": false},
// a 3xx is never taken for a delivery, a wait is never absurd, and a
// closed window is neither a strike nor a wait.
func FuzzClassify(f *testing.F) {
	f.Add(200, "", `{"ok":true,"message_id":"17"}`)
	f.Add(204, "", ``)
	f.Add(200, "", `{"ok":false,"retry_after":"3.5"}`)
	f.Add(302, "", `<html>moved</html>`)
	f.Add(429, "Wed, 21 Oct 2015 07:28:00 GMT", `{"parameters":{"retry_after":1e309}}`)
	f.Add(503, "-1", `{"ok":false}`)
	f.Add(400, "", `{"migrate_to_chat_id":{"x":1}}`)
	f.Add(409, "", `{"ok":false,"window_closed":true}`)
	f.Add(200, "", `{"ok":false,"parameters":{"window_closed":"1"}}`)
	s := New(Options{URL: "http://127.0.0.1/"})
	s.now = func() time.Time { return time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC) }
	f.Fuzz(func(t *testing.T, status int, retryAfter, body string) {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		id, err := s.classify(reader, status, h, []byte(body))
		if err != nil {
			var se *chat.SendError
			if !errors.As(err, &se) {
				t.Fatalf("status %d: %T is not a *chat.SendError", status, err)
			}
			if se.RetryAfter < 0 || se.RetryAfter > maxRetryAfter {
				t.Fatalf("status %d: a wait of %s", status, se.RetryAfter)
			}
			if id != "" {
				t.Fatalf("an id with an error")
			}
			if se.Closed && (se.Permanent || se.RetryAfter > 0 || se.Misconfigured || se.MigratedTo != "" || status >= 300 && status < 400) {
				t.Fatalf("status %d: a closed window classified as more: %+v", status, se)
			}
		}
		if status >= 300 && status < 400 && err == nil {
			t.Fatalf("a %d was taken for a delivery", status)
		}
		if status >= 200 && status < 300 && err != nil && !errors.Is(err, ErrNotAccepted) {
			t.Fatalf("a %d was not delivered: %v", status, err)
		}
	})
}
