package app

import "time"

// Settings is everything an operator sets for serve, as one typed value.
// internal/cli fills it from its options table (flags, environment, the
// config file, defaults), the only place where the settings' keys are
// spelled; tests and benchmarks fill it directly.
type Settings struct {
	DB     string // the SQLite file
	Log    LogSettings
	Admins []string // platform:user-id
	// HTTP is the admin listener: /healthz, /readyz, /metrics.
	HTTP HTTPSettings
	// Web is the reader's web, a public listener of its own.
	Web      WebSettings
	Site     SiteSettings
	Topics   string // --topics: a table file to put in force, "builtin", or "" to keep the one in force
	Articles ArticleSettings
	// ScheduleEvery is how often due digests are looked for.
	ScheduleEvery time.Duration
	Webhook       WebhookSettings
	Telegram      TelegramSettings
	WeChat        WeChatSettings
	// OfficialAccount is the WeChat Official Account (公众号).
	OfficialAccount OfficialAccountSettings
}

// LogSettings say how serve logs.
type LogSettings struct {
	Format string // text or json
	Level  string // debug, info, warn or error
}

// HTTPSettings place the admin listener.
type HTTPSettings struct {
	Listen string // host:port; "" turns it off
	Public bool   // a non-loopback address is allowed
}

// WebSettings place the reader's web.
type WebSettings struct {
	Listen string // host:port; "" turns it off
	// BaseURL is where readers reach it; when set, the links the bot
	// sends open our article page instead of the site's.
	BaseURL string
	Index   bool // search engines may index article and tag pages
	// LinkKey signs the links of digest pages; "" keeps a random one
	// beside the database (DB.web-key, 0600).
	LinkKey string
}

// SiteSettings say what to poll.
type SiteSettings struct {
	URL        string
	Categories []string
	MaxPosts   int           // post pages fetched per category page and poll
	Poll       time.Duration // 0: no polling
	StaleAfter time.Duration // admins hear of a source quiet this long; 0: never
}

// ArticleSettings keep the archive in shape.
type ArticleSettings struct {
	Keep          time.Duration // articles older are pruned; 0 keeps all
	OptimizeEvery time.Duration // how often to prune and optimise the index
}

// WebhookSettings turn on delivery to a webhook.
type WebhookSettings struct {
	URL          string // a secret; "" turns it off
	Workers      int
	Rate         float64 // messages a second at most; 0: no limit
	ChatInterval time.Duration
	// Window is the receiver's conversation window (digest.Window): a
	// chat gets digests only this long after its reader last wrote, and
	// at most WindowMessages of them (0: no count). 0: no window.
	Window         time.Duration
	WindowMessages int
}

// TelegramSettings turn on Telegram.
type TelegramSettings struct {
	Token         string // a secret; "" turns Telegram off
	API           string // the Bot API's base URL
	Webhook       string // a secret: receive updates here instead of polling
	WebhookSecret string // a secret; "" makes a random one at each start
	Listen        string // where the webhook listens
}

// WeChatSettings turn on the personal WeChat account.
type WeChatSettings struct {
	Enabled       bool
	Session       string // "" : beside the database
	QR            string // "" : beside the database
	Endpoint      string // "" : the real web-WeChat hosts
	Prefix        string
	AcceptFriends bool
	MaxLength     int
	Gap, Jitter   time.Duration
	ReplyGap      time.Duration
	DailyCap      int
	Spread        time.Duration
}

// OfficialAccountSettings turn on the WeChat Official Account: the bot
// serves the account's server URL at Listen and Path.
type OfficialAccountSettings struct {
	AppID     string // "" turns the Official Account off
	AppSecret string // a secret
	Token     string // a secret: the server token WeChat signs pushes with
	AESKey    string // a secret: the EncodingAESKey of safe mode; "" for plaintext
	Listen    string // host:port the server URL is served on (behind your TLS proxy)
	Path      string // the server URL's path
	API       string // the API's base URL
	// ReplyDeadline is how long a push waits for its answer before it goes
	// out as a customer-service message.
	ReplyDeadline time.Duration
}
