package telegram

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCheckSecretToken(t *testing.T) {
	for secret, ok := range map[string]bool{
		"a": true, "AZaz09_-": true, strings.Repeat("x", 256): true,
		"": false, strings.Repeat("x", 257): false, "123456:ABC": false, "a b": false,
		"abc+def/ghi=": false, "密钥": false, "tab\t": false, "a.b": false, "a~b": false,
	} {
		if err := CheckSecretToken(secret); (err == nil) != ok {
			t.Errorf("CheckSecretToken(%q) = %v, want ok %v", secret, err, ok)
		}
		if err := CheckSecretToken(secret); err != nil && secret != "" && strings.Contains(err.Error(), secret) {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}

func TestNewSecretTokenIsValidAndRandom(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s := newSecretToken()
		if err := CheckSecretToken(s); err != nil || len(s) < 43 {
			t.Fatalf("newSecretToken() = %d characters: %v", len(s), err)
		}
		if seen[s] {
			t.Fatalf("newSecretToken repeated %q", s)
		}
		seen[s] = true
	}
}

// TestWebhookServerHasEveryTimeout: a client that sends its headers and
// then its body slowly, or keeps an idle connection, or reads the answer
// slowly, must not hold the server's connections for ever.
func TestWebhookServerHasEveryTimeout(t *testing.T) {
	srv := newWebhookServer(http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("webhook server limits: header %s, read %s, write %s, idle %s, header bytes %d",
			srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
}

func TestWebhookHandlerWithAnEmptySecretRefusesEverything(t *testing.T) {
	h := (&Transport{}).WebhookHandler(t.Context(), "/", "")
	for _, header := range []string{"", "x"} {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
		if header != "" {
			req.Header.Set(SecretTokenHeader, header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("secret header %q with no secret configured: %d", header, rec.Code)
		}
	}
}
