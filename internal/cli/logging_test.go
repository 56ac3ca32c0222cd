package cli

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"

	"wzdaily/internal/config"
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

func TestTheLogIsToldEverySecretOfTheWebhookURLs(t *testing.T) {
	cfg, err := config.New(serveOptions())
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TELEGRAM_BOT_TOKEN": "555:tok", "TELEGRAM_WEBHOOK": "https://bot.example/tg-%E6%A2%A7-hook?k=v4lue",
		"TELEGRAM_WEBHOOK_SECRET": "sekr1t", "WZDAILY_WEBHOOK": "https://u:pa55@hooks.example/p4th?token=s3cret"}
	if err := cfg.Load(nil, func(k string) string { return env[k] }, ""); err != nil {
		t.Fatal(err)
	}
	got := secrets(settings(cfg))
	for _, want := range []string{"555:tok", "sekr1t", env["TELEGRAM_WEBHOOK"], "/tg-%E6%A2%A7-hook", "/tg-梧-hook", "v4lue",
		env["WZDAILY_WEBHOOK"], "pa55", "/p4th", "s3cret"} {
		if !slices.Contains(got, want) {
			t.Errorf("the log is not told to hide %q: %q", want, got)
		}
	}
}

func TestTheLogIsToldTheOfficialAccountsSecrets(t *testing.T) {
	cfg, err := config.New(serveOptions())
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"WECHAT_OA_APP_ID": "wx1", "WECHAT_OA_APP_SECRET": "app-s3cret", "WECHAT_OA_TOKEN": "srv-t0ken",
		"WECHAT_OA_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	if err := cfg.Load(nil, func(k string) string { return env[k] }, ""); err != nil {
		t.Fatal(err)
	}
	got := secrets(settings(cfg))
	for _, k := range []string{"WECHAT_OA_APP_SECRET", "WECHAT_OA_TOKEN", "WECHAT_OA_AES_KEY"} {
		if !slices.Contains(got, env[k]) {
			t.Errorf("the log is not told to hide %s: %q", k, got)
		}
	}
	if slices.Contains(got, "wx1") {
		t.Error("the AppID, which WeChat shows anyone, is hidden")
	}
}
