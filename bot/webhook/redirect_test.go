package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"wzdaily/chat"
)

func TestSender_NeverFollowsARedirect(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte(`{"ok":true,"message_id":"1"}`))
	}))
	defer other.Close()
	for _, client := range []*http.Client{nil, {}} { // the default client, and one given
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/hook?token=s3cret", http.StatusFound)
		}))
		_, err := New(Options{URL: hook.URL, Client: client}).Send(context.Background(), reader, digestPart)
		hook.Close()
		var se *chat.SendError
		if !errors.As(err, &se) || !se.Misconfigured || !errors.Is(err, ErrRedirected) {
			t.Fatalf("a redirect: %v, want a misconfigured endpoint", err)
		}
		if !strings.Contains(err.Error(), strings.TrimPrefix(other.URL, "http://")) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error should say where it redirects, without its secrets: %v", err)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

func TestSender_ErrorsDoNotCarryTheURLsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens: the client's error quotes the URL
	url := strings.Replace(srv.URL, "http://", "http://bot:pa55word@", 1) + "/private-path?token=s3cret"
	_, err := New(Options{URL: url}).Send(context.Background(), reader, digestPart)
	if err == nil {
		t.Fatal("a send to nothing succeeded")
	}
	for _, secret := range []string{"pa55word", "s3cret", "private-path", "bot:"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows %q: %v", secret, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "",
		"https://hooks.example":               "https://hooks.example",
		"https://hooks.example/":              "https://hooks.example",
		"https://hooks.example/a/long/path":   "https://hooks.example/…",
		"https://u:p@hooks.example":           "https://hooks.example/…",
		"https://hooks.example:8443/?t=1":     "https://hooks.example:8443/…",
		"/relative/location":                  "(a URL that does not parse)",
		"http://[::1]:8080/x#frag":            "http://[::1]:8080/…",
		"https://hooks.example/%zz?token=bad": "(a URL that does not parse)",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
