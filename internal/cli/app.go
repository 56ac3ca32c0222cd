package cli

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"sync"
	"time"

	"wzdaily/articles"
	"wzdaily/bot"
	"wzdaily/bot/telegram"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/db"
	"wzdaily/internal/metrics"
	"wzdaily/subscribers"
)

// app is the whole product wired together over one database.
type app struct {
	path      string
	db        *db.DB
	articles  *articles.Store
	subs      *subscribers.Store
	engine    *digest.Engine
	deliverer *digest.Deliverer
	bot       *bot.Bot
	now       func() time.Time
	metrics   *metrics.Metrics // nil: not counted
}

// deliverTo sets the platforms digests go to. Transports that need the
// bot to exist first (Telegram answers with it) are added this way, before
// background starts.
func (a *app) deliverTo(platforms map[string]*digest.Platform) {
	a.deliverer = digest.NewDeliverer(digest.DelivererOptions{DB: a.db, Engine: a.engine, Subscribers: a.subs, Platforms: platforms, Now: a.now})
}

type appOptions struct {
	path string
	// access is what the command may do to the file; the zero value
	// creates or migrates it, as serve and demo do.
	access dbAccess
	// topics is --topics: a file whose table replaces the one in force,
	// "builtin" for the built-in table, "" to keep the table in force.
	topics    string
	platforms map[string]*digest.Platform
	limits    map[string]digest.Limits
	spread    map[string]time.Duration
	metrics   *metrics.Metrics
	health    func(ctx context.Context) (bot.HealthReport, error)
	admins    []string
	username  string
	now       func() time.Time
}

func newApp(ctx context.Context, o appOptions) (*app, error) {
	if o.now == nil {
		o.now = time.Now
	}
	choice, err := readTopicsFlag(o.topics)
	if err != nil {
		return nil, err
	}
	conn, err := openDB(ctx, o.path, o.access)
	if err != nil {
		return nil, err
	}
	if ups := conn.Upgrades(); len(ups) > 0 && !conn.Created() {
		slog.Info("Migrated the database", slog.String("db", o.path), slog.String("schemas", describeUpgrades(ups)))
	}
	a := &app{path: o.path, db: conn}
	a.articles = articles.NewStore(conn, articles.StoreOptions{Now: o.now})
	if err := useTopics(ctx, a.articles, choice); err != nil {
		conn.Close()
		return nil, err
	}
	a.subs = subscribers.NewStore(conn, o.now)
	limits := map[string]digest.Limits{telegram.Platform: {MaxLength: telegram.MaxLength, Measure: telegram.Length}}
	maps.Copy(limits, o.limits)
	a.engine = digest.New(digest.Options{DB: conn, Articles: a.articles, Subscribers: a.subs, Limits: limits, Spread: o.spread, Now: o.now})
	a.now = o.now
	a.metrics = o.metrics
	a.deliverTo(o.platforms)
	bo := bot.Options{Articles: a.articles, Subscribers: a.subs, Admins: o.admins, Username: o.username, Now: o.now,
		Digest: a.digestNow, DigestMore: a.engine.More, Outbox: a.outboxStats, Health: o.health,
		Reachable: func(ctx context.Context, sub *subscribers.Subscriber) error {
			return a.deliverer.Reachable(ctx, sub.ID)
		}}
	if a.metrics != nil {
		bo.Observe = a.metrics.Observe
	}
	a.bot = bot.New(bo)
	return a, nil
}

// digestNow answers /digest: the digest goes through the outbox like a
// scheduled one, and is sent before the command returns. The reader who
// asks is reachable, so parts held back by strikes go first; whatever
// cannot go at once (the platform asked to wait, a send failed) is said
// to be on its way, so the command never goes unanswered.
func (a *app) digestNow(ctx context.Context, sub *subscribers.Subscriber) ([]chat.Message, error) {
	if err := a.deliverer.Reachable(ctx, sub.ID); err != nil {
		return nil, err
	}
	if _, err := a.engine.Now(ctx, sub); err != nil {
		return nil, err
	}
	if a.metrics != nil {
		a.metrics.DigestsComposed.Inc()
	}
	if err := a.deliverer.Flush(ctx, sub.ID); err != nil && !errors.Is(err, digest.ErrPaused) {
		return nil, err
	}
	n, err := a.deliverer.Pending(ctx, sub.ID)
	if err != nil || n == 0 {
		return nil, err
	}
	return []chat.Message{digest.WaitingNotice(sub.Lang, n)}, nil
}

// background runs the scheduler and the deliverer until ctx ends, and
// returns a function that waits for both to stop.
func (a *app) background(ctx context.Context, every time.Duration) func() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := a.deliverer.Run(ctx); err != nil {
			slog.Error("Delivery stopped", slog.Any("error", err))
		}
	}()
	wait := repeat(ctx, every, func() {
		rep, err := a.engine.RunDue(ctx)
		if err != nil && ctx.Err() == nil {
			slog.Error("Unable to compose due digests", slog.Any("error", err))
		}
		if a.metrics != nil {
			a.metrics.DigestsComposed.Add(float64(rep.Digests))
		}
		if rep.Digests > 0 {
			slog.Info("Composed digests", slog.Int("digests", rep.Digests), slog.Int("parts", rep.Parts))
			a.deliverer.Wake()
		}
	})
	return func() { wait(); wg.Wait() }
}

// outboxStats answers /stats about the outbox.
func (a *app) outboxStats(ctx context.Context) (bot.OutboxStats, error) {
	outbox := digest.NewOutbox(a.db)
	backlog, err := outbox.Backlog(ctx)
	if err != nil {
		return bot.OutboxStats{}, err
	}
	now := time.Now()
	today, err := outbox.DigestsSince(ctx, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()))
	if err != nil {
		return bot.OutboxStats{}, err
	}
	return bot.OutboxStats{DigestsToday: today, Pending: backlog.Pending, Dead: backlog.Dead}, nil
}

// maintain prunes articles older than keep (0 keeps all) and optimises the
// search index, now and then every interval, so months of running keep
// the database small and searches fast.
func (a *app) maintain(ctx context.Context, keep, every time.Duration) func() {
	return repeat(ctx, every, func() {
		if keep > 0 {
			n, err := a.articles.Prune(ctx, a.now().Add(-keep))
			if err != nil && ctx.Err() == nil {
				slog.Error("Unable to prune old articles", slog.Any("error", err))
			} else if n > 0 {
				slog.Info("Pruned old articles", slog.Int("articles", n))
			}
		}
		if err := a.articles.Optimize(ctx); err != nil && ctx.Err() == nil {
			slog.Error("Unable to optimise the search index", slog.Any("error", err))
		}
	})
}

// repeat runs job now and then every interval until ctx ends, in a
// goroutine, and returns a function that waits for it to stop.
func repeat(ctx context.Context, every time.Duration, job func()) func() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for ctx.Err() == nil {
			job()
			select {
			case <-ctx.Done():
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}

func (a *app) Close() error { return a.db.Close() }
