package cli

import (
	"fmt"
	"strings"
	"time"

	"wzdaily/articles/source"
	"wzdaily/bot/officialaccount"
	"wzdaily/bot/telegram"
	"wzdaily/bot/wechat"
	"wzdaily/internal/app"
	"wzdaily/internal/config"
)

// serveOptions is every setting of serve, in one table: a flag beats the
// environment, which beats the config file (--config, WZDAILY_CONFIG),
// which beats the default. `wzdaily config check` prints the result.
func serveOptions() []config.Option {
	s, i, b, d, l := config.String, config.Int, config.Bool, config.Duration, config.List
	return []config.Option{
		{Key: "db", Flag: "db", Env: "WZDAILY_DB", Kind: s, Default: "wzdaily.db", Help: "the SQLite database file"},
		{Key: "log.format", Flag: "log-format", Env: "WZDAILY_LOG_FORMAT", Kind: s, Default: "text", Help: "log as text or json",
			Check: config.OneOf("text", "json")},
		{Key: "log.level", Flag: "log-level", Env: "WZDAILY_LOG_LEVEL", Kind: s, Default: "info", Help: "debug, info, warn or error",
			Check: config.OneOf("debug", "info", "warn", "error")},
		{Key: "admins", Flag: "admin", Env: "WZDAILY_ADMINS", Kind: l, Help: "admins for /stats, /sources, /health and alerts: platform:user-id (telegram:12345, wechat:wzd-abcd)",
			Check: adminList},
		{Key: "http.listen", Flag: "http", Env: "WZDAILY_HTTP", Kind: s, Help: "serve /healthz, /readyz and /metrics on this loopback address (e.g. 127.0.0.1:9090); empty: off",
			Check: config.HostPort()},
		{Key: "http.public", Flag: "http-public", Env: "WZDAILY_HTTP_PUBLIC", Kind: b, Default: "false", Help: "allow a non-loopback address for the health listener (inside a container)"},

		{Key: "web.listen", Flag: "web", Env: "WZDAILY_WEB", Kind: s, Check: config.HostPort(),
			Help: "serve the reader's web (article, tag and search pages, Atom feeds) on this address, e.g. 127.0.0.1:8080 behind your TLS proxy; empty: off"},
		{Key: "web.base_url", Flag: "web-base-url", Env: "WZDAILY_WEB_BASE_URL", Kind: s, Check: config.URL("http", "https"),
			Help: "where readers reach the reader's web, e.g. https://news.example.org: links the bot sends then open our article page; empty: they open the site's page, gone after three days"},
		{Key: "web.index", Flag: "web-index", Env: "WZDAILY_WEB_INDEX", Kind: b, Default: "false", Help: "let search engines index article and tag pages (robots.txt keeps search and digest pages out always)"},

		{Key: "web.link_key", Env: "WZDAILY_WEB_LINK_KEY", Kind: s, Secret: true,
			Help: "signs the links of digest pages, 64 characters or more; empty: a random key kept beside the database (DB.web-key, 0600) (also WZDAILY_WEB_LINK_KEY_FILE)"},

		{Key: "site.url", Flag: "site", Env: "WZDAILY_SITE", Kind: s, Default: DefaultSite, Help: "the site to poll", Check: config.URL("http", "https")},
		{Key: "site.categories", Flag: "category", Env: "WZDAILY_CATEGORIES", Kind: l, Default: DefaultCategory, Help: "categories to poll"},
		{Key: "site.max_posts", Flag: "max-posts", Env: "WZDAILY_MAX_POSTS", Kind: i, Default: fmt.Sprint(source.DefaultMaxPosts),
			Help: "post pages fetched from one category page per poll at most; the rest come in the next polls", Check: config.Between(1, 100000)},
		{Key: "site.poll", Flag: "poll", Env: "WZDAILY_POLL", Kind: d, Default: "10m", Help: "how often to poll the site; 0 turns polling off"},
		{Key: "site.stale_after", Flag: "stale-after", Env: "WZDAILY_STALE_AFTER", Kind: d, Default: "48h", Help: "tell the admins when a source has had nothing new for this long; 0: never",
			Check: zeroOrAtLeast(time.Hour)},
		{Key: "topics", Flag: "topics", Env: "WZDAILY_TOPICS", Kind: s,
			Help: `a topic table file to put in force; it is stored in the database, so later runs without it (and a cron ingest) keep it; "builtin" goes back to the built-in table`},
		{Key: "articles.keep", Flag: "keep-articles", Env: "WZDAILY_KEEP_ARTICLES", Kind: d, Default: "0", Help: "delete articles published longer ago than this (e.g. 730d); 0 keeps them all",
			Check: zeroOrAtLeast(24 * time.Hour)},
		{Key: "articles.optimize_every", Flag: "optimize-every", Env: "WZDAILY_OPTIMIZE_EVERY", Kind: d, Default: "24h", Help: "how often to prune and optimise the search index",
			Check: config.AtLeast(time.Hour)},
		{Key: "schedule.every", Flag: "schedule-every", Env: "WZDAILY_SCHEDULE_EVERY", Kind: d, Default: "30s", Help: "how often to look for due digests",
			Check: config.AtLeast(time.Second)},

		{Key: "webhook.url", Env: "WZDAILY_WEBHOOK", Kind: s, Secret: true, Check: config.URL("http", "https"),
			Help: `deliver to this webhook URL (platform "webhook"); a secret, as it may carry a password or a token (also WZDAILY_WEBHOOK_FILE)`},
		{Key: "webhook.workers", Flag: "workers", Env: "WZDAILY_WEBHOOK_WORKERS", Kind: i, Default: "8", Help: "webhook: sends in flight at once (a crash can repeat at most this many parts)",
			Check: config.Between(1, 64)},
		{Key: "webhook.rate", Flag: "rate", Env: "WZDAILY_WEBHOOK_RATE", Kind: i, Default: "0", Help: "webhook: messages per second at most, 0 for no limit", Check: config.Between(0, 10000)},
		{Key: "webhook.chat_interval", Flag: "chat-interval", Env: "WZDAILY_WEBHOOK_CHAT_INTERVAL", Kind: d, Default: "0", Help: "webhook: least time between two messages to one chat"},
		{Key: "webhook.window", Flag: "window", Env: "WZDAILY_WEBHOOK_WINDOW", Kind: d, Default: "0",
			Help:  "webhook: the receiver's conversation window (a relay to WeCom's customer service, say): a chat gets digests only this long after its reader last wrote, and the rest wait for the reader; 0: none",
			Check: zeroOrAtLeast(time.Minute)},
		{Key: "webhook.window_messages", Flag: "window-messages", Env: "WZDAILY_WEBHOOK_WINDOW_MESSAGES", Kind: i, Default: "0",
			Help: "webhook: with webhook.window, how many messages a chat may get per message of its reader; 0: no count", Check: config.Between(0, 100000)},

		{Key: "telegram.token", Env: "TELEGRAM_BOT_TOKEN", Kind: s, Secret: true, Help: "the bot token from @BotFather; a token turns Telegram on (also TELEGRAM_BOT_TOKEN_FILE)"},
		{Key: "telegram.api", Flag: "telegram-api", Env: "TELEGRAM_API_ENDPOINT", Kind: s, Default: telegram.DefaultEndpoint, Help: "the Bot API base URL, e.g. that of go run ./cmd/fake-telegram",
			Check: config.URL("http", "https")},
		{Key: "telegram.webhook", Env: "TELEGRAM_WEBHOOK", Kind: s, Secret: true, Check: config.URL("https"),
			Help: "receive updates at this https URL instead of polling; its path is a secret (also TELEGRAM_WEBHOOK_FILE)"},
		{Key: "telegram.webhook_secret", Env: "TELEGRAM_WEBHOOK_SECRET", Kind: s, Secret: true, Check: webhookSecret,
			Help: "with telegram.webhook: the secret Telegram sends with each update, 1-256 of A-Z a-z 0-9 _ -; empty: a random one at each start (also TELEGRAM_WEBHOOK_SECRET_FILE)"},
		{Key: "telegram.listen", Flag: "telegram-listen", Env: "TELEGRAM_LISTEN", Kind: s, Default: "127.0.0.1:8443", Help: "with telegram.webhook: where to listen (behind your TLS proxy)",
			Check: config.HostPort()},

		{Key: "wechat.enabled", Flag: "wechat", Env: "WECHAT_ENABLED", Kind: b, Default: "false", Help: "log in to WeChat (a QR code to scan the first time) and serve there"},
		{Key: "wechat.session", Flag: "wechat-session", Env: "WECHAT_SESSION", Kind: s, Help: "the session file, written 0600 (default: DB.wechat-session)"},
		{Key: "wechat.qr", Flag: "wechat-qr", Env: "WECHAT_QR", Kind: s, Help: "where the login QR code is written as a PNG (default: DB.wechat-qr.png)"},
		{Key: "wechat.endpoint", Flag: "wechat-endpoint", Env: "WECHAT_ENDPOINT", Kind: s, Help: "send all web-WeChat traffic to this base URL, e.g. that of go run ./cmd/fake-wechat",
			Check: config.URL("http", "https")},
		{Key: "wechat.prefix", Flag: "wechat-prefix", Env: "WECHAT_PREFIX", Kind: s, Default: "/", Help: "in groups, a message starting with this is a command even without an @-mention"},
		{Key: "wechat.accept_friends", Flag: "wechat-accept-friends", Env: "WECHAT_ACCEPT_FRIENDS", Kind: b, Default: "false", Help: "accept friend requests at once"},
		{Key: "wechat.max_length", Flag: "wechat-max-length", Env: "WECHAT_MAX_LENGTH", Kind: i, Default: fmt.Sprint(wechat.DefaultMaxLength),
			Help: "characters a message carries at most; longer digests are split", Check: config.Between(200, 10000)},
		{Key: "wechat.gap", Flag: "wechat-gap", Env: "WECHAT_GAP", Kind: d, Default: "5s", Help: "least time between two digest messages", Check: config.AtLeast(100 * time.Millisecond)},
		{Key: "wechat.jitter", Flag: "wechat-jitter", Env: "WECHAT_JITTER", Kind: d, Default: "5s", Help: "up to this much more between two messages, at random"},
		{Key: "wechat.reply_gap", Flag: "wechat-reply-gap", Env: "WECHAT_REPLY_GAP", Kind: d, Default: "1s", Help: "least time before a reply", Check: config.AtLeast(100 * time.Millisecond)},
		{Key: "wechat.daily_cap", Flag: "wechat-daily-cap", Env: "WECHAT_DAILY_CAP", Kind: i, Default: "500", Help: "messages a day at most; the rest wait for the next day",
			Check: config.Between(1, 100000)},
		{Key: "wechat.spread", Flag: "wechat-spread", Env: "WECHAT_SPREAD", Kind: d, Default: "1h", Help: "each chat's digest comes at a fixed offset within this window after its time (at most 12h)",
			Check: atMost(12 * time.Hour)},

		{Key: "officialaccount.app_id", Flag: "oa-app-id", Env: "WECHAT_OA_APP_ID", Kind: s,
			Help: "the Official Account's AppID (开发者ID); an AppID turns the Official Account on"},
		{Key: "officialaccount.app_secret", Env: "WECHAT_OA_APP_SECRET", Kind: s, Secret: true,
			Help: "the Official Account's AppSecret (开发者密码) (also WECHAT_OA_APP_SECRET_FILE)"},
		{Key: "officialaccount.token", Env: "WECHAT_OA_TOKEN", Kind: s, Secret: true,
			Help: "the server token (令牌) set on the account's page; WeChat signs every push with it (also WECHAT_OA_TOKEN_FILE)"},
		{Key: "officialaccount.aes_key", Env: "WECHAT_OA_AES_KEY", Kind: s, Secret: true, Check: aesKey,
			Help: "the EncodingAESKey (消息加解密密钥) for safe mode; empty for plaintext mode (also WECHAT_OA_AES_KEY_FILE)"},
		{Key: "officialaccount.listen", Flag: "oa-listen", Env: "WECHAT_OA_LISTEN", Kind: s, Default: "127.0.0.1:8084",
			Help: "where the account's server URL is served (behind your TLS proxy; WeChat calls ports 80 and 443)", Check: config.HostPort()},
		{Key: "officialaccount.path", Flag: "oa-path", Env: "WECHAT_OA_PATH", Kind: s, Default: "/wechat",
			Help: "the server URL's path, as set on the account's page", Check: urlPath},
		{Key: "officialaccount.api", Flag: "oa-api", Env: "WECHAT_OA_API", Kind: s, Default: officialaccount.DefaultAPI,
			Help: "the API's base URL, e.g. that of a fake", Check: config.URL("http", "https")},
		{Key: "officialaccount.reply_deadline", Flag: "oa-reply-deadline", Env: "WECHAT_OA_REPLY_DEADLINE", Kind: d,
			Default: officialaccount.DefaultReplyDeadline.String(), Check: replyDeadline,
			Help: "how long a message waits for its answer before it comes as a customer-service message instead (WeChat waits 5s)"},
	}
}

