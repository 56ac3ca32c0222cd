package fakehook

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestServer_ChatFaults(t *testing.T) {
	cases := map[string]struct {
		set    func(s *Server)
		status int
		body   string
	}{
		"blocked": {
			set:    func(s *Server) { s.Block("42") },
			status: http.StatusForbidden,
			body:   `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
		},
		"not found": {
			set:    func(s *Server) { s.NotFound("42") },
			status: http.StatusBadRequest,
			body:   `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
		},
		"migrated": {
			set:    func(s *Server) { s.Migrate("42", "-100042") },
			status: http.StatusBadRequest,
			body:   `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":"-100042"}}`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := New(Options{})
			c.set(s)
			w := serve(t, s, msg("42", "x"), nil)
			if w.Code != c.status || w.Body.String() != c.body+"\n" {
				t.Fatalf("%s: answer = %d %q, want %d %q", name, w.Code, w.Body.String(), c.status, c.body)
			}
			if w := serve(t, s, msg("43", "x"), nil); w.Code != http.StatusOK {
				t.Errorf("%s: another chat got %d, want 200", name, w.Code)
			}
			if s.Count() != 1 {
				t.Errorf("%s: %d deliveries, want only the other chat's", name, s.Count())
			}
			if r := s.Rejections(); len(r) != 1 || r[0].Status != c.status || r[0].ChatID != "42" {
				t.Errorf("%s: Rejections() = %+v, want one %d for chat 42", name, r, c.status)
			}
			s.Restore("42")
			if w := serve(t, s, msg("42", "x"), nil); w.Code != http.StatusOK {
				t.Errorf("%s: after Restore got %d, want 200", name, w.Code)
			}
		})
	}
}

func TestServer_MigratedChatTakesNewID(t *testing.T) {
	s := New(Options{})
	s.Migrate("42", "-100042")
	if w := serve(t, s, msg("-100042", "x"), nil); w.Code != http.StatusOK {
		t.Errorf("message to the new id: status %d, want 200", w.Code)
	}
}

func TestServer_StatusFaults(t *testing.T) {
	cases := map[string]struct {
		kind        FaultKind
		status      int
		contentType string
		body        string
		retryAfter  string
	}{
		"429": {Fault429, http.StatusTooManyRequests, "application/json",
			`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}` + "\n", "1"},
		"500": {Fault500, http.StatusInternalServerError, "application/json",
			`{"ok":false,"error_code":500,"description":"Internal Server Error"}` + "\n", ""},
		"502 is not JSON": {Fault502, http.StatusBadGateway, "text/html", "", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := New(Options{})
			if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{c.kind}}); err != nil {
				t.Fatal(err)
			}
			w := serve(t, s, msg("1", "x"), nil)
			if w.Code != c.status || w.Header().Get("Content-Type") != c.contentType || w.Header().Get("Retry-After") != c.retryAfter {
				t.Fatalf("%s: answer = %d %q Retry-After %q, want %d %q Retry-After %q",
					name, w.Code, w.Header().Get("Content-Type"), w.Header().Get("Retry-After"), c.status, c.contentType, c.retryAfter)
			}
			if c.body != "" && w.Body.String() != c.body {
				t.Errorf("%s: body = %q, want %q", name, w.Body.String(), c.body)
			}
			if c.body == "" && strings.HasPrefix(w.Body.String(), "{") {
				t.Errorf("%s: body = %q, want HTML", name, w.Body.String())
			}
			if s.Count() != 0 {
				t.Errorf("%s: a failed request was recorded", name)
			}
		})
	}
}

func TestServer_FaultDropRecordsButDoesNotAnswer(t *testing.T) {
	s := New(Options{})
	srv := startServer(t, s)
	c := srv.Client()
	// A first request makes the second one reuse the connection, the case
	// where net/http might replay a request on its own.
	resp, err := post(c, srv.URL, msg("1", "first"))
	if err != nil {
		t.Fatal(err)
	}
	discard(resp)

	if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{FaultDrop}}); err != nil {
		t.Fatal(err)
	}
	resp, err = post(c, srv.URL, msg("1", "second"))
	if err == nil {
		discard(resp)
		t.Fatalf("dropped request answered %d, want a client error", resp.StatusCode)
	}
	got := s.Deliveries()
	if len(got) != 2 || got[1].Text != "second" || !got[1].Dropped || got[0].Dropped {
		t.Errorf("Deliveries() = %+v, want the second recorded and marked Dropped", got)
	}
}

// A request that would be refused anyway is refused, not dropped: only an
// accepted message can lose its confirmation.
func TestServer_FaultDropOnRefusedChatAnswers(t *testing.T) {
	s := New(Options{})
	s.Block("1")
	if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{FaultDrop}}); err != nil {
		t.Fatal(err)
	}
	if w := serve(t, s, msg("1", "x"), nil); w.Code != http.StatusForbidden {
		t.Errorf("status %d, want 403", w.Code)
	}
}

