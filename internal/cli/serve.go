package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot"
	"wzdaily/bot/console"
	"wzdaily/bot/telegram"
	"wzdaily/bot/webhook"
	"wzdaily/bot/wechat"
	"wzdaily/digest"
	"wzdaily/internal/config"
	"wzdaily/internal/health"
	"wzdaily/internal/metrics"
)

const serveAbout = `Runs the bot: polls the site for new articles, composes each subscriber's digest
at their delivery time, and delivers the outbox at the platform's rate. SIGINT or SIGTERM
stops it gracefully: the part being sent is finished, nothing is sent half-way.

Every setting comes from a flag, else the environment, else the config file (--config or
WZDAILY_CONFIG, YAML), else its default; "wzdaily config check" prints them all. Secrets
(tokens, webhook URLs) come only from the environment, a file it names, or the config file.
A Telegram token (TELEGRAM_BOT_TOKEN) turns Telegram on; --wechat turns WeChat on; with
neither and no webhook it chats in this terminal (as demo does, on your database).
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
  anything else      retried later, with backoff`

func runServe(ctx context.Context, env *Env, args []string) error {
	cfg, err := loadConfig(env, "serve", serveAbout, args)
	if err != nil {
		return err
	}
	logger, err := newLogger(env.Stderr, cfg.Get("log.format").String(), cfg.Get("log.level").String(),
		append(telegramSecrets(cfg), urlSecrets(cfg.Get("webhook.url").String())...))
	if err != nil {
		return err
	}
	previous := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(previous)

	dbPath := cfg.Get("db").String()
	lock, err := digest.AcquireLock(dbPath)
	if err != nil {
		return err
	}
	defer lock.Release()

	m := metrics.New()
	platforms := map[string]*digest.Platform{}
	var chat *console.Console
	if u := cfg.Get("webhook.url").String(); u != "" {
		platforms["webhook"] = &digest.Platform{Sender: m.Sender("webhook", webhook.New(webhook.Options{URL: u})),
			Workers: cfg.Get("webhook.workers").Int(), Rate: float64(cfg.Get("webhook.rate").Int()),
			ChatInterval: cfg.Get("webhook.chat_interval").Duration()}
	}
	useTelegram, useWechat := cfg.Get("telegram.token").String() != "", cfg.Get("wechat.enabled").Bool()
	admins := cfg.Get("admins").List()
	if len(platforms) == 0 && !useTelegram && !useWechat {
		chat = &console.Console{In: env.Stdin, Out: env.Stdout, Name: "operator", Prompt: isTerminal(env.Stdin)}
		platforms[console.Platform] = &digest.Platform{Sender: chat}
		admins = append(admins, chat.Key().String())
	}
	var checker *health.Checker // set below, once the transports exist
	a, err := newApp(ctx, appOptions{path: dbPath, topics: cfg.Get("topics").String(), admins: admins,
		limits:  map[string]digest.Limits{wechat.Platform: {MaxLength: cfg.Get("wechat.max_length").Int(), Measure: wechat.Length}},
		spread:  map[string]time.Duration{wechat.Platform: cfg.Get("wechat.spread").Duration()},
		metrics: m,
		health:  func(ctx context.Context) (bot.HealthReport, error) { return checker.Check(ctx).ForBot(), nil },
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.db.Heartbeat(ctx); err != nil {
		return fmt.Errorf("the database does not take a committed write, so no delivery could be recorded and every part would go out again: %w", err)
	}

	var tg *telegram.Transport
	if useTelegram {
		if tg, err = connectTelegram(ctx, cfg, a); err != nil {
			return err
		}
		platforms[telegram.Platform] = telegramPlatform(m.Sender(telegram.Platform, tg))
	}
	alert := func(ctx context.Context, text string) { alertAdmins(ctx, tg, admins, text) }
	var wx *wechat.Transport
	if useWechat {
		wx = newWechat(cfg, a, env, alert)
		// One send at a time: the transport spaces them.
		platforms[wechat.Platform] = &digest.Platform{Sender: m.Sender(wechat.Platform, wx), Workers: 1}
	}
	a.deliverTo(platforms)
	m.Delivery(a.deliverer.Counts)
	checker = &health.Checker{DB: a.db, Articles: a.articles, StaleAfter: cfg.Get("site.stale_after").Duration(),
		Transports: transportChecks(tg, wx), Delivery: a.deliverer}

	bg, stop := context.WithCancel(ctx)
	defer stop()
	var waits []func()
	waits = append(waits, a.background(bg, cfg.Get("schedule.every").Duration()))
	if every := cfg.Get("site.poll").Duration(); every > 0 {
		watch := &staleWatch{after: cfg.Get("site.stale_after").Duration(), now: time.Now, alert: alert}
		waits = append(waits, a.pollSources(bg, cfg.Get("site.url").String(), cfg.Get("site.categories").List(), cfg.Get("site.max_posts").Int(),
			every, m, watch))
	}
	waits = append(waits, a.maintain(bg, cfg.Get("articles.keep").Duration(), cfg.Get("articles.optimize_every").Duration()))
	if addr := cfg.Get("http.listen").String(); addr != "" {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := health.Serve(bg, addr, health.Handler(checker, m.Registry), cfg.Get("http.public").Bool()); err != nil {
				slog.Error("Health listener stopped", slog.Any("error", err))
			}
		}()
		waits = append(waits, func() { <-done })
	}
	slog.Info("Serving", slog.String("db", dbPath), slog.String("platforms", platformNames(platforms)))
	var wxDone chan error
	if wx != nil {
		wxDone = make(chan error, 1)
		go func() { wxDone <- wx.Run(ctx) }()
	}
	switch {
	case chat != nil:
		chat.Handler = a.bot
		err = chat.Run(ctx)
	case tg != nil:
		err = runTelegram(ctx, cfg, tg)
	default:
		<-ctx.Done()
	}
	if wxDone != nil {
		if werr := <-wxDone; err == nil {
			err = werr
		}
	}
	slog.Info("Stopping")
	stop()
	for _, wait := range waits {
		wait()
	}
	return err
}

// transportChecks reports each running platform's connection for health.
func transportChecks(tg *telegram.Transport, wx *wechat.Transport) map[string]health.Transport {
	checks := map[string]health.Transport{}
	if tg != nil {
		checks[telegram.Platform] = func() health.Part {
			last, err := tg.Status()
			if err != nil {
				return health.Part{Name: telegram.Platform, Detail: "polling fails: " + err.Error()}
			}
			return health.Part{Name: telegram.Platform, OK: true, Detail: "connected as @" + tg.Username() + ", last answer " + last.Format(time.RFC3339)}
		}
	}
	if wx != nil {
		checks[wechat.Platform] = func() health.Part {
			state, since, err := wx.Status()
			p := health.Part{Name: wechat.Platform, OK: state == wechat.LoggedIn, Detail: string(state) + " since " + since.Format(time.RFC3339)}
			if err != nil {
				p.Detail += ": " + err.Error()
			}
			return p
		}
	}
	return checks
}

// pollSources ingests the site's categories now and then every interval,
// counting what came in and watching for sources gone quiet.
func (a *app) pollSources(ctx context.Context, site string, categories []string, maxPosts int, every time.Duration, m *metrics.Metrics,
	watch *staleWatch) func() {
	fetcher := source.NewFetcher(source.FetcherOptions{Client: &http.Client{}, Version: buildVersion()})
	return repeat(ctx, every, func() {
		for _, c := range categories {
			src := &source.Site{BaseURL: site, Category: c, Fetcher: fetcher, MaxPosts: maxPosts}
			rep, err := a.articles.Ingest(ctx, src, articles.IngestOptions{})
			if ctx.Err() != nil {
				return
			}
			m.Ingested(rep, err, time.Now())
			for _, r := range rep.Rejections {
				slog.Warn("Rejected post", slog.String("source", rep.Source), slog.Any("error", r))
			}
			if err != nil {
				slog.Warn("Unable to poll a source", slog.String("source", src.Name()), slog.Any("error", err))
			} else if rep.New+rep.Updated > 0 {
				slog.Info("Ingested", slog.String("source", rep.Source), slog.Int("new", rep.New), slog.Int("updated", rep.Updated))
			}
		}
		if watch.after > 0 {
			if sources, err := a.articles.Sources(ctx); err == nil {
				watch.check(ctx, sources)
			}
		}
	})
}

// sendAll delivers the outbox for at most within: until no part is due
// before the bound is over. It then says what is still pending and why,
// and fails when anything is, so that a script notices.
func sendAll(ctx context.Context, env *Env, a *app, within time.Duration) error {
	lock, err := digest.AcquireLock(a.path)
	if err != nil {
		return err
	}
	defer lock.Release()
	deadline := time.Now().Add(within)
	outbox := digest.NewOutbox(a.db)
	run, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.deliverer.Run(run) }()
	for time.Now().Before(deadline) {
		due, err := outbox.Due(ctx, deadline)
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
	fmt.Fprintf(env.Stdout, "outbox: %d sent, %d pending, %d dead\n", backlog.Sent, backlog.Pending, backlog.Dead)
	if backlog.Pending == 0 {
		return nil
	}
	reasons, err := outbox.PendingReasons(ctx, 5)
	if err != nil {
		return err
	}
	for _, r := range reasons {
		fmt.Fprintf(env.Stdout, "  %d waiting: %s\n", r.Parts, r.Why)
	}
	return fmt.Errorf("%d parts are still pending after %s; the next run or serve sends them", backlog.Pending, within)
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

func platformNames(p map[string]*digest.Platform) string {
	var names []string
	for n := range p {
		names = append(names, n)
	}
	return strings.Join(names, ",")
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