// getter is what settings reads of a resolved *config.Set.
type getter interface{ Get(key string) config.Value }

// adminList checks entries look like platform:user-id.
func adminList(v config.Value) error {
	for _, a := range v.List() {
		p, id, ok := strings.Cut(a, ":")
		if !ok || id == "" || (p != telegram.Platform && p != wechat.Platform && p != officialaccount.Platform && p != "console" && p != "webhook") {
			return fmt.Errorf("%q: write each admin as platform:user-id, e.g. telegram:12345 or wechat:wzd-abcd", a)
		}
	}
	return nil
}

// aesKey checks an EncodingAESKey's shape, so a bad one is named at start.
func aesKey(v config.Value) error { return officialaccount.CheckAESKey(v.String()) }

func urlPath(v config.Value) error {
	if !strings.HasPrefix(v.String(), "/") || strings.ContainsAny(v.String(), "?# ") {
		return fmt.Errorf("%q: write a path such as /wechat", v.String())
	}
	return nil
}

// replyDeadline keeps the deadline inside WeChat's five seconds, with room
// for the network.
func replyDeadline(v config.Value) error {
	if d := v.Duration(); d < 500*time.Millisecond || d > 4800*time.Millisecond {
		return fmt.Errorf("must be between 0.5s and 4.8s: WeChat waits 5s")
	}
	return nil
}

