// Package faketelegram is a fake of the Telegram Bot API for tests that
// drive a real client library (tgbotapi v5) over loopback HTTP.
//
// It keeps users, chats (forums with their topics), members and messages,
// answers the ten methods wzdaily calls (methods.go) with the JSON shapes
// Telegram returns, refuses what Telegram refuses (invalid HTML, too long
// texts, bad keyboards, blocked users, left groups, migrated groups, a
// topic that is not there or is closed) with Telegram's
// status codes and descriptions, enforces Telegram's flood limits on an
// injectable clock, queues updates for long polling (or POSTs them to a
// webhook, with its secret token), records every call, and misbehaves on
// demand (error answers, non-JSON answers, latency, hangs).
//
// Serve a Server with httptest.NewServer and point the library at it:
//
//	srv := faketelegram.New(faketelegram.Options{Token: "123:abc"})
//	hs := httptest.NewServer(srv)
//	defer hs.Close()
//	defer srv.Close() // runs first: wakes held polls so hs.Close does not wait
//	bot, err := tgbotapi.NewBotAPIWithAPIEndpoint("123:abc", srv.Endpoint(hs.URL))
package faketelegram

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. For each limit the zero value means
// Telegram's default and a negative value turns the limit off.
type Options struct {
	// Token is the only token accepted; any other gets 401. Required.
	Token string
	// BotID is the bot's user id; default 777000111.
	BotID int64
	// BotUsername is the bot's username without "@"; default "wzdaily_bot".
	BotUsername string
	// Now stamps messages and drives the flood limits; default time.Now.
	// Long-poll holds, latency and hangs use real time.
	Now func() time.Time

	// GlobalRate is how many messages per second the bot may send over a
	// sliding second, all chats together; default 30.
	GlobalRate int
	// ChatInterval and ChatBurst form a token bucket per chat: one send per
	// ChatInterval on average (default 1s), with bursts of up to ChatBurst
	// messages (default 3), as Telegram allows short bursts. A negative
	// ChatInterval turns the bucket off; a negative ChatBurst means no
	// bursts (a burst of 1).
	ChatInterval time.Duration
	ChatBurst    int
	// GroupPerSpan caps messages to one group, supergroup or channel in
	// any sliding GroupSpan; defaults 20 and a minute. A test that scales
	// Telegram's limits down shortens GroupSpan (and ChatInterval) with
	// the bot's.
	GroupPerSpan int
	GroupSpan    time.Duration
	// MaxPoll caps how long getUpdates holds: min(timeout, MaxPoll);
	// default 30s. Negative means getUpdates never holds.
	MaxPoll time.Duration

	// WebhookTarget turns webhook delivery on: while a webhook is set,
	// queued updates are POSTed to this base URL (http://host:port) with
	// the registered URL's path and query, as the TLS proxy in front of a
	// bot passes them on; the fake has no certificate to offer an https
	// webhook itself. Empty (the default): the fake only stores the
	// webhook, so no test reaches the network.
	WebhookTarget string
	// WebhookRetry is how long a webhook delivery that failed waits before
	// it is tried again; default 1s (Telegram waits longer).
	WebhookRetry time.Duration
}

// Defaults used when an Options field is zero.
const (
	DefaultBotID        = 777000111
	DefaultBotUsername  = "wzdaily_bot"
	DefaultGlobalRate   = 30
	DefaultChatInterval = time.Second
	DefaultChatBurst    = 3
	DefaultGroupPerSpan = 20
	DefaultGroupSpan    = time.Minute
	DefaultMaxPoll      = 30 * time.Second
	DefaultWebhookRetry = time.Second
)

// Server is the fake Bot API, an http.Handler. It is safe for concurrent
// use. Call Close before closing the HTTP server that serves it.
type Server struct {
	token   string
	bot     User
	now     func() time.Time
	maxPoll time.Duration

	webhookTarget string
	webhookRetry  time.Duration
	webhookClient *http.Client

	mu         sync.Mutex
	limits     limiter
	users      map[int64]*User
	chats      map[int64]*chatState
	queue      []queued // updates not yet confirmed, oldest first
	lastUpdate int64
	allowed    map[string]bool // getUpdates allowed_updates; nil is the default set
	webhook    webhookState
	queries    map[string]*query // callback and inline queries by id
	lastQuery  int64
	commands   map[string][]BotCommand // by language_code
	calls      []Call
	rejections []Rejection
	answers    []Answer
	faults     map[string][]fault // by canonical method name or "*"
	latency    map[string]time.Duration
	deliveries []WebhookDelivery
	poll       *heldPoll     // the getUpdates request being held, if any
	queued     chan struct{} // closed and replaced when an update is queued
	changed    chan struct{} // closed and replaced when a record changes

	done      chan struct{} // closed by Close
	closeOnce sync.Once
}

