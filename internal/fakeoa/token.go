package fakeoa

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"time"
)

// Access tokens, as the platform's pages describe them:
//   - getAccessToken (GET /cgi-bin/token?grant_type=client_credential&appid=&secret=)
//     returns {"access_token","expires_in":7200}. "重复获取将导致上次获取的access_token失效"
//     — a new token ends the previous one — but "平台会保证在5分钟内，新老access_token都可用":
//     the old one stays valid for five more minutes
//     (https://developers.weixin.qq.com/doc/service/en/Basic_Information/Get_access_token.html,
//     https://mp.weixin.qq.com/debug/minigame/dev/api-backend/auth.getAccessToken.html).
//     The call was limited to 2,000 a day; beyond, 45009.
//   - getStableAccessToken (POST /cgi-bin/stable_token, JSON) is "与getAccessToken获取的
//     调用凭证完全隔离，互不影响": its tokens are apart. In normal mode it returns the
//     current token until five minutes before it expires, then a new one
//     (both valid meanwhile); force_refresh=true ends the current token and
//     returns a new one, at most 20 times a day and not within 30 s of the
//     last ("否则不会刷新": the current token comes back)
//     (https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken).
//
// A token past its time answers 42001 (expired); one that a newer token
// superseded answers 40001 (invalid or not latest), as WeChat's errmsg
// says; a string that is no token at all, 40014.
const (
	tokenLifetime     = 7200 * time.Second
	tokenOverlap      = 5 * time.Minute
	tokensPerDay      = 2000
	forcedPerDay      = 20
	forceRefreshSpace = 30 * time.Second
)

// accessToken is one token handed out.
type accessToken struct {
	stable     bool
	expires    time.Time
	superseded bool
}

// quotaDays counts the day's token calls; the platform's day is China's.
type quotaDays struct {
	day       string
	tokens    int
	forced    int
	lastForce time.Time
}

var china = time.FixedZone("CST", 8*3600)

func (q *quotaDays) roll(now time.Time) {
	if d := now.In(china).Format(time.DateOnly); d != q.day {
		q.day, q.tokens, q.forced = d, 0, 0
	}
}

// tokenForm is the shape of the tokens the fake hands out, like WeChat's:
// a number, an underscore, and URL-safe characters.
var tokenForm = regexp.MustCompile(`^[0-9]{1,3}_[A-Za-z0-9_-]{20,}$`)

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

func (s *Server) getTokenLocked(ex *exchange) (any, int) {
	q := ex.r.URL.Query()
	if code := s.checkCredentials(q.Get("grant_type"), q.Get("appid"), q.Get("secret")); code != 0 {
		return nil, code
	}
	s.quotas.roll(ex.now)
	if s.quotas.tokens >= tokensPerDay {
		return nil, errQuota
	}
	s.quotas.tokens++
	return tokenAnswer{AccessToken: s.issueLocked(false, ex.now), ExpiresIn: int64(tokenLifetime / time.Second)}, 0
}

func (s *Server) stableTokenLocked(ex *exchange) (any, int) {
	var req struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if code := decodeJSON(ex.body, &req); code != 0 {
		return nil, code
	}
	if code := s.checkCredentials(req.GrantType, req.AppID, req.Secret); code != 0 {
		return nil, code
	}
	now := ex.now
	cur := s.tokens[s.stable]
	live := cur != nil && now.Before(cur.expires)
	if req.ForceRefresh {
		s.quotas.roll(now)
		switch {
		case s.quotas.forced >= forcedPerDay:
			return nil, errQuota
		case live && now.Sub(s.quotas.lastForce) < forceRefreshSpace:
			return tokenAnswer{s.stable, secondsLeft(cur.expires, now)}, 0
		}
		s.quotas.forced++
		s.quotas.lastForce = now
		if live {
			cur.expires, cur.superseded = now, true
		}
	} else if live && cur.expires.Sub(now) > tokenOverlap {
		return tokenAnswer{s.stable, secondsLeft(cur.expires, now)}, 0
	}
	s.stable = s.issueLocked(true, now)
	return tokenAnswer{s.stable, int64(tokenLifetime / time.Second)}, 0
}

// checkCredentials checks grant_type, appid and secret in the order the
// platform reports them.
func (s *Server) checkCredentials(grantType, appID, secret string) int {
	switch {
	case grantType != "client_credential":
		return errGrantType
	case appID == "":
		return errNoAppID
	case appID != s.appID:
		return errAppID
	case secret == "":
		return errNoSecret
	case secret != s.secret:
		return errAppSecret
	}
	return 0
}

// issueLocked hands out a new token of one kind and leaves every earlier
// live token of that kind at most tokenOverlap. Callers hold s.mu.
func (s *Server) issueLocked(stable bool, now time.Time) string {
	for v, t := range s.tokens {
		if t.expires.Before(now.Add(-24 * time.Hour)) {
			delete(s.tokens, v) // forgotten a day after it ended
			continue
		}
		if t.stable == stable && t.expires.After(now.Add(tokenOverlap)) {
			t.expires, t.superseded = now.Add(tokenOverlap), true
		}
	}
	b := make([]byte, 96)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	v := fmt.Sprintf("%d_%s", 80+len(s.tokens)%20, base64.RawURLEncoding.EncodeToString(b))
	s.tokens[v] = &accessToken{stable: stable, expires: now.Add(tokenLifetime)}
	return v
}

// checkTokenLocked returns the errcode for a call with access token v, or
// 0 if it is valid. Callers hold s.mu.
func (s *Server) checkTokenLocked(v string, now time.Time) int {
	if v == "" {
		return errNoAccessToken
	}
	if !tokenForm.MatchString(v) {
		return errAccessToken
	}
	t := s.tokens[v]
	switch {
	case t == nil:
		return errCredential
	case !now.Before(t.expires) && t.superseded:
		return errCredential
	case !now.Before(t.expires):
		return errTokenExpired
	}
	return 0
}

// ExpireTokens ends every token now, as if their 7,200 s had passed: the
// next call with any of them answers 42001.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.tokens {
		if now.Before(t.expires) {
			t.expires = now
		}
	}
}

func secondsLeft(until, now time.Time) int64 {
	return int64(until.Sub(now) / time.Second)
}