func zeroOrAtLeast(least time.Duration) func(config.Value) error {
	return func(v config.Value) error {
		if d := v.Duration(); d != 0 && d < least {
			return fmt.Errorf("must be 0 (off) or at least %s", least)
		}
		return nil
	}
}

func atMost(most time.Duration) func(config.Value) error {
	return func(v config.Value) error {
		if d := v.Duration(); d < 0 || d > most {
			return fmt.Errorf("must be between 0 and %s", most)
		}
		return nil
	}
}

// settings is the one place where the settings' keys are read: the
// resolved options table becomes serve's typed settings.
func settings(cfg getter) app.Settings {
	str := func(k string) string { return cfg.Get(k).String() }
	num := func(k string) int { return cfg.Get(k).Int() }
	dur := func(k string) time.Duration { return cfg.Get(k).Duration() }
	on := func(k string) bool { return cfg.Get(k).Bool() }
	return app.Settings{
		DB:     str("db"),
		Log:    app.LogSettings{Format: str("log.format"), Level: str("log.level")},
		Admins: cfg.Get("admins").List(),
		HTTP:   app.HTTPSettings{Listen: str("http.listen"), Public: on("http.public")},
		Web:    app.WebSettings{Listen: str("web.listen"), BaseURL: str("web.base_url"), Index: on("web.index"), LinkKey: str("web.link_key")},
		Site: app.SiteSettings{URL: str("site.url"), Categories: cfg.Get("site.categories").List(), MaxPosts: num("site.max_posts"),
			Poll: dur("site.poll"), StaleAfter: dur("site.stale_after")},
		Topics:        str("topics"),
		Articles:      app.ArticleSettings{Keep: dur("articles.keep"), OptimizeEvery: dur("articles.optimize_every")},
		ScheduleEvery: dur("schedule.every"),
		Webhook: app.WebhookSettings{URL: str("webhook.url"), Workers: num("webhook.workers"), Rate: float64(num("webhook.rate")),
			ChatInterval: dur("webhook.chat_interval"), Window: dur("webhook.window"), WindowMessages: num("webhook.window_messages")},
		Telegram: app.TelegramSettings{Token: str("telegram.token"), API: str("telegram.api"), Webhook: str("telegram.webhook"),
			WebhookSecret: str("telegram.webhook_secret"), Listen: str("telegram.listen")},
		WeChat: app.WeChatSettings{Enabled: on("wechat.enabled"), Session: str("wechat.session"), QR: str("wechat.qr"),
			Endpoint: str("wechat.endpoint"), Prefix: str("wechat.prefix"), AcceptFriends: on("wechat.accept_friends"),
			MaxLength: num("wechat.max_length"), Gap: dur("wechat.gap"), Jitter: dur("wechat.jitter"), ReplyGap: dur("wechat.reply_gap"),
			DailyCap: num("wechat.daily_cap"), Spread: dur("wechat.spread")},
		OfficialAccount: app.OfficialAccountSettings{AppID: str("officialaccount.app_id"), AppSecret: str("officialaccount.app_secret"),
			Token: str("officialaccount.token"), AESKey: str("officialaccount.aes_key"), Listen: str("officialaccount.listen"),
			Path: str("officialaccount.path"), API: str("officialaccount.api"), ReplyDeadline: dur("officialaccount.reply_deadline")},
	}
}
