// Package officialaccount is the WeChat Official Account (公众号) transport,
// on github.com/silenceper/wechat/v2. The bot is the account's server: WeChat
// pushes each follower's message, menu click, follow and unfollow to it as
// signed XML (AES-encrypted in safe mode), and takes one passive reply per
// push within five seconds. What is not ready in time, what does not fit
// in one reply, and every digest go out as customer-service messages, which
// WeChat allows only within a conversation window (see WindowSpan).
//
// Followers are keyed by their OpenID, which is stable for the account.
package officialaccount

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/config"
	wxcontext "github.com/silenceper/wechat/v2/officialaccount/context"
	"github.com/silenceper/wechat/v2/officialaccount/server"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// Platform names this transport in subscriber keys.
const Platform = "officialaccount"

// Conversation is what the transport needs of the bot; *bot.Bot is one.
type Conversation interface {
	chat.Handler
	ChatGone(ctx context.Context, chat chat.Key, state subscribers.State) error
	ChatBack(ctx context.Context, chat chat.Key) error
}

// Options configure a Transport. AppID, AppSecret and Token are required;
// AppSecret, Token and EncodingAESKey are secrets, never logged.
type Options struct {
	Bot Conversation
	// AppID and AppSecret identify the account to the API (公众平台 → 设置与
	// 开发 → 基本配置, or the test account's page).
	AppID, AppSecret string
	// Token is the server token set on the same page: WeChat signs every
	// push with it.
	Token string
	// EncodingAESKey, 43 characters, decrypts pushes in safe mode (安全模式)
	// and encrypts the replies to them; empty for plaintext mode.
	EncodingAESKey string
	// API is the API's base URL; default DefaultAPI. A fake's, in tests.
	API string
	// ReplyDeadline is how long a push waits for the bot's answer before it
	// is answered "success" and the answer goes out as a customer-service
	// message; default DefaultReplyDeadline.
	ReplyDeadline time.Duration
	// Workers is how many pushes the bot answers at once (one at a time
	// per follower, in order); default 4.
	Workers int
	Now     func() time.Time
}

// Transport is one Official Account.
type Transport struct {
	opts    Options
	api     string
	account *wxcontext.Context // the library's view of the account
	tokens  *tokens
	pushes  *pushes
	queue   chan chat.Update
	choices chat.Choices
	late    sync.WaitGroup // customer-service replies in flight

	mu         sync.Mutex
	lastAnswer time.Time // the API's last answer
	lastErr    error     // why the last token fetch failed; nil once one works
	lastPush   time.Time
}

// New checks the options and returns a transport. It makes no call:
// Run fetches the first access token.
func New(opts Options) (*Transport, error) {
	if opts.AppID == "" || opts.AppSecret == "" || opts.Token == "" {
		return nil, errors.New("officialaccount: the AppID, the AppSecret and the server token are all needed")
	}
	if err := CheckAESKey(opts.EncodingAESKey); err != nil {
		return nil, err
	}
	if opts.API == "" {
		opts.API = DefaultAPI
	}
	u, err := url.Parse(opts.API)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("officialaccount: the API must be a URL like %s", DefaultAPI)
	}
	if opts.ReplyDeadline <= 0 {
		opts.ReplyDeadline = DefaultReplyDeadline
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	t := &Transport{opts: opts, api: strings.TrimSuffix(opts.API, "/"), queue: make(chan chat.Update, 256)}
	t.tokens = &tokens{fetch: t.fetchToken, now: opts.Now}
	t.pushes = newPushes(opts.Now, t.sendLate)
	// The account as the library's message server and API packages see it,
	// with this transport's token cache in its AccessTokenHandle plug point
	// (what officialaccount.SetAccessTokenHandle sets; the root package,
	// which links every API the library has, is not needed).
	t.account = &wxcontext.Context{Config: &config.Config{AppID: opts.AppID, AppSecret: opts.AppSecret, Token: opts.Token,
		EncodingAESKey: opts.EncodingAESKey}, AccessTokenHandle: t.tokens}
	return t, nil
}

// CheckAESKey checks an EncodingAESKey as WeChat makes them: 43 characters
// of base64 for a 32-byte key. Empty is plaintext mode.
func CheckAESKey(key string) error {
	if key == "" {
		return nil
	}
	if b, err := base64.StdEncoding.DecodeString(key + "="); len(key) != 43 || err != nil || len(b) != 32 {
		return errors.New("officialaccount: the EncodingAESKey must be the 43 characters the account's page shows")
	}
	return nil
}

// Run answers pushes until ctx ends, then finishes the answers in progress
// and the late replies. It fetches the access token first, so a wrong
// AppSecret or a server missing from the account's IP whitelist shows at
// once, in the log and in the health report; pushes are answered either way.
func (t *Transport) Run(ctx context.Context) error {
	if _, err := t.tokens.get(ctx); err != nil && ctx.Err() == nil {
		logAPIError("Unable to fetch the Official Account's access token", err)
	}
	d := &chat.Dispatcher{Handler: conversation{t}, Workers: t.opts.Workers, Reply: t.answered}
	d.Run(ctx, t.queue)
	t.late.Wait()
	return nil
}

// Status reports the API's last answer and, when the access token cannot
// be had, why.
func (t *Transport) Status() (lastAnswer, lastPush time.Time, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lastAnswer, t.lastPush, t.lastErr
}

// AppID names the account, for the log and the health report.
func (t *Transport) AppID() string { return t.opts.AppID }

// answered records how the API last answered: err is nil for a call that
// worked, or why a token could not be had.
func (t *Transport) apiAnswered(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lastErr = err
	if err == nil {
		t.lastAnswer = t.opts.Now()
	}
}

// server is the library's message server for one request.
func (t *Transport) server(w http.ResponseWriter, r *http.Request) *server.Server {
	srv := server.NewServer(t.account)
	srv.Request, srv.Writer = r, w
	return srv
}
