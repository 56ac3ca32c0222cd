package app

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot/telegram"
	"wzdaily/internal/health"
)

// Run serves until ctx ends: it composes digests when they are due and
// delivers them, polls the site, keeps the archive in shape, answers the
// admin listener, and runs the transports. With a console it chats there
// and returns when the chat ends. version goes into the site poll's
// User-Agent.
func (a *App) Run(ctx context.Context, version string) error {
	s := a.Settings
	// The reader's web is public: an address it cannot have is an error
	// at start, not a log line later.
	ln, err := a.ListenWeb()
	if err != nil {
		return err
	}
	var serveOA func(context.Context) error
	if a.OfficialAccount != nil {
		if _, serveOA, err = a.listenOfficialAccount(); err != nil {
			if ln != nil {
				ln.Close()
			}
			return err
		}
	}
	bg, stop := context.WithCancel(ctx)
	defer stop()
	waits := []func(){a.Background(bg, s.ScheduleEvery), a.ServeWeb(bg, ln)}
	if s.Site.Poll > 0 {
		watch := &staleWatch{after: s.Site.StaleAfter, now: time.Now, alert: a.Alert}
		waits = append(waits, a.pollSources(bg, version, watch))
	}
	waits = append(waits, a.maintain(bg))
	if s.HTTP.Listen != "" {
		waits = append(waits, goWait(func() {
			if err := health.Serve(bg, s.HTTP.Listen, health.Handler(a.Health, a.Metrics.Registry), s.HTTP.Public); err != nil {
				slog.Error("Health listener stopped", slog.Any("error", err))
			}
		}))
	}
	slog.Info("Serving", slog.String("db", s.DB), slog.String("platforms", a.Platforms()))
	var wxDone chan error
	if a.WeChat != nil {
		wxDone = make(chan error, 1)
		go func() { wxDone <- a.WeChat.Run(ctx) }()
	}
	var oaDone chan error
	if serveOA != nil {
		oaDone = make(chan error, 1)
		go func() { oaDone <- serveOA(ctx) }()
	}
	switch {
	case a.Console != nil:
		err = a.Console.Run(ctx)
	case a.Telegram != nil:
		err = a.runTelegram(ctx)
	case oaDone != nil:
		// The Official Account alone: serve ends when its listener does.
		select {
		case <-ctx.Done():
		case err = <-oaDone:
			oaDone = nil
		}
	default:
		<-ctx.Done()
	}
	if wxDone != nil {
		if werr := <-wxDone; err == nil {
			err = werr
		}
	}
	if oaDone != nil {
		if oerr := <-oaDone; err == nil {
			err = oerr
		}
	}
	slog.Info("Stopping")
	stop()
	for _, wait := range waits {
		wait()
	}
	return err
}

// runTelegram receives updates by webhook when one is configured, else by
// long polling.
func (a *App) runTelegram(ctx context.Context) error {
	s := a.Settings.Telegram
	if s.Webhook != "" {
		return a.Telegram.RunWebhook(ctx, telegram.WebhookOptions{URL: s.Webhook, Listen: s.Listen, Secret: s.WebhookSecret})
	}
	return a.Telegram.Run(ctx)
}

// Background runs the scheduler and the deliverer until ctx ends, and
// returns a function that waits for both to stop.
func (a *App) Background(ctx context.Context, every time.Duration) func() {
	if every <= 0 {
		every = 30 * time.Second
	}
	delivery := goWait(func() {
		if err := a.Deliverer.Run(ctx); err != nil {
			slog.Error("Delivery stopped", slog.Any("error", err))
		}
	})
	schedule := repeat(ctx, every, func() {
		rep, err := a.Engine.RunDue(ctx)
		if err != nil && ctx.Err() == nil {
			slog.Error("Unable to compose due digests", slog.Any("error", err))
		}
		if rep.Digests > 0 {
			slog.Info("Composed digests", slog.Int("digests", rep.Digests), slog.Int("parts", rep.Parts))
			a.Deliverer.Wake()
		}
	})
	return func() { schedule(); delivery() }
}

// maintain prunes articles older than Articles.Keep (0 keeps all) and
// optimises the search index, now and then every Articles.OptimizeEvery,
// so months of running keep the database small and searches fast.
func (a *App) maintain(ctx context.Context) func() {
	keep, every := a.Settings.Articles.Keep, a.Settings.Articles.OptimizeEvery
	if every <= 0 {
		every = 24 * time.Hour
	}
	return repeat(ctx, every, func() {
		if keep > 0 {
			n, err := a.Articles.Prune(ctx, a.now().Add(-keep))
			if err != nil && ctx.Err() == nil {
				slog.Error("Unable to prune old articles", slog.Any("error", err))
			} else if n > 0 {
				slog.Info("Pruned old articles", slog.Int("articles", n))
			}
		}
		if err := a.Articles.Optimize(ctx); err != nil && ctx.Err() == nil {
			slog.Error("Unable to optimise the search index", slog.Any("error", err))
		}
	})
}

// pollSources ingests the site's categories now and then every
// Site.Poll, counting what came in and watching for sources gone quiet.
func (a *App) pollSources(ctx context.Context, version string, watch *staleWatch) func() {
	s := a.Settings.Site
	fetcher := source.NewFetcher(source.FetcherOptions{Client: &http.Client{}, Version: version})
	return repeat(ctx, s.Poll, func() {
		for _, c := range s.Categories {
			src := &source.Site{BaseURL: s.URL, Category: c, Fetcher: fetcher, MaxPosts: s.MaxPosts}
			rep, err := a.Articles.Ingest(ctx, src, articles.IngestOptions{})
			if ctx.Err() != nil {
				return
			}
			a.Metrics.Ingested(rep, err, time.Now())
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
			if sources, err := a.Articles.Sources(ctx); err == nil {
				watch.check(ctx, sources)
			}
		}
	})
}

// repeat runs job now and then every interval until ctx ends, in a
// goroutine, and returns a function that waits for it to stop.
func repeat(ctx context.Context, every time.Duration, job func()) func() {
	return goWait(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for ctx.Err() == nil {
			job()
			select {
			case <-ctx.Done():
			case <-t.C:
			}
		}
	})
}

// goWait runs fn in a goroutine and returns a function that waits for it.
func goWait(fn func()) func() {
	var wg sync.WaitGroup
	wg.Go(fn)
	return wg.Wait
}
