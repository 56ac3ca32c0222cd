package officialaccount

import (
	"context"
	"sync"
	"time"
)

// tokens keeps the account's access token: fetched when first needed,
// cached until shortly before it expires, fetched again once for all the
// senders that need it at the same moment, and dropped when the API says
// it is no longer good. It implements the library's AccessTokenHandle, so
// the library's own calls share the one token: WeChat keeps only the
// latest token of an account valid (Basic_Information/Get_access_token.html:
// 重复获取将导致上次获取的access_token失效), so two caches would take turns
// invalidating each other.
//
// The token is a secret: it is never logged, and errors that quote it are
// cleared first (see redact).
type tokens struct {
	fetch func(ctx context.Context) (token string, ttl time.Duration, err error)
	now   func() time.Time

	mu      sync.Mutex
	token   string
	renewAt time.Time
	flight  *flight // the fetch in progress, if any
}

// flight is one fetch; every sender that asked during it gets its result.
type flight struct {
	done  chan struct{}
	token string
	err   error
}

// renewBefore is how long before its expiry a token is replaced. WeChat
// keeps the old token working for five minutes after a new one is fetched
// (Get_access_token.html: 公众平台后台会保证在5分钟内，新老access_token都可用),
// so renewing five minutes early never leaves a call without a good token.
const renewBefore = 5 * time.Minute

// fetchTimeout bounds one fetch, whoever waits for it.
const fetchTimeout = 30 * time.Second

// get returns a good token, fetching one if there is none.
func (t *tokens) get(ctx context.Context) (string, error) {
	t.mu.Lock()
	if t.token != "" && t.now().Before(t.renewAt) {
		defer t.mu.Unlock()
		return t.token, nil
	}
	f := t.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		t.flight = f
		// The fetch serves every waiter, so no one waiter's context may
		// cancel it.
		go t.run(context.WithoutCancel(ctx), f)
	}
	t.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (t *tokens) run(ctx context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	token, ttl, err := t.fetch(ctx)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil {
		t.token = token
		t.renewAt = t.now().Add(ttl - min(renewBefore, ttl/4))
	}
	f.token, f.err = token, err
	t.flight = nil
	close(f.done)
}

// invalidate drops the token a call was refused with, unless a newer one
// has replaced it already: of many senders refused at once, only the first
// causes a fetch.
func (t *tokens) invalidate(stale string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.token == stale {
		t.token = ""
	}
}

// GetAccessToken is the library's AccessTokenHandle.
func (t *tokens) GetAccessToken() (string, error) {
	return t.get(context.Background())
}

// GetAccessTokenContext is the library's AccessTokenContextHandle.
func (t *tokens) GetAccessTokenContext(ctx context.Context) (string, error) {
	return t.get(ctx)
}
