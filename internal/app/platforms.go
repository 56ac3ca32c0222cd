package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"wzdaily/bot/console"
	"wzdaily/bot/telegram"
	"wzdaily/bot/webhook"
	"wzdaily/bot/wechat"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/health"
)

// connect makes the transports the settings turn on and has the deliverer
// send to each, with the pacing the transport declares.
func (a *App) connect(ctx context.Context, o Options) error {
	s := o.Settings
	if c := o.Console; c != nil {
		c.Handler = a.Bot
		a.deliver(console.Platform, &digest.Platform{Sender: c})
	}
	if s.Webhook.URL != "" {
		a.deliver("webhook", &digest.Platform{Sender: webhook.New(webhook.Options{URL: s.Webhook.URL}),
			Workers: s.Webhook.Workers, Rate: s.Webhook.Rate, ChatInterval: s.Webhook.ChatInterval, Window: webhookWindow(s.Webhook)})
	}
	if s.Telegram.Token != "" {
		if err := a.connectTelegram(ctx, o); err != nil {
			return err
		}
	}
	if s.WeChat.Enabled {
		a.connectWeChat(o)
	}
	if s.OfficialAccount.AppID != "" {
		if err := a.connectOfficialAccount(o); err != nil {
			return err
		}
	}
	return nil
}

// webhookWindow is the webhook's conversation window, or nil.
func webhookWindow(s WebhookSettings) *digest.Window {
	if s.Window <= 0 {
		return nil
	}
	return &digest.Window{Span: s.Window, Messages: s.WindowMessages}
}

// deliver adds a platform to the deliverer, counting its sends.
func (a *App) deliver(name string, p *digest.Platform) {
	p.Sender = a.Metrics.Sender(name, p.Sender)
	a.Deliverer.Add(name, p)
	a.platform = append(a.platform, name)
}

// Platforms names the platforms digests go to.
func (a *App) Platforms() string { return strings.Join(a.platform, ",") }

func (a *App) connectTelegram(ctx context.Context, o Options) error {
	s := o.Settings.Telegram
	to := telegram.Options{Token: s.Token, Endpoint: s.API, Bot: a.Bot, Now: o.Now}
	if o.Tune.Telegram != nil {
		o.Tune.Telegram(&to)
	}
	tg, err := telegram.New(ctx, to)
	if err != nil {
		return err
	}
	a.Telegram = tg
	slog.Info("Connected to Telegram", slog.String("bot", "@"+tg.Username()), slog.String("api", to.Endpoint))
	// The transport keeps Telegram's limits for every send; spacing a
	// chat's parts by them here keeps workers from waiting on one chat.
	a.deliver(telegram.Platform, &digest.Platform{Sender: tg, ChatInterval: tg.Spacing(chat.Private), GroupInterval: tg.Spacing(chat.Group),
		Workers: 8})
	a.Health.Transports[telegram.Platform] = func() health.Part {
		last, err := tg.Status()
		if err != nil {
			return health.Part{Name: telegram.Platform, Detail: "polling fails: " + err.Error()}
		}
		return health.Part{Name: telegram.Platform, OK: true, Detail: "connected as @" + tg.Username() + ", last answer " + last.Format(time.RFC3339),
			Say: health.SayConnected, Args: []any{"@" + tg.Username(), last}}
	}
	return nil
}

func (a *App) connectWeChat(o Options) {
	s := o.Settings.WeChat
	session, qr := WeChatFiles(o.Settings.DB)
	if s.Session != "" {
		session = s.Session
	}
	if s.QR != "" {
		qr = s.QR
	}
	var remarks []string
	for _, adm := range o.Settings.Admins {
		if r, ok := strings.CutPrefix(adm, wechat.Platform+":"); ok {
			remarks = append(remarks, r)
		}
	}
	wo := wechat.Options{Bot: a.Bot, Subscribers: a.Subscribers, SessionFile: session, QRFile: qr, QROut: o.Out, Endpoint: s.Endpoint, Prefix: s.Prefix,
		Admins: remarks, AcceptFriends: s.AcceptFriends, MaxLength: wechatMaxLength(o.Settings), Now: o.Now,
		Pace: wechat.Pace{Gap: s.Gap, Jitter: s.Jitter, ReplyGap: s.ReplyGap, DailyCap: s.DailyCap},
		OnSessionLost: func(ctx context.Context, reason error) {
			a.Alert(ctx, fmt.Sprintf("WeChat 登录已失效（%v）。机器人正在重新登录；如需扫码，二维码在 %s。WeChat logged out; scan the new QR code if asked.", reason, qr))
		}}
	if o.Tune.WeChat != nil {
		o.Tune.WeChat(&wo)
	}
	wx := wechat.New(wo)
	a.WeChat = wx
	a.deliver(wechat.Platform, &digest.Platform{Sender: wx, Workers: wechat.SendsAtOnce})
	a.Health.Transports[wechat.Platform] = func() health.Part {
		state, since, err := wx.Status()
		p := health.Part{Name: wechat.Platform, OK: state == wechat.LoggedIn, Detail: string(state) + " since " + since.Format(time.RFC3339)}
		if err != nil {
			p.Detail += ": " + err.Error()
		} else if state == wechat.LoggedIn {
			p.Say, p.Args = health.SayConnected, []any{wx.Name(), since}
		}
		return p
	}
}

// WeChatFiles are the default session and QR code files, beside the
// database (and, like it, ignored by .gitignore).
func WeChatFiles(db string) (session, qr string) {
	return db + ".wechat-session", db + ".wechat-qr.png"
}

// wechatMaxLength is the length of one WeChat message, for the transport
// and for the digests it carries alike.
func wechatMaxLength(s Settings) int {
	if s.WeChat.MaxLength > 0 {
		return s.WeChat.MaxLength
	}
	return wechat.DefaultMaxLength
}

// Alert tells the admins reachable on Telegram; without Telegram the log
// (and /health, and /healthz) must do.
func (a *App) Alert(ctx context.Context, text string) {
	if a.Telegram == nil {
		return
	}
	m := chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: text}}}}}
	for _, adm := range a.Settings.Admins {
		id, ok := strings.CutPrefix(adm, telegram.Platform+":")
		if !ok {
			continue
		}
		if _, err := a.Telegram.Send(ctx, chat.Key{Platform: telegram.Platform, ChatID: id}, m); err != nil {
			slog.Warn("Unable to alert an admin", slog.String("admin", adm), slog.Any("error", err))
		}
	}
}
