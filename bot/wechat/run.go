package wechat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/chat"
)

// Run logs in and answers messages until ctx ends. When the session ends
// by itself it says so (log, OnSessionLost) and logs in again: from the
// stored session if it still works, else with a new QR code to scan.
// Sends meanwhile wait in the digest outbox.
func (t *Transport) Run(ctx context.Context) error {
	rt, err := t.roundTripper()
	if err != nil {
		return err
	}
	if t.opts.Bot == nil || t.opts.Subscribers == nil {
		return errors.New("wechat: the transport needs the bot and the subscribers")
	}
	d := &chat.Dispatcher{Handler: handler{t}, Workers: 2, Reply: t.reply}
	dispatched := make(chan chat.Update)
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx, dispatched) }()
	go func() {
		for {
			select {
			case in := <-t.queue:
				in.update.Ref = in
				select {
				case dispatched <- in.update:
				case <-ctx.Done():
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	defer func() { <-done; t.bg.Wait() }()
	for ctx.Err() == nil {
		wasIn, reason := t.session(ctx, rt)
		t.clearSession()
		if ctx.Err() != nil {
			break
		}
		t.setState(LoggedOut, reason)
		if wasIn {
			// Told once per lost session; a login nobody scans is retried
			// quietly, or the admins would hear of it every few minutes.
			slog.Error("WeChat session lost; logging in again", slog.Any("reason", reason))
			if t.opts.OnSessionLost != nil {
				t.opts.OnSessionLost(ctx, reason)
			}
		} else {
			slog.Warn("WeChat login failed; trying again", slog.Any("error", reason), slog.Duration("in", t.opts.RetryLogin))
		}
		select {
		case <-ctx.Done():
		case <-time.After(t.opts.RetryLogin):
		}
	}
	t.setState(Stopped, nil)
	return nil
}

// session logs in once and returns why the session ended, and whether it
// had logged in.
func (t *Transport) session(ctx context.Context, rt http.RoundTripper) (wasIn bool, reason error) {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the library's polling: never Exit, which races it
	wb := openwechat.DefaultBot(openwechat.Desktop, openwechat.WithContextOption(sctx))
	wb.Caller.Client.HTTPClient().Transport = rt
	ended := make(chan error, 1)
	var once sync.Once
	end := func(err error) { once.Do(func() { ended <- err }) }
	scan := false // this login showed a QR code
	wb.UUIDCallback = func(uuid string) {
		scan = true
		t.setState(LoggingIn, nil)
		slog.Warn("WeChat needs a scan to log in", slog.String("qr_file", t.opts.QRFile))
		if err := showQR(uuid, t.opts.QROut, t.opts.QRFile); err != nil {
			slog.Error("Unable to show the WeChat QR code", slog.Any("error", err))
		}
		t.loginSays("waiting for the scan: open WeChat on the bot's phone and scan the code")
	}
	wb.ScanCallBack = func(openwechat.CheckLoginResponse) {
		slog.Info("WeChat QR code scanned; confirm on the phone")
		t.loginSays("scanned; now confirm the login on the phone")
	}
	wb.LoginCallBack = func(openwechat.CheckLoginResponse) { t.loginSays("confirmed on the phone") }
	wb.LogoutCallBack = func(b *openwechat.Bot) { end(b.CrashReason()) }
	wb.MessageErrorHandler = func(err error) error {
		var ret openwechat.Ret
		if errors.As(err, &ret) && (ret == 1100 || ret == 1101 || ret == 1102) {
			return err // the session is over: the library stops, LogoutCallBack says why
		}
		if sctx.Err() != nil {
			return err
		}
		// Anything else the library would retry at once, in a tight loop.
		slog.Warn("WeChat poll failed; retrying", slog.Any("error", err))
		select {
		case <-sctx.Done():
		case <-time.After(2 * time.Second):
		}
		return nil
	}
	tasks := make(chan func(*openwechat.Self), 4)
	wb.SyncCheckCallback = func(openwechat.SyncCheckResponse) { t.runTasks(wb, tasks) }
	wb.MessageHandler = func(m *openwechat.Message) { t.receive(sctx, m) }

	t.setState(LoggingIn, nil)
	var err error
	if t.opts.SessionFile != "" {
		err = wb.HotLogin(&sessionFile{path: t.opts.SessionFile}, openwechat.NewRetryLoginOption())
	} else {
		err = wb.Login()
	}
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if errors.Is(err, openwechat.ErrLoginTimeout) {
			t.loginSays(fmt.Sprintf("the QR code expired before the login was confirmed; a new one comes in %s", t.opts.RetryLogin))
		} else {
			t.loginSays(fmt.Sprintf("failed (%v); trying again in %s", err, t.opts.RetryLogin))
		}
		return false, fmt.Errorf("wechat: login: %w", err)
	}
	if scan {
		t.loginSays("logged in")
	} else {
		t.loginSays("logged in from the saved session, with no scan")
	}
	// The account and its contacts are read on the library's polling
	// goroutine, which alone may touch them; sends wait until they are in.
	var load func(*openwechat.Self)
	load = func(self *openwechat.Self) {
		err := t.loadContacts(sctx, self)
		if err == nil {
			return
		}
		slog.Error("Unable to read WeChat's contacts; trying again", slog.Any("error", err), slog.Duration("in", t.opts.RetryLogin))
		go func() {
			select {
			case <-sctx.Done():
			case <-time.After(t.opts.RetryLogin):
				select {
				case tasks <- load:
				case <-sctx.Done():
				}
			}
		}()
	}
	tasks <- load
	t.setState(LoggedIn, nil)
	select {
	case <-ctx.Done():
		return true, ctx.Err()
	case err := <-ended:
		if err == nil {
			err = errors.New("wechat: logged out")
		}
		return true, err
	}
}

// runTasks runs queued work on the polling goroutine.
func (t *Transport) runTasks(wb *openwechat.Bot, tasks chan func(*openwechat.Self)) {
	self, err := wb.GetCurrentUser()
	if err != nil {
		return
	}
	for {
		select {
		case task := <-tasks:
			task(self)
		default:
			return
		}
	}
}

func (t *Transport) clearSession() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.self != nil {
		t.ready = make(chan struct{})
	}
	t.self, t.roster = nil, nil
	clear(t.groups)
}
