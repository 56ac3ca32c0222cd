package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"wzdaily/bot/officialaccount"
	"wzdaily/digest"
	"wzdaily/internal/health"
)

func (a *App) connectOfficialAccount(o Options) error {
	s := o.Settings.OfficialAccount
	oo := officialaccount.Options{Bot: a.Bot, AppID: s.AppID, AppSecret: s.AppSecret, Token: s.Token, EncodingAESKey: s.AESKey,
		API: s.API, ReplyDeadline: s.ReplyDeadline, Now: o.Now}
	if o.Tune.OfficialAccount != nil {
		o.Tune.OfficialAccount(&oo)
	}
	tr, err := officialaccount.New(oo)
	if err != nil {
		return err
	}
	a.OfficialAccount = tr
	// Digests reach a follower only within the window WeChat allows after
	// their last message: parts for a closed window are held until they
	// write again.
	a.deliver(officialaccount.Platform, &digest.Platform{Sender: tr, Workers: officialaccount.SendsAtOnce,
		Window: &digest.Window{Span: officialaccount.WindowSpan, Messages: officialaccount.WindowMessages}})
	a.Health.Transports[officialaccount.Platform] = func() health.Part {
		last, push, err := tr.Status()
		p := health.Part{Name: officialaccount.Platform, OK: err == nil}
		switch {
		case err != nil:
			p.Detail = "the access token cannot be had: " + err.Error()
		case last.IsZero():
			p.Detail = "no answer from the API yet"
		default:
			p.Detail = "account " + tr.AppID() + ", last API answer " + last.Format(time.RFC3339)
			p.Say, p.Args = health.SayConnected, []any{tr.AppID(), last}
		}
		if !push.IsZero() {
			p.Detail += ", last push " + push.Format(time.RFC3339)
		}
		return p
	}
	return nil
}

// listenOfficialAccount opens the listener of the account's server URL,
// so that a taken address stops serve at once, and returns its address and
// what serves it and answers its pushes until ctx ends.
func (a *App) listenOfficialAccount() (net.Addr, func(ctx context.Context) error, error) {
	s := a.Settings.OfficialAccount
	ln, err := net.Listen("tcp", s.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("officialaccount: unable to listen for the server URL: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(s.Path, a.OfficialAccount)
	srv := pushServer(mux)
	return ln.Addr(), func(ctx context.Context) error {
		ctx, stop := context.WithCancel(ctx)
		defer stop()
		runDone := make(chan error, 1)
		go func() { runDone <- a.OfficialAccount.Run(ctx) }()
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		slog.Info("Serving the Official Account", slog.String("account", a.OfficialAccount.AppID()),
			slog.String("listen", ln.Addr().String()), slog.String("path", s.Path))
		var err error
		select {
		case <-ctx.Done():
		case err = <-served:
			slog.Error("The Official Account's listener stopped", slog.Any("error", err))
		}
		// Pushes in progress get their answers before the listener closes.
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if serr := srv.Shutdown(shut); serr != nil && err == nil {
			err = serr
		}
		stop()
		<-runDone
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		return err
	}, nil
}

// pushServer serves WeChat's pushes. A push is a few kilobytes, read in
// seconds; its answer waits at most the reply deadline (a few seconds,
// WeChat gives up after five), so every phase is bounded well above what
// WeChat needs and far below what a client that trickles could hold.
func pushServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 20 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
}
