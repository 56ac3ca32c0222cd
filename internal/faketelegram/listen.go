package faketelegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Listen serves srv on addr (host:port; port 0 picks a free one) until
// stop is called or ctx ends, and returns the base URL to give Endpoint.
// stop closes srv (waking held polls), then shuts the HTTP server down,
// waiting up to five seconds for calls in progress; it is idempotent.
func Listen(ctx context.Context, addr string, srv *Server) (baseURL string, stop func(), err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("faketelegram: unable to listen on %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			slog.Warn("Fake Telegram server stopped", slog.String("addr", ln.Addr().String()), slog.Any("error", err))
		}
	}()
	var once sync.Once
	shutdown := func() {
		once.Do(func() {
			srv.Close()
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				_ = hs.Close() // the deadline passed; drop what is left
			}
			<-served
		})
	}
	cancelWatch := context.AfterFunc(ctx, shutdown)
	stop = func() {
		cancelWatch()
		shutdown()
	}
	return "http://" + ln.Addr().String(), stop, nil
}
