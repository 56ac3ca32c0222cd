package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"wzdaily/bot/telegram"
	"wzdaily/digest"
)

// telegramOptions are serve's Telegram settings. The token is read from
// the environment or a file, never from a flag: flags show in ps.
type telegramOptions struct {
	token     string
	tokenFile *string
	endpoint  *string
	webhook   *string
	listen    *string
}

func telegramFlags(fs *flag.FlagSet, env *Env) *telegramOptions {
	o := &telegramOptions{token: env.Getenv("TELEGRAM_BOT_TOKEN")}
	o.tokenFile = fs.String("telegram-token-file", env.Getenv("TELEGRAM_BOT_TOKEN_FILE"),
		"read the Telegram bot token from this file (environment: TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE)")
	endpoint := env.Getenv("TELEGRAM_API_ENDPOINT")
	if endpoint == "" {
		endpoint = telegram.DefaultEndpoint
	}
	o.endpoint = fs.String("telegram-api", endpoint, "the Telegram Bot API base URL, e.g. a fake-telegram's (environment: TELEGRAM_API_ENDPOINT)")
	o.webhook = fs.String("telegram-webhook", "", "receive Telegram updates at this https URL instead of polling")
	o.listen = fs.String("telegram-listen", "127.0.0.1:8443", "with --telegram-webhook: where to listen (behind your TLS proxy)")
	return o
}

// enabled says a token was given, by environment or file.
func (o *telegramOptions) enabled() bool { return o.token != "" || *o.tokenFile != "" }

func (o *telegramOptions) connect(ctx context.Context, a *app) (*telegram.Transport, error) {
	token := o.token
	if token == "" {
		b, err := os.ReadFile(*o.tokenFile)
		if err != nil {
			return nil, fmt.Errorf("unable to read the Telegram token file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return nil, errors.New("the Telegram token is empty")
	}
	tg, err := telegram.New(ctx, telegram.Options{Token: token, Endpoint: *o.endpoint, Bot: a.bot})
	if err != nil {
		return nil, err
	}
	slog.Info("Connected to Telegram", slog.String("bot", "@"+tg.Username()), slog.String("api", *o.endpoint))
	return tg, nil
}

func (o *telegramOptions) run(ctx context.Context, tg *telegram.Transport) error {
	if *o.webhook != "" {
		return tg.RunWebhook(ctx, *o.listen, *o.webhook)
	}
	return tg.Run(ctx)
}

// telegramPlatform schedules digests for Telegram: the transport itself
// keeps the bot's 30 a second and every chat's limits, for replies and
// digests together; here parts of one chat are spaced so that workers do
// not wait on a chat's window.
func telegramPlatform(tg *telegram.Transport) *digest.Platform {
	return &digest.Platform{Sender: tg, ChatInterval: time.Second, GroupInterval: 3 * time.Second, Workers: 8}
}
