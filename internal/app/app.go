// Package app is the composition root: it wires the product together over
// one database (the stores, the digest schedule, engine and deliverer, the
// conversation, health and metrics) and the transports the settings turn
// on. The CLI, the end-to-end tests and the benchmarks all build the bot
// here, so they run the same wiring and a new option is added once.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"wzdaily/articles"
	"wzdaily/bot"
	"wzdaily/bot/console"
	"wzdaily/bot/officialaccount"
	"wzdaily/bot/telegram"
	"wzdaily/bot/wechat"
	"wzdaily/digest"
	"wzdaily/internal/db"
	"wzdaily/internal/health"
	"wzdaily/internal/metrics"
	"wzdaily/subscribers"
	"wzdaily/web"
)

// Options say what to build.
type Options struct {
	Settings Settings
	// Access is what may be done to the database file: the zero value
	// creates or migrates it, as serve, demo and ingest do.
	Access db.Access
	// DB, when set, is an open database to build on instead of opening
	// Settings.DB; the App does not close it.
	DB  *db.DB
	Now func() time.Time // default time.Now
	// Console, when set, is the terminal chat: it becomes a platform, its
	// chat an admin, and Run talks through it.
	Console *console.Console
	// Out receives what an operator must see at once, such as WeChat's
	// login QR code.
	Out io.Writer
	// Tune adjusts the options the settings made, before anything is
	// built: tests shrink waits and limits here and still run the
	// production wiring.
	Tune Tune
}

// Tune holds the adjustments of Options.Tune; each may be nil.
type Tune struct {
	Telegram        func(*telegram.Options)
	WeChat          func(*wechat.Options)
	OfficialAccount func(*officialaccount.Options)
	Delivery        func(*digest.DelivererOptions)
}

// App is the whole bot.
type App struct {
	Settings    Settings
	DB          *db.DB
	Articles    *articles.Store
	Subscribers *subscribers.Store
	Schedule    *digest.Schedule
	Engine      *digest.Engine
	Deliverer   *digest.Deliverer
	Outbox      *digest.Outbox
	Bot         *bot.Bot
	Health      *health.Checker
	Metrics     *metrics.Metrics
	// Web is the reader's web, when web.listen is set; Run serves it.
	Web *web.Server
	// The transports that are on; nil when off.
	Console         *console.Console
	Telegram        *telegram.Transport
	WeChat          *wechat.Transport
	OfficialAccount *officialaccount.Transport

	now      func() time.Time
	ownsDB   bool
	platform []string // the platforms delivered to, for the log
}

// New builds the bot. With a Telegram token it connects to the Bot API
// (getMe), so ctx bounds that.
func New(ctx context.Context, o Options) (*App, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	a := &App{Settings: o.Settings, now: o.Now, Metrics: metrics.New(), Console: o.Console}
	topics, err := ReadTopics(o.Settings.Topics)
	if err != nil {
		return nil, err
	}
	a.DB = o.DB
	if a.DB == nil {
		if a.DB, err = Open(ctx, o.Settings.DB, o.Access); err != nil {
			return nil, err
		}
		a.ownsDB = true
		if ups := a.DB.Upgrades(); len(ups) > 0 && !a.DB.Created() {
			slog.Info("Migrated the database", slog.String("db", o.Settings.DB), slog.String("schemas", DescribeUpgrades(ups)))
		}
	}
	if err := a.build(ctx, o, topics); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context, o Options, topics *TopicChoice) error {
	s := o.Settings
	a.Articles = articles.NewStore(a.DB, articles.StoreOptions{Now: o.Now})
	if err := topics.Use(ctx, a.Articles, a.DB.ReadOnly()); err != nil {
		return err
	}
	a.Schedule = digest.NewSchedule(digest.ScheduleOptions{Articles: a.Articles, Now: o.Now,
		Spread: map[string]time.Duration{wechat.Platform: s.WeChat.Spread}})
	a.Subscribers = subscribers.NewStore(a.DB, subscribers.Options{Now: o.Now, OnChange: a.Schedule.Changed})
	link, err := a.reader(s.Web, s.DB, o.Now)
	if err != nil {
		return err
	}
	a.Engine = digest.New(digest.Options{DB: a.DB, Articles: a.Articles, Subscribers: a.Subscribers, Schedule: a.Schedule,
		Limits: messageLimits(s), Link: link.article, DigestLink: link.digest})
	do := digest.DelivererOptions{DB: a.DB, Engine: a.Engine, Subscribers: a.Subscribers, Now: o.Now}
	if o.Tune.Delivery != nil {
		o.Tune.Delivery(&do)
	}
	a.Deliverer = digest.NewDeliverer(do)
	a.Outbox = digest.NewOutbox(a.DB)
	a.Health = &health.Checker{DB: a.DB, Articles: a.Articles, StaleAfter: s.Site.StaleAfter, Delivery: a.Deliverer,
		Transports: map[string]health.Transport{}}
	a.Metrics.Digests(a.Engine.Composed)
	a.Metrics.Delivery(a.Deliverer.Counts)
	a.Metrics.Windows(a.Deliverer.WindowCounts)

	admins := s.Admins
	if o.Console != nil {
		admins = append(admins, o.Console.Key().String())
	}
	a.Bot = bot.New(bot.Options{Articles: a.Articles, Subscribers: a.Subscribers, Digests: a.Engine, Delivery: a.Deliverer,
		Outbox: a.Outbox, Health: a.Health, Admins: admins, Now: o.Now, Observe: a.Metrics.Observe, StartLink: a.startLink, Link: link.article})
	return a.connect(ctx, o)
}

// startLink is Telegram's link that starts the bot with a code, once the
// transport is connected (before any update is handled), or "" without
// Telegram.
func (a *App) startLink(code string) string {
	if a.Telegram == nil {
		return ""
	}
	return a.Telegram.StartLink(code)
}

// Close closes the database, if the App opened it.
func (a *App) Close() error {
	if !a.ownsDB || a.DB == nil {
		return nil
	}
	return a.DB.Close()
}

// Heartbeat checks that the database takes a committed write: serve
// refuses to start otherwise, since no delivery could be recorded and every
// part would go out again.
func (a *App) Heartbeat(ctx context.Context) error {
	if err := a.DB.Heartbeat(ctx); err != nil {
		return fmt.Errorf("the database does not take a committed write, so no delivery could be recorded and every part would go out again: %w", err)
	}
	return nil
}

// messageLimits are each platform's message size, as its transport
// declares it.
func messageLimits(s Settings) map[string]digest.Limits {
	return map[string]digest.Limits{
		telegram.Platform: {MaxLength: telegram.MaxLength, Measure: telegram.Length},
		wechat.Platform:   {MaxLength: wechatMaxLength(s), Measure: wechat.Length},
		// In UTF-8 bytes: a Chinese character is three.
		officialaccount.Platform: {MaxLength: officialaccount.MaxBytes, Measure: officialaccount.Length},
	}
}
