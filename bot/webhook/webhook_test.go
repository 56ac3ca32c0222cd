package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
	"wzdaily/chat"
)

var reader = chat.Key{Platform: "webhook", ChatID: "42"}

var digestPart = chat.Message{
	Blocks: []chat.Block{
		{Kind: chat.Heading, Spans: []chat.Span{{Text: "梧州日报"}}},
		{Kind: chat.Item, Spans: []chat.Span{{Text: "新闻", Style: chat.Link, URL: "https://example.com/1"}}},
	},
	Buttons: [][]chat.Button{{{Label: "下一页", Data: "p:2"}, {Label: "停止", Data: "stop"}}},
}

// confirm answers every request as a receiver that accepted it.
func confirm(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"ok":true,"message_id":"m-1"}`)
}

func TestSender_SendPostsJSON(t *testing.T) {
	var got map[string]any
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header = r.Header.Clone()
		if r.Method != http.MethodPost {
			t.Errorf("method = %s, want POST", r.Method)
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("body is not JSON: %v", err)
		}
		confirm(w, r)
	}))
	defer srv.Close()

	ctx := chat.WithIdempotencyKey(context.Background(), "digest-12-part-2")
	id, err := New(Options{URL: srv.URL}).Send(ctx, reader, digestPart)
	if err != nil || id != "m-1" {
		t.Fatalf("Send() = %q, %v, want m-1, nil", id, err)
	}
	want := map[string]any{
		"chat_id":  "42",
		"platform": "webhook",
		"text":     chat.PlainText(digestPart),
		"buttons": []any{[]any{
			map[string]any{"label": "下一页", "data": "p:2"},
			map[string]any{"label": "停止", "data": "stop"},
		}},
		"idempotency_key": "digest-12-part-2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v, want %v", got, want)
	}
	if k := header.Get("Idempotency-Key"); k != "digest-12-part-2" {
		t.Errorf("Idempotency-Key = %q, want digest-12-part-2", k)
	}
	if ct := header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
}

func TestSender_SendWithoutKeyOrButtons(t *testing.T) {
	var got map[string]any
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header = r.Header.Clone()
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("body is not JSON: %v", err)
		}
		confirm(w, r)
	}))
	defer srv.Close()

	m := chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "hello"}}}}}
	if _, err := New(Options{URL: srv.URL, Platform: "relay"}).Send(context.Background(), reader, m); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"chat_id": "42", "platform": "relay", "text": "hello"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v, want %v", got, want)
	}
	if _, ok := header["Idempotency-Key"]; ok {
		t.Errorf("Idempotency-Key sent without a key in the context")
	}
}

func TestNew_Defaults(t *testing.T) {
	s := New(Options{URL: "http://127.0.0.1:1"})
	if s.client == nil || s.client.Timeout != 10*time.Second || s.platform != "webhook" {
		t.Errorf("New() = client %v, platform %q, want a 10 s client and webhook", s.client, s.platform)
	}
}

// transient checks that err is a *chat.SendError that only says "try
// again".
func transient(t *testing.T, err error) *chat.SendError {
	t.Helper()
	var se *chat.SendError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v (%T), want a *chat.SendError", err, err)
	}
	if se.Permanent || se.RetryAfter != 0 || se.MigratedTo != "" {
		t.Errorf("error = %+v, want a transient one", se)
	}
	return se
}

func TestSender_ClientTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	s := New(Options{URL: srv.URL, Client: &http.Client{Timeout: 50 * time.Millisecond}})
	_, err := s.Send(context.Background(), reader, digestPart)
	se := transient(t, err)
	var ne interface{ Timeout() bool }
	if !errors.As(se, &ne) || !ne.Timeout() {
		t.Errorf("error = %v, want a timeout", err)
	}
}

func TestSender_ContextDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := New(Options{URL: srv.URL}).Send(ctx, reader, digestPart)
	transient(t, err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want it to wrap context.DeadlineExceeded", err)
	}
}

func TestSender_ConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(confirm))
	url := srv.URL
	srv.Close()
	_, err := New(Options{URL: url}).Send(context.Background(), reader, digestPart)
	transient(t, err)
}

func TestSender_OversizedAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"message_id":"1","pad":"`)
		fmt.Fprint(w, strings.Repeat("x", maxResponse))
		fmt.Fprint(w, `"}`)
	}))
	defer srv.Close()
	_, err := New(Options{URL: srv.URL}).Send(context.Background(), reader, digestPart)
	transient(t, err)
	if !errors.Is(err, ErrBadResponse) {
		t.Errorf("error = %v, want ErrBadResponse", err)
	}
}
