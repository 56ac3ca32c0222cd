// Package fakeoa is a fake of the WeChat Official Account platform (微信公众平台)
// for tests that drive a bot built on it, such as one using
// github.com/silenceper/wechat/v2, over loopback HTTP. It plays WeChat's two
// sides of an account:
//
//   - The pushes. Followers act (Follow, Unfollow, Say, Click, View) and the
//     fake POSTs the message or event to the bot's server URL (SetServer) as
//     WeChat does: signed (signature, timestamp, nonce, openid), and in safe
//     mode (Options.EncodingAESKey) encrypted, with encrypt_type=aes and
//     msg_signature. It waits Options.ReplyDeadline for the answer (5 s, as
//     WeChat), drops the request and pushes the same message again, up to
//     Options.Attempts requests in all; it reads the passive reply the way
//     WeChat does ("success" or an empty body is no reply; anything else
//     must be a well-formed reply to that follower, decrypted and checked in
//     safe mode) and shows the follower what WeChat would, including
//     Notice when the bot failed. Verify runs the URL check (echostr).
//   - The API at URL() (ServeHTTP): access tokens (/cgi-bin/token,
//     /cgi-bin/stable_token) that expire on the fake's clock and are
//     superseded as WeChat's are, customer-service messages
//     (/cgi-bin/message/custom/send) within each follower's 48-hour window
//     and quota, and the menu (/cgi-bin/menu/create, get, delete,
//     /cgi-bin/get_current_selfmenu_info), answering WeChat's errcode JSON.
//
// Every rule cites where it comes from. Time comes from Options.Now (windows,
// tokens, CreateTime); the reply deadline runs on the real clock, as it
// bounds real HTTP requests.
//
// Tests read back every push with its attempts and outcome (Pushes), every
// message a follower saw (Messages), wait for the next customer-service
// message without sleeping (WaitMessage), read every API call (Calls), and
// inject faults: API errors, statuses and delays (AddFault, FailNext),
// tokens expired at once (ExpireTokens), and push faults (FailPushes: a
// reply lost on the way, a push never made, a bad signature).
//
//	srv, err := fakeoa.New(fakeoa.Options{Token: "wzdaily", EncodingAESKey: key})
//	if err := srv.Start("127.0.0.1:0"); err != nil { ... }
//	defer srv.Close()
//	srv.SetServer(botURL)                  // where pushes go
//	p, err := srv.Say(ctx, "o-reader", "搜索 西江")
//	// p.Outcome, p.Reply; srv.WaitMessage(ctx, "o-reader") for what came later
//
// The bot's library reaches the API at srv.URL() in place of
// https://api.weixin.qq.com; the paths are WeChat's.
package fakeoa

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"sync"
	"time"

	"wzdaily/internal/fakefault"
)

// Options configure a Server. The zero value of each field is WeChat's
// behaviour, with made-up credentials.
type Options struct {
	// AppID and AppSecret are the only credentials /cgi-bin/token accepts.
	// Defaults: a made-up "wx…" id and a 32-hex-digit secret.
	AppID     string
	AppSecret string
	// Token is the server token both sides sign with: 3 to 32 letters or
	// digits, as the platform's server configuration requires. Default
	// "wzdailyfake".
	Token string
	// EncodingAESKey turns on safe mode (安全模式): 43 letters or digits.
	// Empty is plaintext mode (明文模式).
	EncodingAESKey string
	// AccountID is the account's original id (原始ID), the ToUserName of
	// every push; default a made-up "gh_…".
	AccountID string
	// Now stamps pushes and messages and drives windows and tokens;
	// default time.Now.
	Now func() time.Time
	// ReplyDeadline is how long a push waits for the bot's answer before
	// WeChat drops it and pushes again; default 5 s (see push.go).
	ReplyDeadline time.Duration
	// Attempts is how many requests one message gets in all; default 3
	// (see push.go).
	Attempts int
	// MessageQuota and MessageWindow: after a follower's message the bot may
	// send that many customer-service messages within the window; defaults
	// 5 and 48 h. EventQuota and EventWindow are the same after following
	// or a menu click; defaults 3 and 1 min (see window.go).
	MessageQuota  int
	MessageWindow time.Duration
	EventQuota    int
	EventWindow   time.Duration
	// Client makes the pushes; default a client of its own.
	Client *http.Client
}

// Errors of the follower actions and of Start.
var (
	ErrNoServer        = errors.New("fakeoa: no server URL set")
	ErrNotFollowing    = errors.New("fakeoa: the follower does not follow the account")
	ErrAlreadyFollowed = errors.New("fakeoa: the follower already follows the account")
	ErrNoSuchButton    = errors.New("fakeoa: the menu has no such button")
	ErrBadOpenID       = errors.New("fakeoa: an OpenID is 1 to 64 letters, digits, _ or -")
	ErrClosed          = errors.New("fakeoa: server closed")
)

// Notice is what WeChat shows a follower when the account's server did not
// answer in time or answered something WeChat cannot use.
// https://developers.weixin.qq.com/doc/subscription/guide/product/message/Passive_user_reply_message.html
const Notice = "该公众号暂时无法提供服务，请稍后再试"

