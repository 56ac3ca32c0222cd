package cli

import (
	"context"
	"log/slog"

	"wzdaily/bot/telegram"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/config"
)

// connectTelegram connects to the Bot API with the configured token.
func connectTelegram(ctx context.Context, cfg *config.Set, a *app) (*telegram.Transport, error) {
	endpoint := cfg.Get("telegram.api").String()
	tg, err := telegram.New(ctx, telegram.Options{Token: cfg.Get("telegram.token").String(), Endpoint: endpoint, Bot: a.bot})
	if err != nil {
		return nil, err
	}
	slog.Info("Connected to Telegram", slog.String("bot", "@"+tg.Username()), slog.String("api", endpoint))
	return tg, nil
}

// runTelegram receives updates by webhook when one is configured, else by
// long polling.
func runTelegram(ctx context.Context, cfg *config.Set, tg *telegram.Transport) error {
	if hook := cfg.Get("telegram.webhook").String(); hook != "" {
		return tg.RunWebhook(ctx, telegram.WebhookOptions{URL: hook, Listen: cfg.Get("telegram.listen").String(),
			Secret: cfg.Get("telegram.webhook_secret").String()})
	}
	return tg.Run(ctx)
}

// telegramSecrets are the Telegram settings the log must never show: the
// token, the webhook URL and its path (the path is hard to guess on
// purpose), and the webhook secret.
func telegramSecrets(cfg *config.Set) []string {
	return append([]string{cfg.Get("telegram.token").String(), cfg.Get("telegram.webhook_secret").String()},
		urlSecrets(cfg.Get("telegram.webhook").String())...)
}

// webhookSecret checks a configured webhook secret by Telegram's rule.
func webhookSecret(v config.Value) error {
	if s := v.String(); s != "" {
		return telegram.CheckSecretToken(s)
	}
	return nil
}

// telegramPlatform schedules digests for Telegram: the transport itself
// keeps Telegram's limits (telegram.DefaultLimits), for replies and
// digests together; here parts of one chat are spaced by those limits so
// that workers do not wait on a chat's window.
func telegramPlatform(s chat.Sender) *digest.Platform {
	limits := telegram.DefaultLimits()
	return &digest.Platform{Sender: s, ChatInterval: limits.ChatEvery, GroupInterval: limits.GroupEvery(), Workers: 8}
}