func TestServer_FaultSlowOutlastsClient(t *testing.T) {
	s := New(Options{})
	srv := startServer(t, s)
	if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{FaultSlow}, Delay: time.Minute}); err != nil {
		t.Fatal(err)
	}
	c := srv.Client()
	c.Timeout = 100 * time.Millisecond
	start := time.Now()
	resp, err := post(c, srv.URL, msg("1", "x"))
	if err == nil {
		discard(resp)
		t.Fatalf("slow request answered %d, want a timeout", resp.StatusCode)
	}
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("error = %v, want a timeout", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("the client waited %v", time.Since(start))
	}
	if s.Count() != 0 {
		t.Errorf("an abandoned request was recorded")
	}
}

func TestServer_FaultSlowAnswersPatientClient(t *testing.T) {
	s := New(Options{})
	srv := startServer(t, s)
	if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{FaultSlow}, Delay: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp, err := post(srv.Client(), srv.URL, msg("1", "x"))
	if err != nil {
		t.Fatal(err)
	}
	discard(resp)
	if resp.StatusCode != http.StatusOK || time.Since(start) < 50*time.Millisecond || s.Count() != 1 {
		t.Errorf("answer %d after %v with %d deliveries, want 200 after 50ms and 1", resp.StatusCode, time.Since(start), s.Count())
	}
}

func TestServer_ClearReleasesSlowRequests(t *testing.T) {
	s := New(Options{})
	srv := startServer(t, s)
	if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{FaultSlow}, Delay: time.Hour}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		resp, err := post(srv.Client(), srv.URL, msg("1", "x"))
		if err == nil {
			discard(resp)
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	s.Clear()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("deadlocked: Clear did not release the slow request")
	}
	if s.Count() != 1 {
		t.Errorf("released request not delivered")
	}
}

// statuses sends n messages and lists the answers' status codes.
func statuses(t *testing.T, s *Server, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = serve(t, s, msg("1", "x"), nil).Code
	}
	return out
}

func TestServer_FaultFractionIsSeeded(t *testing.T) {
	f := Faults{Fraction: 0.3, Kinds: []FaultKind{Fault429, Fault500, Fault500}, Seed: 7}
	a, b := New(Options{}), New(Options{})
	for _, s := range []*Server{a, b} {
		if err := s.SetFaults(f); err != nil {
			t.Fatal(err)
		}
	}
	got := statuses(t, a, 2000)
	if again := statuses(t, b, 2000); !slices.Equal(got, again) {
		t.Fatalf("the same seed gave different faults")
	}
	counts := map[int]int{}
	for _, c := range got {
		counts[c]++
	}
	failed := counts[429] + counts[500]
	if failed < 500 || failed > 700 {
		t.Errorf("%d of 2000 requests failed, want about 600", failed)
	}
	if counts[500] < counts[429] {
		t.Errorf("500s = %d, 429s = %d, want twice as many 500s", counts[500], counts[429])
	}
	if counts[200] != a.Count() {
		t.Errorf("%d answers 200 but %d deliveries", counts[200], a.Count())
	}
}

func TestServer_FaultTimes(t *testing.T) {
	s := New(Options{})
	if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{Fault500}, Times: 2}); err != nil {
		t.Fatal(err)
	}
	want := []int{500, 500, 200, 200}
	if got := statuses(t, s, 4); !slices.Equal(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
}

func TestServer_ClearRemovesFaults(t *testing.T) {
	s := New(Options{})
	s.Block("1")
	if err := s.SetFaults(Faults{Fraction: 1, Kinds: []FaultKind{Fault500}}); err != nil {
		t.Fatal(err)
	}
	s.Clear()
	if got := statuses(t, s, 2); !slices.Equal(got, []int{200, 200}) {
		t.Errorf("after Clear: statuses = %v, want 200s", got)
	}
}

func TestServer_SetFaultsValidates(t *testing.T) {
	cases := map[string]Faults{
		"negative fraction":  {Fraction: -0.1, Kinds: []FaultKind{Fault500}},
		"fraction above one": {Fraction: 1.5, Kinds: []FaultKind{Fault500}},
		"no kinds":           {Fraction: 0.5},
		"unknown kind":       {Fraction: 0.5, Kinds: []FaultKind{99}},
		"slow without delay": {Fraction: 0.5, Kinds: []FaultKind{FaultSlow}},
		"negative times":     {Fraction: 0.5, Kinds: []FaultKind{Fault500}, Times: -1},
	}
	for name, f := range cases {
		if err := New(Options{}).SetFaults(f); err == nil {
			t.Errorf("%s: SetFaults(%+v) = nil, want an error", name, f)
		}
	}
}
