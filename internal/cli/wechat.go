package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"wzdaily/bot/telegram"
	"wzdaily/bot/wechat"
	"wzdaily/chat"
	"wzdaily/internal/config"
)

// wechatFiles are the default session and QR code files, beside the
// database (and, like it, ignored by .gitignore).
func wechatFiles(db string) (session, qr string) {
	return db + ".wechat-session", db + ".wechat-qr.png"
}

// newWechat makes the WeChat transport from the configuration; a lost
// session is told to the admins.
func newWechat(cfg *config.Set, a *app, env *Env, alert func(ctx context.Context, text string)) *wechat.Transport {
	session, qr := cfg.Get("wechat.session").String(), cfg.Get("wechat.qr").String()
	defSession, defQR := wechatFiles(cfg.Get("db").String())
	if session == "" {
		session = defSession
	}
	if qr == "" {
		qr = defQR
	}
	var remarks []string
	for _, adm := range cfg.Get("admins").List() {
		if r, ok := strings.CutPrefix(adm, wechat.Platform+":"); ok {
			remarks = append(remarks, r)
		}
	}
	return wechat.New(wechat.Options{Bot: a.bot, SessionFile: session, QRFile: qr, QROut: env.Stdout,
		Endpoint: cfg.Get("wechat.endpoint").String(), Prefix: cfg.Get("wechat.prefix").String(), Admins: remarks,
		AcceptFriends: cfg.Get("wechat.accept_friends").Bool(), MaxLength: cfg.Get("wechat.max_length").Int(),
		Pace: wechat.Pace{Gap: cfg.Get("wechat.gap").Duration(), Jitter: cfg.Get("wechat.jitter").Duration(),
			ReplyGap: cfg.Get("wechat.reply_gap").Duration(), DailyCap: cfg.Get("wechat.daily_cap").Int()},
		OnSessionLost: func(ctx context.Context, reason error) {
			alert(ctx, fmt.Sprintf("WeChat 登录已失效（%v）。机器人正在重新登录；如需扫码，二维码在 %s。WeChat logged out; scan the new QR code if asked.", reason, qr))
		}})
}

// alertAdmins tells the admins reachable on Telegram; without Telegram the
// log (and /health, and /healthz) must do.
func alertAdmins(ctx context.Context, tg *telegram.Transport, admins []string, text string) {
	if tg == nil {
		return
	}
	m := chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: text}}}}}
	for _, adm := range admins {
		id, ok := strings.CutPrefix(adm, telegram.Platform+":")
		if !ok {
			continue
		}
		if _, err := tg.Send(ctx, chat.Key{Platform: telegram.Platform, ChatID: id}, m); err != nil {
			slog.Warn("Unable to alert an admin", slog.String("admin", adm), slog.Any("error", err))
		}
	}
}
