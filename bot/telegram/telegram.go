// Package telegram is the Telegram transport, on go-telegram-bot-api v5:
// long polling (or a webhook) in, Telegram HTML and inline keyboards out,
// inline-mode search, group admins from getChatMember, and send errors
// classified for the digest outbox. The bot token is part of every request
// URL, so it is removed from every error this package returns or logs.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"wzdaily/bot"
	"wzdaily/chat"
	"wzdaily/subscribers"
)

// Platform names this transport in subscriber keys.
const Platform = "telegram"

// DefaultEndpoint is the real Bot API.
const DefaultEndpoint = "https://api.telegram.org"

// Conversation is what the transport needs of the bot; *bot.Bot is one.
type Conversation interface {
	chat.Handler
	Inline(ctx context.Context, query, offset string) ([]bot.InlineResult, string, error)
	ChatGone(ctx context.Context, chat chat.Key, state subscribers.State) error
	ChatBack(ctx context.Context, chat chat.Key) error
	ChatMoved(ctx context.Context, chat chat.Key, newID string) error
	// ThreadGone says that a chat's digest topic (chat.Message.Thread)
	// took no message: digests go to the chat's General topic from now.
	ThreadGone(ctx context.Context, chat chat.Key, thread string) error
}

// Options configure a Transport.
type Options struct {
	Token string
	// Endpoint is the Bot API's base URL; default DefaultEndpoint. A fake
	// or a self-hosted Bot API server goes here.
	Endpoint string
	// Client makes the requests; its timeout must exceed PollTimeout.
	// Default: a client with a PollTimeout + 30 s timeout.
	Client *http.Client
	Bot    Conversation
	// PollTimeout is how long one getUpdates may wait for news; default 30 s.
	PollTimeout time.Duration
	// AdminTTL is how long a getChatMember answer is trusted; default 5 min.
	AdminTTL time.Duration
	// Limits are the flood limits every send keeps; a zero field is
	// Telegram's (DefaultLimits), a negative one no limit.
	Limits Limits
	// Workers handle updates at once; default chat.Dispatcher's.
	Workers int
	Now     func() time.Time
}

// Transport is one bot account. It is safe for concurrent use.
type Transport struct {
	opts    Options
	api     *tgbotapi.BotAPI
	admins  *adminCache
	pace    *pacer
	inline  chan struct{}  // bounds inline queries in flight
	pending sync.WaitGroup // inline answers in flight
	updates chan chat.Update
	runOnce sync.Once
	feedMu  sync.RWMutex // closing updates waits for senders, who give up when the run ends
	fed     bool         // updates is closed

	mu       sync.Mutex
	polledAt time.Time // the last getUpdates that worked
	pollErr  error     // the last one's error, nil when it worked
}

// Status says whether Telegram answers: the last poll's time and error.
// In webhook mode nothing polls, and it reports the start.
func (t *Transport) Status() (lastOK time.Time, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.polledAt, t.pollErr
}

func (t *Transport) polled(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pollErr = err
	if err == nil {
		t.polledAt = t.opts.Now()
	}
}

// New connects to the Bot API (getMe) and returns the transport.
func New(ctx context.Context, opts Options) (*Transport, error) {
	if opts.Token == "" {
		return nil, errors.New("telegram: no bot token: set TELEGRAM_BOT_TOKEN")
	}
	if opts.Bot == nil {
		return nil, errors.New("telegram: no conversation to answer with")
	}
	if opts.Endpoint == "" {
		opts.Endpoint = DefaultEndpoint
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 30 * time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: opts.PollTimeout + 30*time.Second}
	}
	if opts.AdminTTL <= 0 {
		opts.AdminTTL = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	pattern := strings.TrimRight(opts.Endpoint, "/") + "/bot%s/%s"
	api, err := tgbotapi.NewBotAPIWithClient(opts.Token, pattern, client{hc: opts.Client, ctx: ctx, token: opts.Token})
	if err != nil {
		return nil, wrap(opts.Token, "unable to connect (getMe)", err)
	}
	t := &Transport{opts: opts, api: api, pace: newPacer(opts.Limits), inline: make(chan struct{}, 4), updates: make(chan chat.Update, 256)}
	t.admins = newAdminCache(opts.AdminTTL, opts.Now, t.fetchMember)
	t.polled(nil) // getMe just worked
	return t, nil
}

// Username is the bot's @name without the @.
func (t *Transport) Username() string { return t.api.Self.UserName }

// StartLink is the deep link that opens a chat with the bot and sends
// "/start code" (https://core.telegram.org/bots/features#deep-linking).
func (t *Transport) StartLink(code string) string {
	return "https://t.me/" + t.Username() + "?start=" + url.QueryEscape(code)
}

