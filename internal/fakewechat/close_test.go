package fakewechat

import (
	"io"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// Close answers held polls at once: the bot's synccheck with retcode 1101
// (so the bot stops instead of spinning) and a login poll with 400.
func TestClose_ReleasesHeldPolls(t *testing.T) {
	opts := testOptions()
	opts.SyncHold, opts.LoginHold = time.Minute, time.Minute
	s := startFake(t, opts)
	held := holds(s)

	tb := login(t, s)
	waitHeld(t, held, "synccheck")
	rc := newRawClient(t, s.Transport(nil))
	uuid := rc.jsLogin()
	polled := make(chan string, 1)
	go func() { // no t.Fatal off the test goroutine: report the error instead
		resp, err := rc.c.Get("https://login.wx.qq.com/cgi-bin/mmwebwx-bin/login?tip=0&uuid=" + url.QueryEscape(uuid))
		if err != nil {
			polled <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		polled <- string(b)
	}()
	waitHeld(t, held, "login")

	start := time.Now()
	s.Close()
	s.Close() // idempotent
	if !closed(tb.logout) {
		t.Fatal("deadlocked: the bot's held synccheck was not released")
	}
	select {
	case body := <-polled:
		if body != "window.code=400;" {
			t.Errorf("released login poll = %q, want 400", body)
		}
	case <-time.After(wait):
		t.Fatal("deadlocked: the login poll was not released")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("release took %v", d)
	}
	if _, err := rc.c.Get("https://wx.qq.com/"); err == nil {
		t.Error("the server still answers after Close")
	}
}

// Under httptest.Server, Close lets the server's own Close return although
// a synccheck is held.
func TestClose_UnderHTTPTest(t *testing.T) {
	opts := testOptions()
	opts.SyncHold = time.Minute
	s := New(opts)
	held := holds(s)
	ts := httptest.NewServer(s)
	target, _ := url.Parse(ts.URL)
	rc := newRawClient(t, RewriteTransport(target, nil))
	br, init := rc.login(s)
	answered := make(chan string, 1)
	go func() {
		resp, err := rc.c.Get(syncCheckURL(br, init.SyncKey.messageKey()))
		if err != nil {
			answered <- err.Error()
			return
		}
		resp.Body.Close()
		answered <- resp.Status
	}()
	waitHeld(t, held, "synccheck")

	done := make(chan struct{})
	go func() {
		s.Close()
		ts.Close()
		close(done)
	}()
	if !closed(done) {
		t.Fatal("deadlocked: httptest.Server.Close waited for the held synccheck")
	}
	if got := <-answered; got != "200 OK" {
		t.Errorf("held synccheck ended with %q, want an answer", got)
	}
}
