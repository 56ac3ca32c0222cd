package cli

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestLoggerRedactsSecretsEverywhere(t *testing.T) {
	const token = "4242:SECRET-token"
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		log, err := newLogger(&buf, format, "debug", []string{token, ""})
		if err != nil {
			t.Fatal(err)
		}
		uerr := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + token + "/getMe", Err: errors.New("timeout")}
		log.With(slog.String("preset", token)).WithGroup("g").Debug("token "+token,
			slog.Any("error", fmt.Errorf("wrapped: %w", uerr)), slog.String("s", token), slog.Group("inner", slog.String("x", "a"+token)))
		if out := buf.String(); strings.Contains(out, "SECRET") || !strings.Contains(out, "<redacted>") {
			t.Errorf("%s log: %s", format, out)
		}
	}
}

func TestLoggerRefusesBadSettings(t *testing.T) {
	if _, err := newLogger(&bytes.Buffer{}, "xml", "info", nil); err == nil || !strings.Contains(err.Error(), "text or json") {
		t.Errorf("format: %v", err)
	}
	if _, err := newLogger(&bytes.Buffer{}, "text", "loud", nil); err == nil || !strings.Contains(err.Error(), "debug, info, warn, error") {
		t.Errorf("level: %v", err)
	}
	var buf bytes.Buffer
	log, _ := newLogger(&buf, "json", "warn", nil)
	log.Info("quiet")
	log.Warn("loud")
	if strings.Contains(buf.String(), "quiet") || !strings.Contains(buf.String(), "loud") {
		t.Errorf("level not kept: %s", buf.String())
	}
}
