package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"wzdaily/bot"
	"wzdaily/bot/telegram"
	"wzdaily/bot/wechat"
	"wzdaily/digest"
	"wzdaily/subscribers"
)

// wechatOptions are serve's WeChat settings.
type wechatOptions struct {
	enabled       *bool
	session, qr   *string
	endpoint      *string
	prefix        *string
	acceptFriends *bool
	maxLength     *int
	gap, jitter   *time.Duration
	replyGap      *time.Duration
	dailyCap      *int
	spread        *time.Duration
}

func wechatFlags(fs *flag.FlagSet, env *Env) *wechatOptions {
	o := &wechatOptions{}
	o.enabled = fs.Bool("wechat", false, "log in to WeChat (a QR code to scan the first time) and serve there")
	o.session = fs.String("wechat-session", "", "the WeChat session file, written 0600 (default: DB.wechat-session)")
	o.qr = fs.String("wechat-qr", "", "where the login QR code is written as a PNG (default: DB.wechat-qr.png)")
	o.endpoint = fs.String("wechat-endpoint", env.Getenv("WECHAT_ENDPOINT"), "send all web-WeChat traffic to this base URL, e.g. a fake-wechat's (environment: WECHAT_ENDPOINT)")
	o.prefix = fs.String("wechat-prefix", "/", "in groups, a message starting with this is a command even without an @-mention")
	o.acceptFriends = fs.Bool("wechat-accept-friends", false, "accept friend requests at once")
	o.maxLength = fs.Int("wechat-max-length", wechat.DefaultMaxLength, "characters a WeChat message carries at most; longer digests are split")
	o.gap = fs.Duration("wechat-gap", 5*time.Second, "least time between two digest messages")
	o.jitter = fs.Duration("wechat-jitter", 5*time.Second, "up to this much more between two messages, at random")
	o.replyGap = fs.Duration("wechat-reply-gap", time.Second, "least time before a reply")
	o.dailyCap = fs.Int("wechat-daily-cap", 500, "messages a day at most; the rest wait for the next day")
	o.spread = fs.Duration("wechat-spread", time.Hour, "each chat's digest comes at a fixed offset within this window after its time (at most 12h)")
	return o
}

func (o *wechatOptions) limits() digest.Limits {
	return digest.Limits{MaxLength: *o.maxLength, Measure: wechat.Length}
}

// transport makes the WeChat transport; lost sessions are told to the
// admins reachable on Telegram, when it runs too.
func (o *wechatOptions) transport(a *app, dbPath string, admins []string, tg *telegram.Transport, env *Env) *wechat.Transport {
	session, qr := *o.session, *o.qr
	if session == "" {
		session = dbPath + ".wechat-session"
	}
	if qr == "" {
		qr = dbPath + ".wechat-qr.png"
	}
	var remarks []string
	for _, adm := range admins {
		if r, ok := strings.CutPrefix(adm, wechat.Platform+":"); ok {
			remarks = append(remarks, r)
		}
	}
	return wechat.New(wechat.Options{Bot: a.bot, SessionFile: session, QRFile: qr, QROut: env.Stdout, Endpoint: *o.endpoint,
		Prefix: *o.prefix, Admins: remarks, AcceptFriends: *o.acceptFriends, MaxLength: *o.maxLength,
		Pace:          wechat.Pace{Gap: *o.gap, Jitter: *o.jitter, ReplyGap: *o.replyGap, DailyCap: *o.dailyCap},
		OnSessionLost: func(ctx context.Context, reason error) { alertAdmins(ctx, tg, admins, reason, qr) }})
}

// alertAdmins tells the Telegram admins that WeChat needs a new scan.
func alertAdmins(ctx context.Context, tg *telegram.Transport, admins []string, reason error, qr string) {
	if tg == nil {
		return
	}
	m := bot.Message{Blocks: []bot.Block{{Spans: []bot.Span{{Text: fmt.Sprintf(
		"WeChat 登录已失效（%v）。机器人正在重新登录；如需扫码，二维码在 %s。WeChat logged out; scan the new QR code if asked.", reason, qr)}}}}}
	for _, adm := range admins {
		id, ok := strings.CutPrefix(adm, telegram.Platform+":")
		if !ok {
			continue
		}
		if _, err := tg.Send(ctx, subscribers.Key{Platform: telegram.Platform, ChatID: id}, m); err != nil {
			slog.Warn("Unable to tell an admin that WeChat logged out", slog.String("admin", adm), slog.Any("error", err))
		}
	}
}
