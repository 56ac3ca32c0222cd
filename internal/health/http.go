package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves /healthz (every part: 200 when healthy, else 503),
// /readyz (200 once the database answers and the platforms are connected)
// and /metrics (Prometheus text format). Both health answers are JSON.
func Handler(c *Checker, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		rep := c.Check(r.Context())
		writeJSON(w, rep.Healthy, rep)
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		rep := c.Check(r.Context())
		ready := true
		for _, p := range rep.Parts {
			// Sources may fail and the bot still serves its chats.
			if !p.OK && (p.Name == "database" || c.Transports[p.Name] != nil) {
				ready = false
			}
		}
		writeJSON(w, ready, map[string]any{"ready": ready, "parts": rep.Parts})
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

func writeJSON(w http.ResponseWriter, ok bool, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// Serve listens on addr until ctx ends. The listener is for a supervisor on
// the same machine: anything but a loopback address needs allowPublic.
func Serve(ctx context.Context, addr string, h http.Handler, allowPublic bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("health: bad listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); !allowPublic && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("health: %s is not a loopback address; the health and metrics listener serves this machine only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("health: unable to listen on %s: %w", addr, err)
	}
	srv := server(h)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	slog.Info("Health and metrics listening", slog.String("addr", ln.Addr().String()))
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("health: %w", err)
	}
	return nil
}

// server bounds every phase of a request, so that clients that connect
// and then trickle or hold their connection cannot pile up.
func server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
