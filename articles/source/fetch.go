// Package source holds the places articles come from (a local clone of the
// site, the site over HTTP, and its Atom feed) and the site's formats: Jekyll
// post files (post.go), post pages as its layouts render them (page.go) and
// Atom feed entries (feedentry.go).
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Errors a fetch can end with. They wrap the detail.
var (
	ErrTooLarge = errors.New("response too large")
	ErrStatus   = errors.New("unexpected HTTP status")
	ErrGaveUp   = errors.New("gave up")
)

// FetcherOptions configure a Fetcher. Zero values take defaults.
type FetcherOptions struct {
	Client *http.Client // shared by every request; default has no overall timeout
	// Version names the program's version in the default User-Agent,
	// UserAgent(Version).
	Version string
	// UserAgent replaces the default; anything but printable ASCII is
	// dropped from it.
	UserAgent  string
	Timeout    time.Duration
	MaxBytes   int64
	Retries    int           // further attempts after the first; default 3
	Backoff    time.Duration // the first retry's wait; doubles each time
	MaxBackoff time.Duration // a longer Retry-After makes the fetch give up
	PerHost    int           // requests in flight to one host
	Now        func() time.Time
	// Sleep waits d or until ctx ends; tests replace it to run without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Fetcher makes polite, bounded HTTP GETs: conditional requests, a timeout
// per attempt, retries with backoff on 5xx, 429 and timeouts (honouring
// Retry-After), a cap on body size, a User-Agent that names the bot, a
// per-host concurrency limit, and redirects followed only on the host
// asked for.
type Fetcher struct {
	opts   FetcherOptions
	client *http.Client // opts.Client with the redirect policy
	mu     sync.Mutex
	host   map[string]chan struct{}
}

// NewFetcher returns a Fetcher with defaults filled in.
func NewFetcher(opts FetcherOptions) *Fetcher {
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.UserAgent = asciiHeader(opts.UserAgent); opts.UserAgent == "" {
		opts.UserAgent = UserAgent(opts.Version)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 20 * time.Second
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 8 << 20
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	} else if opts.Retries == 0 {
		opts.Retries = 3
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 2 * time.Minute
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 2
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	// A copy, so the caller's client keeps its own policy; the transport
	// and its connections are still shared.
	client := *opts.Client
	client.CheckRedirect = checkRedirect
	return &Fetcher{opts: opts, client: &client, host: map[string]chan struct{}{}}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Validators are what a server said about a response, sent back to ask
// "has it changed?".
type Validators struct {
	ETag         string
	LastModified string
}

// Response is a completed fetch.
type Response struct {
	URL         string
	NotModified bool // 304: the stored copy is current; Body is empty
	Body        []byte
	Validators  Validators
	Attempts    int
}

// Get fetches rawURL, sending v as If-None-Match / If-Modified-Since.
func (f *Fetcher) Get(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fetch: %q is not an http(s) URL", rawURL)
	}
	var lastErr error
	for attempt := 0; attempt <= f.opts.Retries; attempt++ {
		resp, retryAfter, err := f.attempt(ctx, u, v)
		if err == nil {
			resp.Attempts = attempt + 1
			return resp, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, ctx.Err())
		}
		if !retryable(err) || attempt == f.opts.Retries {
			break
		}
		wait := f.backoff(attempt)
		if retryAfter > 0 {
			if retryAfter > f.opts.MaxBackoff {
				return nil, fmt.Errorf("fetch %s: %w: the server asks to wait %s: %w", rawURL, ErrGaveUp, retryAfter, err)
			}
			wait = retryAfter
		}
		if err := f.opts.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	if retryable(lastErr) {
		return nil, fmt.Errorf("fetch %s: %w (%d attempts): %w", rawURL, ErrGaveUp, f.opts.Retries+1, lastErr)
	}
	return nil, fmt.Errorf("fetch %s: %w", rawURL, lastErr)
}

// backoff is exponential with full jitter in its upper half, so many
// clients do not retry in step.
func (f *Fetcher) backoff(attempt int) time.Duration {
	d := f.opts.Backoff << attempt
	if d > f.opts.MaxBackoff || d <= 0 {
		d = f.opts.MaxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

// statusError is a non-2xx, non-304 answer.
type statusError struct {
	code int
}

func (e *statusError) Error() string { return fmt.Sprintf("%s %d", ErrStatus, e.code) }
func (e *statusError) Unwrap() error { return ErrStatus }

// StatusCode returns the HTTP status of a failed fetch, or 0.
func StatusCode(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.code
	}
	return 0
}

func retryable(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.code == http.StatusTooManyRequests || se.code >= 500
	}
	if errors.Is(err, ErrTooLarge) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}

func (f *Fetcher) attempt(ctx context.Context, u *url.URL, v Validators) (*Response, time.Duration, error) {
	release, err := f.acquire(ctx, u.Host)
	if err != nil {
		return nil, 0, err
	}
	defer release()
	actx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client.Do(req)
	var refused *redirectError
	if errors.As(err, &refused) {
		return nil, 0, refused // without net/http's "Get <url>:" around it
	}
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	got := Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return &Response{URL: u.String(), NotModified: true, Validators: mergeValidators(v, got)}, 0, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, f.retryAfter(resp.Header.Get("Retry-After")), &statusError{code: resp.StatusCode}
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, 0, fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, 0, fmt.Errorf("%w: over the limit of %d bytes", ErrTooLarge, f.opts.MaxBytes)
	}
	return &Response{URL: u.String(), Body: body, Validators: got}, 0, nil
}

// mergeValidators keeps what we sent unless a 304 brought newer values.
func mergeValidators(sent, got Validators) Validators {
	if got.ETag == "" {
		got.ETag = sent.ETag
	}
	if got.LastModified == "" {
		got.LastModified = sent.LastModified
	}
	return got
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func (f *Fetcher) retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(f.opts.Now()); d > 0 {
			return d
		}
	}
	return 0
}

// acquire takes one of the host's slots, waiting while all are in use.
func (f *Fetcher) acquire(ctx context.Context, host string) (func(), error) {
	f.mu.Lock()
	sem, ok := f.host[host]
	if !ok {
		sem = make(chan struct{}, f.opts.PerHost)
		f.host[host] = sem
	}
	f.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
