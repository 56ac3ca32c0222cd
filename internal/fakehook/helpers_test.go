package fakehook

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wzdaily/internal/clocktest"
)

var epoch = time.Date(2024, 5, 6, 7, 30, 0, 0, time.UTC)

// newFakeClock is a clock the test moves by hand.
func newFakeClock() *clocktest.Manual { return clocktest.NewManual(epoch) }

// msg is a well-formed request body for chat.
func msg(chat, text string) string {
	b, _ := json.Marshal(map[string]any{"chat_id": chat, "platform": "webhook", "text": text})
	return string(b)
}

// serve runs one request through s in process.
func serve(t *testing.T, s *Server, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// startServer serves s over loopback for the length of the test.
func startServer(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Clear() // let slow requests end, or Close waits for them
		srv.Close()
	})
	return srv
}

func post(c *http.Client, url, body string) (*http.Response, error) {
	return c.Post(url, "application/json", strings.NewReader(body))
}

// discard reads and closes an answer the test does not look at, so the
// connection can be reused.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

// decodeAnswer reads a JSON answer into a generic map.
func decodeAnswer(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("answer %q is not JSON: %v", body, err)
	}
	return m
}