// call returns the library bound to ctx for one call: the library has no
// context of its own, so each call gets a copy whose client carries ctx.
func (t *Transport) call(ctx context.Context) *tgbotapi.BotAPI {
	api := *t.api
	api.Client = client{hc: t.opts.Client, ctx: ctx, token: t.opts.Token}
	return &api
}

func (t *Transport) wrap(what string, err error) error { return wrap(t.opts.Token, what, err) }

// SetCommands publishes the command menu in Chinese (the default) and in
// English for clients set to English.
func (t *Transport) SetCommands(ctx context.Context) error {
	for _, lang := range []string{"", "en"} {
		var cmds []tgbotapi.BotCommand
		for _, c := range bot.Commands(orDefault(lang, "zh")) {
			cmds = append(cmds, tgbotapi.BotCommand{Command: c.Name, Description: c.Description})
		}
		cfg := tgbotapi.NewSetMyCommands(cmds...)
		cfg.LanguageCode = lang
		if _, err := t.call(ctx).Request(cfg); err != nil {
			return t.wrap("unable to set commands", err)
		}
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Send delivers one message (a digest part), to the forum topic m.Thread
// names if any; it implements chat.Sender. Errors are *chat.SendError.
func (t *Transport) Send(ctx context.Context, to chat.Key, m chat.Message) (string, error) {
	if to.Platform != Platform {
		return "", &chat.SendError{Permanent: true, Err: fmt.Errorf("telegram: not a Telegram chat: %s", to)}
	}
	addr, err := addressOf(to.ChatID)
	if err != nil {
		return "", &chat.SendError{Permanent: true, Err: err}
	}
	addr.thread, _ = strconv.Atoi(m.Thread) // "" or a number the transport gave
	sent, err := t.sendMessage(ctx, &addr, m)
	if err != nil {
		return "", err
	}
	if m.Thread != "" && addr.thread == 0 {
		// The topic is gone: later digests go to General at once.
		if err := t.opts.Bot.ThreadGone(ctx, to, m.Thread); err != nil {
			slog.Error("Unable to forget a Telegram topic", slog.String("chat", to.String()), slog.Any("error", err))
		}
	}
	return strconv.Itoa(sent.MessageID), nil
}

// sendMessage sends m within the flood limits. When the forum topic it is
// for is gone or closed, it goes to the chat's General topic instead, and
// to.thread says so (0).
func (t *Transport) sendMessage(ctx context.Context, to *address, m chat.Message) (tgbotapi.Message, error) {
	sent, err := t.sendOnce(ctx, *to, m)
	if err != nil && to.thread != 0 && topicUnavailable(err) {
		slog.Warn("Telegram topic unavailable; sending to the chat's General topic instead",
			slog.Int64("chat", to.chatID), slog.Int("thread", to.thread), slog.Any("error", err))
		to.thread = 0
		sent, err = t.sendOnce(ctx, *to, m)
	}
	return sent, err
}

func (t *Transport) sendOnce(ctx context.Context, to address, m chat.Message) (tgbotapi.Message, error) {
	r := render(m)
	if r.Visible == "" {
		return tgbotapi.Message{}, &chat.SendError{Refused: true, Err: errors.New("telegram: empty message")}
	}
	if n := utf16Len(r.Visible); n > MaxLength {
		// The digest splits at Length and replies are short: a longer
		// message is a bug, refused here rather than by Telegram.
		return tgbotapi.Message{}, &chat.SendError{Refused: true, Err: fmt.Errorf("telegram: message of %d UTF-16 units is over the %d limit", n, MaxLength)}
	}
	if to.chatID != 0 {
		release, err := t.pace.acquire(ctx, to.chatID)
		if err != nil {
			return tgbotapi.Message{}, &chat.SendError{Err: fmt.Errorf("telegram: %w", err)}
		}
		defer release()
	}
	sent, err := t.postMessage(ctx, to, r.HTML, keyboard(m.Buttons))
	if err != nil {
		return tgbotapi.Message{}, classify(t.wrap("sendMessage", err))
	}
	return sent, nil
}

// edit replaces a message's text and buttons, for paging in place.
// Errors are *chat.SendError.
func (t *Transport) edit(ctx context.Context, chatID int64, messageID int, m chat.Message) error {
	r := render(m)
	if r.Visible == "" || utf16Len(r.Visible) > MaxLength {
		return &chat.SendError{Refused: true, Err: errors.New("telegram: edit: message empty or too long")}
	}
	if err := t.editText(ctx, chatID, messageID, htmlText{html: r.HTML, keyboard: keyboard(m.Buttons)}); err != nil && !isNotModified(err) {
		return classify(t.wrap("editMessageText", err))
	}
	return nil
}
