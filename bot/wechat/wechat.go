// Package wechat is the WeChat transport, on openwechat v1.4.10 (the web
// WeChat protocol of a personal account): QR login then hot login from a
// stored session, commands from friends and groups, digests as plain text,
// and pacing against the bans that fast-sending accounts get.
//
// WeChat renames every friend at each login and no longer keeps the
// remark names bots gave them, so the transport keeps what it saw of each
// friend with their subscription and finds them again by it (roster.go);
// when it cannot tell who is who, their digests wait until they write.
//
// openwechat keeps its contact cache unguarded and runs the message
// handler on its polling goroutine. This package therefore touches that
// cache only on the polling goroutine, and sends by UserName alone.
package wechat

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// Platform names this transport in subscriber keys.
const Platform = "wechat"

// Conversation is what the transport needs of the bot; *bot.Bot is one.
type Conversation interface {
	chat.Handler
	ChatGone(ctx context.Context, chat chat.Key, state subscribers.State) error
	// ChatBack: the chat can hear the bot again, so what was held for it
	// goes out.
	ChatBack(ctx context.Context, chat chat.Key) error
}

// Identities is where the transport keeps what it saw of each friend,
// with their subscription, to find them after the next login;
// *subscribers.Store is one.
type Identities interface {
	Identities(ctx context.Context, platform string) ([]subscribers.Identity, error)
	SetIdentities(ctx context.Context, platform string, texts map[string]string) ([]string, error)
	Get(ctx context.Context, key chat.Key) (*subscribers.Subscriber, error)
}

// Options configure a Transport.
type Options struct {
	Bot         Conversation
	Subscribers Identities
	// SessionFile keeps the login (written 0600) so a restart needs no
	// scan. Empty: every start needs a scan.
	SessionFile string
	// QRFile receives the login QR code as a PNG; QROut gets it drawn as
	// text (a terminal), with the login's progress (scanned, confirmed,
	// expired). Either may be empty.
	QRFile string
	QROut  io.Writer
	// Endpoint sends all web-WeChat traffic to this base URL instead of
	// the real hosts, keeping the Host header: a fake, for a try.
	Endpoint string
	// Prefix marks a group message as a command without an @-mention,
	// e.g. "/" or "#"; default "/".
	Prefix string
	// Admins are friends (by their chat's key) who may change a group's
	// subscription: WeChat does not tell a bot who runs a group.
	Admins []string
	// AcceptFriends accepts friend requests at once.
	AcceptFriends bool
	// KeyPrefix starts the key of each new friend's chat; default "wzd-".
	// A friend whose remark name starts with it has that name as key: one
	// the account's owner gives on the phone (to name an admin, say), or
	// one an older version gave while WeChat kept them.
	KeyPrefix string
	// MaxLength is the most characters one message carries; default
	// DefaultMaxLength.
	MaxLength int
	// Pace is how sends are spaced; see Pace.
	Pace Pace
	// MaxUnresolved is how many sends to a friend or group that cannot be
	// found are retried, UnresolvedRetry apart, before the chat counts as
	// left; defaults 5 and 30 s.
	MaxUnresolved   int
	UnresolvedRetry time.Duration
	// OnSessionLost is told when the session ends by itself (logged out on
	// the phone, expired), so admins hear of it; the transport logs in
	// again either way.
	OnSessionLost func(ctx context.Context, reason error)
	// LoginWait is how long a send waits for a login in progress before it
	// gives the part back to the outbox; default 20 s: long enough for a
	// part to go out at once after a scan, short enough not to hold up a
	// shutdown, and tries few enough to keep the log readable while
	// nobody scans for hours.
	LoginWait time.Duration
	// RetryLogin is the wait before logging in again after a failure;
	// default 30 s.
	RetryLogin time.Duration
	Now        func() time.Time
}

// Transport is one WeChat account.
type Transport struct {
	opts  Options
	pace  *pacer
	queue chan inbound
	bg    sync.WaitGroup // writes of identities after a login; Run waits for them

	mu         sync.Mutex
	self       *openwechat.Self    // nil while logged out
	ready      chan struct{}       // closed while logged in with the contacts read
	roster     *roster             // the session's friends; nil while logged out
	groups     map[chat.Key]string // → the session's UserName
	unresolved map[chat.Key]int
	choices    chat.Choices // each chat's last numbered buttons
	state      State
	lastErr    error
	since      time.Time
}

// State is the login state, for health checks.
type State string

const (
	LoggedOut State = "logged out"
	LoggingIn State = "logging in" // waiting for a scan or a hot login
	LoggedIn  State = "logged in"
	Stopped   State = "stopped"
)

// ErrLoggedOut is the cause of a send refused while there is no session:
// the part waits in the outbox and goes out after the next login.
var ErrLoggedOut = errors.New("wechat: not logged in")

// New returns a transport; Run logs it in.
func New(opts Options) *Transport {
	if opts.Prefix == "" {
		opts.Prefix = "/"
	}
	if opts.KeyPrefix == "" {
		opts.KeyPrefix = "wzd-"
	}
	if opts.MaxLength <= 0 {
		opts.MaxLength = DefaultMaxLength
	}
	if opts.MaxUnresolved <= 0 {
		opts.MaxUnresolved = 5
	}
	if opts.UnresolvedRetry <= 0 {
		opts.UnresolvedRetry = 30 * time.Second
	}
	if opts.LoginWait <= 0 {
		opts.LoginWait = 20 * time.Second
	}
	if opts.RetryLogin <= 0 {
		opts.RetryLogin = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Transport{opts: opts, pace: newPacer(opts.Pace, opts.Now), queue: make(chan inbound, 256), ready: make(chan struct{}),
		groups: map[chat.Key]string{}, unresolved: map[chat.Key]int{}, state: LoggedOut}
}

// Status reports the login state, since when, and the last login error.
func (t *Transport) Status() (State, time.Time, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state, t.since, t.lastErr
}

// Name is the logged-in account's nickname, or "" while logged out.
func (t *Transport) Name() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.self == nil || t.self.User == nil {
		return ""
	}
	return t.self.NickName
}

func (t *Transport) setState(s State, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != s {
		t.since = t.opts.Now()
	}
	t.state, t.lastErr = s, err
}

// client returns the HTTP client transport for the library: the real
// hosts, or everything rewritten to Endpoint.
func (t *Transport) roundTripper() (http.RoundTripper, error) {
	if t.opts.Endpoint == "" {
		return http.DefaultTransport, nil
	}
	u, err := url.Parse(t.opts.Endpoint)
	if err != nil || u.Host == "" {
		return nil, errors.New("wechat: the endpoint must be a URL like http://127.0.0.1:8082")
	}
	return rewrite{target: u, base: http.DefaultTransport}, nil
}

// rewrite sends every request to target, keeping the Host header, so a
// fake that routes on Host can stand in for all of WeChat's hosts.
type rewrite struct {
	target *url.URL
	base   http.RoundTripper
}

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = r.target.Scheme, r.target.Host
	out.Host = req.URL.Host
	return r.base.RoundTrip(out)
}
