package fakeoa

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/util"
)

// menuGet calls an endpoint that needs a token and returns its errcode
// (46003 means the token was accepted: there is no menu).
func menuGet(t *testing.T, s *Server, token string) int {
	t.Helper()
	return int(apiCall(t, s, http.MethodGet, "/cgi-bin/menu/get", token, nil).ErrCode)
}

func TestGetTokenAnswersAsDocumented(t *testing.T) {
	s, _ := start(t, Options{AppID: "wx0123456789abcdef", AppSecret: "0123456789abcdef0123456789abcdef"})
	res, err := credential.GetTokenFromServerContext(context.Background(),
		s.URL()+"/cgi-bin/token?grant_type=client_credential&appid=wx0123456789abcdef&secret=0123456789abcdef0123456789abcdef")
	if err != nil || res.ExpiresIn != 7200 || !tokenForm.MatchString(res.AccessToken) || len(res.AccessToken) < 100 {
		t.Fatalf("token = %+v, %v; want a long token for 7200 s", res, err)
	}
	if code := menuGet(t, s, res.AccessToken); code != errMenuNone {
		t.Errorf("a fresh token: %d, want it accepted", code)
	}
	for name, tc := range map[string]struct {
		query string
		want  int
	}{
		"no grant_type":   {"appid=wx0123456789abcdef&secret=0123456789abcdef0123456789abcdef", errGrantType},
		"no appid":        {"grant_type=client_credential&secret=x", errNoAppID},
		"another appid":   {"grant_type=client_credential&appid=wx1&secret=x", errAppID},
		"no secret":       {"grant_type=client_credential&appid=wx0123456789abcdef", errNoSecret},
		"a wrong secret":  {"grant_type=client_credential&appid=wx0123456789abcdef&secret=guess", errAppSecret},
		"a POST of token": {"", errNeedGET},
	} {
		var ce int
		if tc.query == "" {
			ce = int(apiCall(t, s, http.MethodPost, "/cgi-bin/token", "", map[string]string{}).ErrCode)
		} else {
			_, err := credential.GetTokenFromServerContext(context.Background(), s.URL()+"/cgi-bin/token?"+tc.query)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("errcode=%d", tc.want)) {
				t.Errorf("%s: %v, want errcode %d", name, err, tc.want)
			}
			continue
		}
		if ce != tc.want {
			t.Errorf("%s: %d, want %d", name, ce, tc.want)
		}
	}
}

func TestTokensExpireAndAreSupersededAsDocumented(t *testing.T) {
	s, clock := start(t, Options{})
	old := getToken(t, s)
	clock.Advance(time.Hour)
	fresh := getToken(t, s)
	clock.Advance(5*time.Minute - time.Second)
	if menuGet(t, s, old) != errMenuNone || menuGet(t, s, fresh) != errMenuNone {
		t.Fatal("within five minutes of a new token, both must work")
	}
	clock.Advance(time.Second)
	if code := menuGet(t, s, old); code != errCredential {
		t.Errorf("the old token five minutes on: %d, want 40001", code)
	}
	clock.Advance(tokenLifetime - 5*time.Minute - time.Second)
	if code := menuGet(t, s, fresh); code != errMenuNone {
		t.Errorf("a token a second before 7,200 s: %d, want it accepted", code)
	}
	clock.Advance(time.Second)
	if code := menuGet(t, s, fresh); code != errTokenExpired {
		t.Errorf("a token at 7,200 s: %d, want 42001", code)
	}
	for token, want := range map[string]int{"": errNoAccessToken, "not a token": errAccessToken, "12_" + strings.Repeat("A", 40): errCredential} {
		if code := menuGet(t, s, url.QueryEscape(token)); code != want {
			t.Errorf("token %q: %d, want %d", token, code, want)
		}
	}
}

func TestExpireTokensEndsEveryTokenNow(t *testing.T) {
	s, _ := start(t, Options{})
	a, b := getToken(t, s), stableToken(t, s, false)
	s.ExpireTokens()
	if menuGet(t, s, a) != errTokenExpired || menuGet(t, s, b) != errTokenExpired {
		t.Error("tokens still work after ExpireTokens")
	}
	if c := getToken(t, s); menuGet(t, s, c) != errMenuNone {
		t.Error("a token got after ExpireTokens does not work")
	}
}

// stableToken gets a token as silenceper's StableAccessToken does.
func stableToken(t *testing.T, s *Server, force bool) string {
	t.Helper()
	res, code := stableCall(t, s, force)
	if code != 0 {
		t.Fatalf("stable_token: errcode %d", code)
	}
	return res.AccessToken
}

// stableCall posts to /cgi-bin/stable_token as silenceper's
// StableAccessToken.GetAccessTokenDirectly does (its URL is fixed, so the
// request is made with the same helper here).
func stableCall(t *testing.T, s *Server, force bool) (credential.ResAccessToken, int) {
	t.Helper()
	body := map[string]any{"grant_type": "client_credential", "appid": s.AppID(), "secret": s.AppSecret(), "force_refresh": force}
	raw, err := util.PostJSONContext(context.Background(), s.URL()+"/cgi-bin/stable_token", body)
	if err != nil {
		t.Fatal(err)
	}
	var res credential.ResAccessToken
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("stable_token answered %q: %v", raw, err)
	}
	return res, int(res.ErrCode)
}

func TestStableTokensAreStableAndApart(t *testing.T) {
	s, clock := start(t, Options{})
	first := stableToken(t, s, false)
	clock.Advance(time.Hour)
	if again := stableToken(t, s, false); again != first {
		t.Error("normal mode gave a new token while the old one had an hour left")
	}
	plain := getToken(t, s)
	if menuGet(t, s, first) != errMenuNone || menuGet(t, s, plain) != errMenuNone {
		t.Error("getAccessToken must not supersede a stable token, nor the reverse")
	}

	clock.Advance(tokenLifetime - time.Hour - 5*time.Minute + time.Second)
	renewed := stableToken(t, s, false)
	if renewed == first {
		t.Fatal("normal mode kept a token with less than five minutes left")
	}
	if menuGet(t, s, first) != errMenuNone {
		t.Error("the old stable token must last its last minutes")
	}

	forced := stableToken(t, s, true)
	if forced == renewed || menuGet(t, s, renewed) != errCredential {
		t.Error("force_refresh must end the current token at once")
	}
	if again := stableToken(t, s, true); again != forced {
		t.Error("a second force_refresh within 30 s must not refresh")
	}
	for range forcedPerDay - 1 {
		clock.Advance(forceRefreshSpace)
		stableToken(t, s, true)
	}
	clock.Advance(forceRefreshSpace)
	if _, code := stableCall(t, s, true); code != errQuota {
		t.Errorf("force_refresh %d in a day: %d, want 45009", forcedPerDay+1, code)
	}
}

func TestGetTokenHasADailyQuota(t *testing.T) {
	s, clock := start(t, Options{})
	q := url.Values{"grant_type": {"client_credential"}, "appid": {s.AppID()}, "secret": {s.AppSecret()}}
	call := func() int {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/cgi-bin/token?"+q.Encode(), nil))
		if strings.Contains(w.Body.String(), "access_token") {
			return 0
		}
		return errQuota
	}
	for i := range tokensPerDay {
		if call() != 0 {
			t.Fatalf("call %d refused", i+1)
		}
	}
	if call() != errQuota {
		t.Errorf("call %d in a day was answered", tokensPerDay+1)
	}
	clock.Advance(24 * time.Hour)
	if call() != 0 {
		t.Error("the quota did not start afresh the next day")
	}
}