// Server is the fake platform. It is safe for concurrent use.
type Server struct {
	appID, secret string
	token         string
	account       string
	box           *cipherBox // nil in plaintext mode
	now           func() time.Time
	deadline      time.Duration
	attempts      int
	quota         windowRules
	client        *http.Client

	ctx    context.Context // ends at Close; pushes in flight end with it
	cancel context.CancelFunc

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every record
	target    string
	followers map[string]*follower
	tokens    map[string]*accessToken
	stable    string // the stable token handed out last
	quotas    quotaDays
	menu      []Button
	lastMsgID int64
	lastPush  int
	pushes    []Push
	messages  []*Message
	calls     []Call
	pushFault map[PushFault]int
	faults    fakefault.Queue

	serveMu sync.Mutex
	url     string
	httpSrv *http.Server
	served  chan struct{}
}

var (
	tokenRE   = regexp.MustCompile(`^[A-Za-z0-9]{3,32}$`)
	aesKeyRE  = regexp.MustCompile(`^[A-Za-z0-9]{43}$`)
	openIDRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	accountRE = regexp.MustCompile(`^gh_[0-9a-f]{12}$`)
)

// New returns a Server with no followers, no menu and no server URL.
func New(opts Options) (*Server, error) {
	s := &Server{
		appID:     opts.AppID,
		secret:    opts.AppSecret,
		token:     opts.Token,
		account:   opts.AccountID,
		now:       opts.Now,
		deadline:  opts.ReplyDeadline,
		attempts:  opts.Attempts,
		client:    opts.Client,
		changed:   make(chan struct{}),
		followers: map[string]*follower{},
		tokens:    map[string]*accessToken{},
		pushFault: map[PushFault]int{},
		quota: windowRules{
			messageQuota: orDefault(opts.MessageQuota, 5),
			messageSpan:  orDefault(opts.MessageWindow, 48*time.Hour),
			eventQuota:   orDefault(opts.EventQuota, 3),
			eventSpan:    orDefault(opts.EventWindow, time.Minute),
		},
	}
	if s.appID == "" {
		s.appID = "wx" + randomHex(8)
	}
	if s.secret == "" {
		s.secret = randomHex(16)
	}
	if s.token == "" {
		s.token = "wzdailyfake"
	}
	if s.account == "" {
		s.account = "gh_" + randomHex(6)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.deadline = orDefault(s.deadline, 5*time.Second)
	s.attempts = orDefault(s.attempts, 3)
	if s.client == nil {
		s.client = &http.Client{
			Transport: http.DefaultTransport.(*http.Transport).Clone(),
			// WeChat posts to the configured URL and reads that answer.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	switch {
	case !tokenRE.MatchString(s.token):
		return nil, fmt.Errorf("fakeoa: token %q is not 3 to 32 letters or digits", s.token)
	case !accountRE.MatchString(s.account):
		return nil, fmt.Errorf("fakeoa: account id %q is not gh_ and 12 hex digits", s.account)
	case opts.EncodingAESKey != "" && !aesKeyRE.MatchString(opts.EncodingAESKey):
		return nil, errors.New("fakeoa: EncodingAESKey is not 43 letters or digits")
	}
	if opts.EncodingAESKey != "" {
		box, err := newCipherBox(opts.EncodingAESKey, s.appID)
		if err != nil {
			return nil, err
		}
		s.box = box
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// AppID, AppSecret, Token and AccountID return the account's settings,
// defaults included.
func (s *Server) AppID() string     { return s.appID }
func (s *Server) AppSecret() string { return s.secret }
func (s *Server) Token() string     { return s.token }
func (s *Server) AccountID() string { return s.account }

// SafeMode reports whether pushes and replies are encrypted.
func (s *Server) SafeMode() bool { return s.box != nil }

// Start serves the API on addr (host:port; port 0 picks one) until Close.
func (s *Server) Start(addr string) error {
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if s.ctx.Err() != nil {
		return ErrClosed
	}
	if s.httpSrv != nil {
		return errors.New("fakeoa: already started")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(s.ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("fakeoa: unable to listen on %s: %w", addr, err)
	}
	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		if err := s.httpSrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			slog.Warn("Fake Official Account API stopped", slog.String("addr", ln.Addr().String()), slog.Any("error", err))
		}
	}()
	return nil
}

// URL is the API's base URL, in place of https://api.weixin.qq.com; empty
// before Start.
func (s *Server) URL() string {
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	return s.url
}

// Close ends pushes in flight and waits, stops the API server if started,
// and wakes every WaitMessage. It is idempotent.
func (s *Server) Close() {
	s.cancel()
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			_ = s.httpSrv.Close() // the deadline passed: drop what is left
		}
		<-s.served
		s.httpSrv = nil
	}
	if t, ok := s.client.Transport.(*http.Transport); ok {
		t.CloseIdleConnections()
	}
}

// SetServer sets the URL the pushes go to, as the account's server
// configuration (服务器地址) does.
func (s *Server) SetServer(rawURL string) error {
	if err := checkServerURL(rawURL); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.target = rawURL
	return nil
}

// notifyLocked wakes every waiter. Callers hold s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
