package wechat_test

import (
	"strings"
	"testing"

	"wzdaily/bot/wechat"
	"wzdaily/internal/logtest"
)

// TestTheTerminalFollowsTheLogin: while a login waits for the phone, the
// terminal says where it stands: waiting for the scan, expired (and a new
// code), scanned, confirmed, logged in; a restart says it needed no scan.
func TestTheTerminalFollowsTheLogin(t *testing.T) {
	w := newWorld(t)
	var out logtest.Buffer
	tr, stop := w.start(t, func(o *wechat.Options) { o.QROut = &out })
	says := func(what string, n int) {
		t.Helper()
		waitFor(t, what, func() bool { return strings.Count(out.String(), what) >= n })
	}
	says("WeChat login: waiting for the scan", 1)
	waitFor(t, "the QR code to expire", func() bool { return w.fake.ExpireQR() == nil })
	says("WeChat login: the QR code expired before the login was confirmed; a new one comes in", 1)
	says("WeChat login: waiting for the scan", 2)
	if err := w.fake.Scan(); err != nil {
		t.Fatal(err)
	}
	says("WeChat login: scanned; now confirm the login on the phone", 1)
	if err := w.fake.Confirm(); err != nil {
		t.Fatal(err)
	}
	loggedIn(t, tr)
	says("WeChat login: logged in", 1)
	stop()

	text := out.String()
	order := []string{"waiting for the scan", "expired", "waiting for the scan", "scanned", "confirmed on the phone", "logged in"}
	rest := text
	for _, step := range order {
		i := strings.Index(rest, step)
		if i < 0 {
			t.Fatalf("the terminal lacks %q in order %q:\n%s", step, order, text)
		}
		rest = rest[i+len(step):]
	}

	var again logtest.Buffer
	tr2, _ := w.start(t, func(o *wechat.Options) { o.QROut = &again })
	loggedIn(t, tr2)
	waitFor(t, "the hot login's line", func() bool { return strings.Contains(again.String(), "logged in from the saved session") })
	if strings.Contains(again.String(), "waiting for the scan") {
		t.Errorf("a hot login asked for a scan:\n%s", again.String())
	}
}
