package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"wzdaily/bot/console"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/config"
)

const serveAbout = `Runs the bot: polls the site for new articles, composes each subscriber's digest
at their delivery time, and delivers the outbox at the platform's rate. SIGINT or SIGTERM
stops it gracefully: the part being sent is finished, nothing is sent half-way.

Every setting comes from a flag, else the environment, else the config file (--config or
WZDAILY_CONFIG, YAML), else its default; "wzdaily config check" prints them all. Secrets
(tokens, webhook URLs) come only from the environment, a file it names, or the config file.
A Telegram token (TELEGRAM_BOT_TOKEN) turns Telegram on; --wechat turns WeChat on; an
Official Account's AppID (WECHAT_OA_APP_ID, with WECHAT_OA_APP_SECRET and WECHAT_OA_TOKEN)
serves its server URL on --oa-listen at --oa-path; with none and no webhook it chats in
this terminal (as demo does, on your database).
Telegram by webhook: TELEGRAM_WEBHOOK=https://host/long-random-path (its path is a secret;
never a flag), TELEGRAM_WEBHOOK_SECRET optional (random at each start otherwise).
Only one process may deliver from a database; a second one refuses, saying so. The
database must take a committed write at start, or serve refuses.
` + webhookContract

// webhookContract is what a webhook receiver must do, for serve --help,
// digest --help and the README.
const webhookContract = `
A webhook (WZDAILY_WEBHOOK or WZDAILY_WEBHOOK_FILE) gets each digest part as a POST of JSON
{"chat_id", "platform", "text", "buttons", "idempotency_key"}, the key also in the
Idempotency-Key header. The same key again is the same part again (after a crash or a lost
answer): drop it. The receiver answers:
  any 2xx            delivered; {"message_id": …} in the body is kept, {"ok": false} is not delivered
  429, or 503 with Retry-After
                     wait: nothing more goes to the webhook until then
  403                the chat blocked the bot; 404 or 410: the chat is gone (three in a row stop it)
  400 with migrate_to_chat_id
                     the chat moved; other 400, 413, 422: the message is refused
  3xx                never followed: the URL is wrong; delivery waits an hour, logged with Location
  window_closed: true in the body, with any other status or with {"ok": false}
                     the chat's conversation window is closed (a relay to WeCom's customer service,
                     say): the part is held until the reader writes (wzdaily digest heard)
  anything else      retried later, with backoff`

func runServe(ctx context.Context, env *Env, args []string) error {
	cfg, err := loadConfig(env, "serve", serveAbout, args)
	if err != nil {
		return err
	}
	s := settings(cfg)
	logger, err := newLogger(env.Stderr, s.Log.Format, s.Log.Level, secrets(s))
	if err != nil {
		return err
	}
	previous := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(previous)

	lock, err := digest.AcquireLock(s.DB)
	if err != nil {
		return err
	}
	defer lock.Release()
	o := app.Options{Settings: s, Out: env.Stdout}
	if s.Webhook.URL == "" && s.Telegram.Token == "" && !s.WeChat.Enabled && s.OfficialAccount.AppID == "" {
		// No platform: chat in this terminal, as demo does.
		o.Console = &console.Console{In: env.Stdin, Out: env.Stdout, Name: "operator", Prompt: isTerminal(env.Stdin)}
	}
	a, err := app.New(ctx, o)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Heartbeat(ctx); err != nil {
		return err
	}
	return a.Run(ctx, buildVersion())
}

// sendAll delivers the webhook's parts for at most within: until none is
// due before the bound is over. It then says what is still pending, for
// which platform and why, and fails when any of the webhook's is, so that
// a script notices. Parts for platforms it does not serve are not waited
// for: another process sends them.
func sendAll(ctx context.Context, env *Env, a *app.App, within time.Duration) error {
	lock, err := digest.AcquireLock(a.Settings.DB)
	if err != nil {
		return err
	}
	defer lock.Release()
	served := []string{"webhook"}
	deadline := time.Now().Add(within)
	outbox := a.Outbox
	run, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Deliverer.Run(run) }()
	for time.Now().Before(deadline) {
		due, err := outbox.Due(ctx, deadline, served...)
		if err != nil {
			stop()
			<-done
			return err
		}
		if due == 0 {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
		if ctx.Err() != nil {
			break
		}
	}
	stop()
	<-done // the parts in flight are finished and recorded
	backlog, err := outbox.Backlog(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "outbox: %d sent, %d pending, %d dead", backlog.Sent, backlog.Pending, backlog.Dead)
	if backlog.Held > 0 {
		fmt.Fprintf(env.Stdout, ", %d held until their readers write", backlog.Held)
	}
	fmt.Fprintln(env.Stdout)
	mine, err := printWaiting(ctx, env.Stdout, outbox, served)
	if err != nil || mine == 0 {
		return err
	}
	return fmt.Errorf("%d parts for the webhook are still pending after %s; the next run or serve sends them", mine, within)
}

// urlSecrets are the parts of a URL the log must never show: all of it,
// its password, its path (often a token of its own) and its query.
func urlSecrets(raw string) []string {
	if raw == "" {
		return nil
	}
	out := []string{raw}
	if u, err := url.Parse(raw); err == nil {
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
		if u.RawQuery != "" {
			out = append(out, u.RawQuery)
			for _, vs := range u.Query() {
				out = append(out, vs...)
			}
		}
		if len(u.Path) > 1 {
			out = append(out, u.Path, u.EscapedPath())
		}
	}
	return out
}

// loadConfig parses a command's flags from the options table and resolves
// every setting, reporting all bad values at once.
func loadConfig(env *Env, name, about string, args []string) (*config.Set, error) {
	cfg, err := config.New(serveOptions())
	if err != nil {
		return nil, err // a bad table: a bug
	}
	fs := newFlags(env, name, "", about)
	cfg.Register(fs)
	// Former flags, now secrets: say where they went rather than "not defined".
	fs.Var(secretFlag{"webhook URL", "WZDAILY_WEBHOOK"}, "webhook", "not a flag: set WZDAILY_WEBHOOK (a secret)")
	fs.Var(secretFlag{"Telegram webhook URL", "TELEGRAM_WEBHOOK"}, "telegram-webhook", "not a flag: set TELEGRAM_WEBHOOK (a secret)")
	file := fs.String("config", env.Getenv("WZDAILY_CONFIG"), "a YAML config file (environment: WZDAILY_CONFIG)")
	if _, err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := cfg.Load(fs, env.Getenv, *file); err != nil {
		return nil, fmt.Errorf("%w: the configuration has problems:\n%v", errUsage, err)
	}
	return cfg, nil
}