// New returns a Server with no users or groups. It panics without a
// token, since every request would be refused, and on a WebhookTarget
// that is not an http(s) base URL.
func New(opts Options) *Server {
	if opts.Token == "" {
		panic("faketelegram: Options.Token is required")
	}
	if opts.WebhookTarget != "" {
		if _, err := webhookTarget(opts.WebhookTarget, "https://example.com/"); err != nil {
			panic("faketelegram: Options.WebhookTarget: " + err.Error())
		}
	}
	s := &Server{
		token:    opts.Token,
		now:      opts.Now,
		maxPoll:  opts.MaxPoll,
		limits:   newLimiter(opts),
		users:    map[int64]*User{},
		chats:    map[int64]*chatState{},
		queries:  map[string]*query{},
		commands: map[string][]BotCommand{},
		faults:   map[string][]fault{},
		latency:  map[string]time.Duration{},
		queued:   make(chan struct{}),
		changed:  make(chan struct{}),
		done:     make(chan struct{}),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxPoll == 0 {
		s.maxPoll = DefaultMaxPoll
	}
	s.webhookTarget, s.webhookRetry = opts.WebhookTarget, opts.WebhookRetry
	if s.webhookRetry <= 0 {
		s.webhookRetry = DefaultWebhookRetry
	}
	// Telegram follows no redirect: a 3xx is a wrong response.
	s.webhookClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	s.bot = User{ID: opts.BotID, IsBot: true, FirstName: "Fake Bot", Username: opts.BotUsername}
	if s.bot.ID == 0 {
		s.bot.ID = DefaultBotID
	}
	if s.bot.Username == "" {
		s.bot.Username = DefaultBotUsername
	}
	return s
}

// Endpoint returns the pattern tgbotapi.NewBotAPIWithAPIEndpoint wants for
// a server at baseURL: baseURL + "/bot%s/%s".
func (s *Server) Endpoint(baseURL string) string {
	return strings.TrimRight(baseURL, "/") + "/bot%s/%s"
}

// Bot returns the bot's own user, as getMe answers it.
func (s *Server) Bot() User { return s.bot }

// Close answers every held getUpdates with no updates, ends every hang,
// latency wait and webhook delivery, and makes later polls return at
// once, so that httptest.Server.Close does not wait for them. It is
// idempotent; the Server still answers requests afterwards.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

// closed reports whether Close was called.
func (s *Server) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// ServeHTTP answers POST (or GET) /bot<token>/<method>. In order: the
// call is recorded, the token and method are checked (401, 404), a queued
// fault or latency applies, then the method runs.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, name, ok := splitPath(r.URL.Path)
	if !ok {
		writeReply(w, errorReply(http.StatusNotFound, "Not Found"))
		return
	}
	m, known := lookupMethod(name)
	if known {
		name = m.name
	}
	raw, err := readParams(w, r)
	req := &request{ctx: r.Context(), method: name, params: withoutNull(raw)}
	req.call = s.startCall(name, raw)
	var rep reply
	switch {
	case token != s.token:
		rep = errorReply(http.StatusUnauthorized, "Unauthorized")
	case !known:
		rep = errorReply(http.StatusNotFound, "Not Found")
	case err != nil:
		rep = badRequest(err.Error())
	case r.Method != http.MethodPost && r.Method != http.MethodGet:
		rep = errorReply(http.StatusMethodNotAllowed, "Method Not Allowed")
	default:
		var answered bool
		rep, answered = s.applyFaults(w, req)
		if !answered {
			rep = m.run(s, req)
		}
	}
	s.finishCall(req, rep)
	if rep.status != 0 {
		writeReply(w, rep)
	}
}

// request is one method call being handled.
type request struct {
	ctx    context.Context
	method string            // canonical name
	params map[string]string // as received, without the values "null"
	call   int               // index in s.calls
}

// splitPath splits "/bot<token>/<method>".
func splitPath(p string) (token, method string, ok bool) {
	rest, found := strings.CutPrefix(p, "/bot")
	if !found {
		return "", "", false
	}
	token, method, found = strings.Cut(rest, "/")
	if !found || token == "" || method == "" || strings.Contains(method, "/") {
		return "", "", false
	}
	return token, method, true
}

// Changed returns a channel that is closed at the next change to what the
// fake records (messages, answers, calls). Take it before reading the
// records, so that no change between the two is missed.
func (s *Server) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notifyLocked wakes everything waiting for a record to change (WaitSent,
// Changed). Callers hold s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}
