package fakeoa

import (
	"net/http"
	"strings"
	"testing"
)

func TestTheAPIAnswersLikeWeChat(t *testing.T) {
	s, _ := start(t, Options{})
	token := getToken(t, s)

	resp, err := http.Get(s.URL() + "/cgi-bin/nowhere?access_token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown path: %d, want 404", resp.StatusCode)
	}
	resp, err = http.Get(s.URL() + "/cgi-bin/menu/get?access_token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	if ce := apiCall(t, s, http.MethodGet, send, token, nil); ce.ErrCode != errNeedPOST {
		t.Errorf("a GET of custom/send: %d, want 43002", ce.ErrCode)
	}

	calls := s.Calls()
	if len(calls) != 4 || calls[1].Path != "/cgi-bin/nowhere" || calls[1].Status != http.StatusNotFound || calls[3].Errcode != errNeedPOST {
		t.Errorf("Calls = %+v", calls)
	}
	// Calls keep no query string: it holds tokens and the AppSecret.
	for _, c := range calls {
		if strings.Contains(c.Path+c.Errmsg, token) || strings.Contains(c.Path, s.AppSecret()) {
			t.Errorf("a call kept a secret: %+v", c)
		}
	}
}
