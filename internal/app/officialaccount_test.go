package app

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"wzdaily/bot/officialaccount"
)

func TestTheOfficialAccountIsServedAtItsPathUntilTheEnd(t *testing.T) {
	tr, err := officialaccount.New(officialaccount.Options{Bot: nobody{}, AppID: "wx1", AppSecret: "secret", Token: "token",
		API: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	a := &App{OfficialAccount: tr, Settings: Settings{OfficialAccount: OfficialAccountSettings{Listen: "127.0.0.1:0", Path: "/wx"}}}
	addr, serve, err := a.listenOfficialAccount()
	if err != nil {
		t.Fatal(err)
	}
	// The address is taken: a second serve says so at once.
	b := &App{OfficialAccount: tr, Settings: Settings{OfficialAccount: OfficialAccountSettings{Listen: addr.String(), Path: "/wx"}}}
	if _, _, err := b.listenOfficialAccount(); err == nil {
		t.Error("a second listener on a taken address")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- serve(ctx) }()
	get := func(path string) (int, string) {
		q := url.Values{"timestamp": {"1"}, "nonce": {"2"}, "signature": {util.Signature("token", "1", "2")}, "echostr": {"4711"}}
		resp, err := http.Get("http://" + addr.String() + path + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get("/wx"); code != http.StatusOK || body != "4711" {
		t.Errorf("the URL check at /wx: %d %q", code, body)
	}
	if code, _ := get("/elsewhere"); code != http.StatusNotFound {
		t.Errorf("another path: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("stopping: %v", err)
	}
}

// TestThePushListenerBoundsEveryPhase: a client that trickles its request
// or never reads the answer cannot hold a connection, and the bounds leave
// room for an answer within the reply deadline.
func TestThePushListenerBoundsEveryPhase(t *testing.T) {
	srv := pushServer(http.NotFoundHandler())
	for name, d := range map[string]time.Duration{"read header": srv.ReadHeaderTimeout, "read": srv.ReadTimeout,
		"write": srv.WriteTimeout, "idle": srv.IdleTimeout} {
		if d <= 0 {
			t.Errorf("%s: unbounded", name)
		}
	}
	if srv.WriteTimeout <= officialaccount.DefaultReplyDeadline {
		t.Errorf("write timeout %v leaves no room for an answer within %v", srv.WriteTimeout, officialaccount.DefaultReplyDeadline)
	}
	if srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Errorf("header bytes %d", srv.MaxHeaderBytes)
	}
}
