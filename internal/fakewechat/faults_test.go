package fakewechat

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eatmoreapple/openwechat"
)

// Send faults as the caller of SendText sees them.
func TestSendFaults(t *testing.T) {
	s := startFake(t, testOptions())
	tb := login(t, s)
	editor := friend(t, tb, "Editor")

	// Ret 1205: an openwechat.Ret the caller can match.
	if err := s.FailSends(2, 1205); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		_, err := editor.SendText("too fast")
		var ret openwechat.Ret
		if !errors.As(err, &ret) || ret != 1205 || err.Error() != "operate too often" {
			t.Errorf("send %d = %v, want Ret 1205 (operate too often)", i, err)
		}
	}
	if _, err := editor.SendText("third time"); err != nil {
		t.Errorf("send after the faults = %v", err)
	}
	sends := s.Sends()
	if len(sends) != 3 || sends[0].Ret != 1205 || sends[1].Ret != 1205 || sends[2].Ret != 0 || sends[2].MsgID == "" {
		t.Errorf("recorded %+v, want two refused with 1205 and one accepted", sends)
	}
	if got := s.Accepted(); len(got) != 1 || got[0].Content != "third time" || got[0].To != "editor" {
		t.Errorf("accepted %+v, want only the third", got)
	}

	// HTTP 503: openwechat ignores the status and fails to parse the HTML.
	if err := s.AddFault(Fault{Endpoint: "webwxsendmsg", Times: 1, Status: 503}); err != nil {
		t.Fatal(err)
	}
	_, err := editor.SendText("during an outage")
	var ret openwechat.Ret
	if err == nil || errors.As(err, &ret) || openwechat.IsNetworkError(err) || !strings.Contains(err.Error(), "invalid character '<'") {
		t.Errorf("send during a 503 = %v, want a JSON syntax error", err)
	}

	// A dropped connection is retried by openwechat at once, so the send
	// succeeds and the fake reads it once.
	if err := s.AddFault(Fault{Endpoint: "webwxsendmsg", Times: 1, Drop: true}); err != nil {
		t.Fatal(err)
	}
	before := s.Count("webwxsendmsg")
	if _, err := editor.SendText("retried"); err != nil {
		t.Errorf("send over a dropped connection = %v, want the retry to succeed", err)
	}
	if n := s.Count("webwxsendmsg") - before; n != 2 {
		t.Errorf("%d requests for one send over a dropped connection, want 2", n)
	}

	// A slow answer holds the send, then it goes through.
	if err := s.AddFault(Fault{Endpoint: "webwxsendmsg", Times: 1, Delay: 200 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := editor.SendText("slow"); err != nil || time.Since(start) < 200*time.Millisecond {
		t.Errorf("slow send = %v after %v, want success after 200ms", err, time.Since(start))
	}
	if got := s.Accepted(); len(got) != 3 || got[2].Content != "slow" {
		t.Errorf("accepted %+v, want third time, retried, slow", got)
	}
}

// Faults on the polling side: a webwxsync with Ret != 0 is not checked by
// openwechat (it still needs a SyncKey, which the fake sends), and a
// synccheck fault with retcode 1102 stops the bot.
func TestPollFaults(t *testing.T) {
	s := startFake(t, testOptions())
	tb := login(t, s)
	if err := s.AddFault(Fault{Endpoint: "webwxsync", Times: 1, Ret: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InjectText("reader", "after a bad sync"); err != nil {
		t.Fatal(err)
	}
	if m := tb.next(t); m.Content != "after a bad sync" {
		t.Errorf("message after a failed webwxsync = %q", m.Content)
	}
	if err := s.AddFault(Fault{Endpoint: "synccheck", Times: 1, Ret: 1102}); err != nil {
		t.Fatal(err)
	}
	if !closed(tb.logout) {
		t.Fatal("deadlocked: synccheck retcode 1102 did not stop the bot")
	}
	var ret openwechat.Ret
	if err := tb.CrashReason(); !errors.As(err, &ret) || ret != 1102 {
		t.Errorf("CrashReason = %v, want Ret 1102", err)
	}
}
