package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter gives each client address its own token bucket. Buckets that
// have filled up again are forgotten, so the map holds only the addresses
// seen lately.
type limiter struct {
	r   Rate
	now func() time.Time
	mu  sync.Mutex
	by  map[string]*rate.Limiter
}

// limiterMost is how many addresses the map holds before it forgets the
// full buckets.
const limiterMost = 10000

func newLimiter(r Rate, now func() time.Time) *limiter {
	return &limiter{r: r, now: now, by: map[string]*rate.Limiter{}}
}

// wait returns 0 when addr may go on, else how long it must wait.
func (l *limiter) wait(addr string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.by[addr]
	if b == nil {
		if len(l.by) >= limiterMost {
			l.forget(now)
		}
		b = rate.NewLimiter(rate.Limit(l.r.PerSecond), l.r.Burst)
		l.by[addr] = b
	}
	res := b.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

func (l *limiter) forget(now time.Time) {
	for k, b := range l.by {
		if b.TokensAt(now) >= float64(l.r.Burst) {
			delete(l.by, k)
		}
	}
}

// wrap answers 429 with Retry-After to an address over its allowance.
func (l *limiter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := l.wait(clientAddr(r)); d > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
			http.Error(w, "429 too many requests", http.StatusTooManyRequests)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// clientAddr is the address a request came from. A proxy in front makes
// every reader one address; the limits then apply to all together.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
