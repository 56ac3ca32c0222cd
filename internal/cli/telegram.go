package cli

import (
	"context"
	"log/slog"
	"time"

	"wzdaily/bot"
	"wzdaily/bot/telegram"
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
		return tg.RunWebhook(ctx, cfg.Get("telegram.listen").String(), hook)
	}
	return tg.Run(ctx)
}

// telegramPlatform schedules digests for Telegram: the transport itself
// keeps the bot's 30 a second and every chat's limits, for replies and
// digests together; here parts of one chat are spaced so that workers do
// not wait on a chat's window.
func telegramPlatform(s bot.Sender) *digest.Platform {
	return &digest.Platform{Sender: s, ChatInterval: time.Second, GroupInterval: 3 * time.Second, Workers: 8}
}
