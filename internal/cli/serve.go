package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
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
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "", `Runs the bot: polls the site for new articles, composes each subscriber's digest
at their delivery time, and delivers the outbox at the platform's rate. SIGINT or SIGTERM
stops it gracefully: the part being sent is finished, nothing is sent half-way.

With no platform configured it chats in this terminal (as demo does, on your database).
Only one process may deliver from a database; a second one refuses, saying so.`)
	dbPath := dbFlag(fs, env)
	siteURL := fs.String("site", DefaultSite, "the site to poll")
	categories := fs.String("category", DefaultCategory, "categories to poll, comma-separated")
	poll := fs.Duration("poll", 10*time.Minute, "how often to poll the site; 0 turns polling off")
	every := fs.Duration("schedule-every", 30*time.Second, "how often to look for due digests")
	hook := fs.String("webhook", "", "deliver to this webhook URL (platform \"webhook\")")
	workers := fs.Int("workers", 8, "webhook: sends in flight at once (a crash can repeat at most this many parts)")
	rate := fs.Float64("rate", 0, "webhook: messages per second at most, 0 for no limit")
	chatInterval := fs.Duration("chat-interval", 0, "webhook: least time between two messages to one chat")
	admins := fs.String("admin", "", "admins for /stats, comma-separated platform:user-id")
	tgFlags := telegramFlags(fs, env)
	wxFlags := wechatFlags(fs, env)
	topics := fs.String("topics", "", "a topic table file replacing the built-in one")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	lock, err := digest.AcquireLock(*dbPath)
	if err != nil {
		return err
	}
	defer lock.Release()

	platforms := map[string]*digest.Platform{}
	var chat *console.Console
	if *hook != "" {
		platforms["webhook"] = &digest.Platform{Sender: newWebhook(*hook), Workers: *workers, Rate: *rate, ChatInterval: *chatInterval}
	}
	if len(platforms) == 0 && !tgFlags.enabled() && !*wxFlags.enabled {
		chat = &console.Console{In: env.Stdin, Out: env.Stdout, Name: "operator", Prompt: isTerminal(env.Stdin)}
		platforms[console.Platform] = &digest.Platform{Sender: chat}
	}
	adminList := splitList(*admins)
	if chat != nil {
		adminList = append(adminList, chat.Key().String())
	}
	a, err := newApp(ctx, appOptions{path: *dbPath, topics: *topics, platforms: platforms, admins: adminList,
		limits: map[string]digest.Limits{wechat.Platform: wxFlags.limits()},
		spread: map[string]time.Duration{wechat.Platform: *wxFlags.spread}})
	if err != nil {
		return err
	}
	defer a.Close()
	bg, stop := context.WithCancel(ctx)
	defer stop()
	var tg *telegram.Transport
	if tgFlags.enabled() {
		if tg, err = tgFlags.connect(ctx, a); err != nil {
			return err
		}
		platforms[telegram.Platform] = telegramPlatform(tg)
	}
	var wx *wechat.Transport
	if *wxFlags.enabled {
		wx = wxFlags.transport(a, *dbPath, adminList, tg, env)
		// One send at a time: the transport spaces them.
		platforms[wechat.Platform] = &digest.Platform{Sender: wx, Workers: 1}
	}
	a.deliverTo(platforms)
	waitBackground := a.background(bg, *every)
	waitIngest := func() {}
	if *poll > 0 {
		waitIngest = a.pollSources(bg, *siteURL, splitList(*categories), *poll)
	}
	slog.Info("Serving", slog.String("db", *dbPath), slog.String("platforms", platformNames(platforms)))
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
		err = tgFlags.run(ctx, tg)
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
	waitIngest()
	waitBackground()
	return err
}

// pollSources ingests the site's categories now and then every interval.
func (a *app) pollSources(ctx context.Context, site string, categories []string, every time.Duration) func() {
	fetcher := source.NewFetcher(source.FetcherOptions{Client: &http.Client{}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			for _, c := range categories {
				src := &source.Site{BaseURL: site, Category: c, Fetcher: fetcher}
				rep, err := a.articles.Ingest(ctx, src, articles.IngestOptions{})
				for _, r := range rep.Rejections {
					slog.Warn("Rejected post", slog.String("source", rep.Source), slog.Any("error", r))
				}
				if err != nil && ctx.Err() == nil {
					slog.Warn("Unable to poll a source", slog.String("source", src.Name()), slog.Any("error", err))
				} else if rep.New+rep.Updated > 0 {
					slog.Info("Ingested", slog.String("source", rep.Source), slog.Int("new", rep.New), slog.Int("updated", rep.Updated))
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}

// sendAll delivers due parts until none is left that is due now.
func sendAll(ctx context.Context, env *Env, a *app) error {
	lock, err := digest.AcquireLock(a.path)
	if err != nil {
		return err
	}
	defer lock.Release()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- a.deliverer.Run(ctx) }()
	defer func() { stop(); <-done }()
	for {
		due, err := digest.Due(ctx, a.db.DB, time.Now())
		if err != nil {
			return err
		}
		if due == 0 {
			backlog, err := digest.Backlog(ctx, a.db.DB)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "outbox: %d sent, %d pending (waiting to retry), %d dead\n", backlog["sent"], backlog["pending"], backlog["dead"])
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func newWebhook(url string) bot.Sender {
	return webhook.New(webhook.Options{URL: url})
}

func platformNames(p map[string]*digest.Platform) string {
	var names []string
	for n := range p {
		names = append(names, n)
	}
	return strings.Join(names, ",")
}
