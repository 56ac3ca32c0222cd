package fakeoa

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

const send = "/cgi-bin/message/custom/send"

func TestFaultsSpoilTheNextCalls(t *testing.T) {
	s, _ := start(t, Options{})
	startBot(t, s, "", echo)
	follow(t, s, "o-reader")
	say(t, s, "o-reader", "1")
	token := getToken(t, s)

	// Busy twice, then the send goes through.
	if err := s.FailNext(send, 2, errSystem); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{errSystem, errSystem, 0} {
		if code := sendText(t, s, token, "o-reader", "x"); int(code) != want {
			t.Errorf("send %d: %d, want %d", i+1, code, want)
		}
	}
	if n := len(s.Messages("o-reader")); n != 3 {
		t.Errorf("%d messages, want the welcome, the reply and the one send that went through", n)
	}

	// A fault on one path leaves the others alone.
	if err := s.FailNext("/cgi-bin/menu/get", 1, 45009); err != nil {
		t.Fatal(err)
	}
	if code := sendText(t, s, token, "o-reader", "x"); code != 0 {
		t.Errorf("a send while menu/get is spoiled: %d", code)
	}

	// A proxy's 502, then a dropped connection.
	if err := s.AddFault(Fault{Path: send, Times: 1, Status: http.StatusBadGateway}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFault(Fault{Path: send, Times: 1, Drop: true}); err != nil {
		t.Fatal(err)
	}
	uri := s.URL() + send + "?access_token=" + token
	if _, err := util.PostJSONContext(context.Background(), uri, map[string]string{}); err == nil || !strings.Contains(err.Error(), "statusCode=502") {
		t.Errorf("a 502: %v", err)
	}
	if _, err := util.PostJSONContext(context.Background(), uri, map[string]string{}); err == nil {
		t.Error("a dropped connection gave no error")
	}
	if calls := s.CallsTo(send); calls[len(calls)-2].Status != http.StatusBadGateway || calls[len(calls)-1].Status != 0 {
		t.Errorf("the last calls are %+v, want the 502 and the drop", calls[len(calls)-2:])
	}
}

func TestADelayedCallEndsWhenTheClientGivesUpOrFaultsClear(t *testing.T) {
	s, _ := start(t, Options{})
	token := getToken(t, s)
	if err := s.AddFault(Fault{Path: "/cgi-bin/menu/get", Times: -1, Delay: time.Minute}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := util.HTTPGetContext(ctx, s.URL()+"/cgi-bin/menu/get?access_token="+token); err == nil {
		t.Error("a call held for a minute answered within 100 ms")
	}
	done := make(chan error, 1)
	go func() {
		_, err := util.HTTPGetContext(context.Background(), s.URL()+"/cgi-bin/menu/get?access_token="+token)
		done <- err
	}()
	// ClearFaults may come before the call takes its fault; then the call
	// is not delayed at all. Either way it must end.
	s.ClearFaults()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the call after ClearFaults: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked: ClearFaults did not end the delay")
	}
}

func TestAddFaultRefusesFaultsThatMeanNothing(t *testing.T) {
	s, _ := start(t, Options{})
	for name, f := range map[string]Fault{
		"nothing":          {Path: send, Times: 1},
		"two at once":      {Path: send, Times: 1, Errcode: -1, Drop: true},
		"no times":         {Path: send, Errcode: -1},
		"a status of 200":  {Path: send, Times: 1, Status: 200},
		"an unknown path":  {Path: "/cgi-bin/nowhere", Times: 1, Errcode: -1},
		"a negative delay": {Path: send, Times: 1, Delay: -time.Second},
	} {
		if err := s.AddFault(f); err == nil || !strings.HasPrefix(err.Error(), "fakeoa: unable to add fault: ") {
			t.Errorf("%s: %v, want refused", name, err)
		}
	}
	if err := s.FailPushes(PushFault(9), 1); err == nil {
		t.Error("an unknown push fault was queued")
	}
}

// A token that expires while the bot runs: the next call says so, and a
// new token works.
func TestATokenExpiringMidRun(t *testing.T) {
	s, _ := start(t, Options{})
	startBot(t, s, "", echo)
	follow(t, s, "o-reader")
	token := getToken(t, s)
	if code := sendText(t, s, token, "o-reader", "a"); code != 0 {
		t.Fatalf("send: %d", code)
	}
	s.ExpireTokens()
	if code := sendText(t, s, token, "o-reader", "b"); code != errTokenExpired {
		t.Errorf("send with an expired token: %d, want 42001", code)
	}
	if code := sendText(t, s, getToken(t, s), "o-reader", "b"); code != 0 {
		t.Errorf("send with a new token: %d", code)
	}
	if got := s.Messages("o-reader"); len(got) != 3 || got[2].Text != "b" {
		t.Errorf("Messages = %+v, want b once", got)
	}
}
