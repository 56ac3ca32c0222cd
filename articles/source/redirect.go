package source

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// ErrRedirect means a server redirected the fetcher off the host it was
// asked for. Following it would let a page send the bot to any address it
// can reach, inside the network too (server-side request forgery).
var ErrRedirect = errors.New("redirect refused")

// maxRedirects is net/http's own default limit.
const maxRedirects = 10

// redirectError names both ends of a refused redirect.
type redirectError struct {
	from, to string
	reason   string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("%s: %s redirects to %s: %s", ErrRedirect, e.from, e.to, e.reason)
}

func (e *redirectError) Unwrap() error { return ErrRedirect }

// checkRedirect is the fetcher's http.Client.CheckRedirect: it follows a
// redirect only to the host the first request went to. On that host it
// keeps the scheme and port, or upgrades http to https; it never
// downgrades https to http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if len(via) >= maxRedirects {
		return &redirectError{from: first.Redacted(), to: req.URL.Redacted(), reason: fmt.Sprintf("more than %d redirects", maxRedirects)}
	}
	if reason := offSite(first, req.URL); reason != "" {
		return &redirectError{from: via[len(via)-1].URL.Redacted(), to: req.URL.Redacted(), reason: reason}
	}
	return nil
}

// offSite says why to may not be followed from from, or "" when it may.
func offSite(from, to *url.URL) string {
	if !sameHostname(from.Hostname(), to.Hostname()) {
		return "only the site's own host " + from.Hostname() + " is followed"
	}
	switch {
	case from.Scheme == to.Scheme && port(from) == port(to):
		return ""
	case from.Scheme == "http" && to.Scheme == "https":
		// The upgrade GitHub Pages and most sites make; the port changes
		// with the scheme.
		return ""
	case from.Scheme == to.Scheme:
		return "another port of the site's host is not followed"
	}
	return "https is not downgraded to " + to.Scheme
}

func sameHostname(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// port returns u's port, or the default of its scheme.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}
