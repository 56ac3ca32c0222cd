package fakeoa

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// step moves the fake's clock, makes the follower act, then sends
// customer-service messages and expects their errcodes in order.
type step struct {
	after time.Duration
	act   string // "follow", "say", "click", "view", "unfollow" or ""
	want  []int
}

func oks(n int, then ...int) []int { return append(make([]int, n), then...) }

func TestCustomerServiceMessagesKeepTheWindow(t *testing.T) {
	cases := map[string][]step{
		"following allows 3 within a minute": {
			{act: "follow", want: oks(3, errOutOfCount)},
			{after: time.Minute, want: []int{errOutOfTime}},
		},
		"a message allows 5": {
			{act: "follow"}, {after: time.Minute, act: "say", want: oks(5, errOutOfCount)},
			{after: 47 * time.Hour, want: []int{errOutOfCount}},
		},
		"a message's window closes after 48 hours": {
			{act: "follow"}, {after: time.Minute, act: "say", want: oks(1)},
			{after: 48*time.Hour - time.Second, want: oks(1)},
			{after: time.Second, want: []int{errOutOfTime}},
		},
		"a new message starts the quota afresh": {
			{act: "follow"}, {after: time.Minute, act: "say", want: oks(5, errOutOfCount)},
			{after: time.Hour, act: "say", want: oks(5, errOutOfCount)},
		},
		"a click adds 3 for a minute, spent first": {
			{act: "follow"}, {after: time.Minute, act: "say"},
			{act: "click", want: oks(3)},
			{after: time.Minute, want: oks(5, errOutOfCount)},
		},
		"a link opens no window": {
			{act: "follow"}, {after: time.Minute, act: "view", want: []int{errOutOfTime}},
		},
		"unfollowing closes every window, following again opens one": {
			{act: "follow"}, {act: "say"}, {act: "unfollow", want: []int{errOutOfTime}},
			{act: "follow", want: oks(3, errOutOfCount)},
		},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) {
			s, clock := start(t, Options{})
			startBot(t, s, "", echo)
			setMenu(t, s)
			token := getToken(t, s)
			ctx := context.Background()
			for i, st := range steps {
				clock.Advance(st.after)
				var err error
				switch st.act {
				case "follow":
					_, err = s.Follow(ctx, "o-reader")
				case "say":
					_, err = s.Say(ctx, "o-reader", "1")
				case "click":
					_, err = s.Click(ctx, "o-reader", "DIGEST")
				case "view":
					_, err = s.View(ctx, "o-reader", "https://finews.withounder.com/")
				case "unfollow":
					_, err = s.Unfollow(ctx, "o-reader")
				}
				if err != nil {
					t.Fatalf("step %d %s: %v", i, st.act, err)
				}
				// The token outlives the steps: they span more than 7,200 s.
				if st.after > 0 {
					token = getToken(t, s)
				}
				var got []int
				for range st.want {
					got = append(got, int(sendText(t, s, token, "o-reader", "摘要")))
				}
				if fmt.Sprint(got) != fmt.Sprint(st.want) {
					t.Fatalf("step %d (%s after %s): errcodes %v, want %v", i, st.act, st.after, got, st.want)
				}
			}
		})
	}
}

func TestWindowTellsWhatIsLeft(t *testing.T) {
	s, clock := start(t, Options{MessageQuota: 2, MessageWindow: time.Hour})
	startBot(t, s, "", echo)
	if w := s.Window("o-reader"); w != (Window{}) {
		t.Errorf("a stranger's window = %+v, want zero", w)
	}
	follow(t, s, "o-reader")
	clock.Advance(time.Minute)
	say(t, s, "o-reader", "1")
	want := Window{Following: true, Open: true, Left: 2, Until: epoch.Add(time.Minute + time.Hour)}
	if w := s.Window("o-reader"); w != want {
		t.Errorf("window = %+v, want %+v", w, want)
	}
	token := getToken(t, s)
	sendText(t, s, token, "o-reader", "a")
	sendText(t, s, token, "o-reader", "b")
	if w := s.Window("o-reader"); !w.Open || w.Left != 0 {
		t.Errorf("window after 2 sends = %+v, want open with none left", w)
	}
	if code := sendText(t, s, token, "o-reader", "c"); code != errOutOfCount {
		t.Errorf("a third send: %d, want 45047", code)
	}
}

func TestCustomerServiceMessagesAreCheckedAndShown(t *testing.T) {
	s, _ := start(t, Options{})
	startBot(t, s, "", echo)
	follow(t, s, "o-reader")
	token := getToken(t, s)
	cases := []struct {
		openID, text string
		want         int
	}{
		{"o-stranger", "hi", errOpenID},
		{"o-reader", "", errEmptyContent},
		{"o-reader", strings.Repeat("梧", MaxCustomText/3) + "xx", 0}, // 2,048 bytes
		{"o-reader", strings.Repeat("x", MaxCustomText+1), errContentSize},
		{"o-reader", "第二条", 0},
	}
	for _, tc := range cases {
		if code := sendText(t, s, token, tc.openID, tc.text); int(code) != tc.want {
			t.Errorf("send to %s of %d bytes: %d, want %d", tc.openID, len(tc.text), code, tc.want)
		}
	}
	if ce := apiCall(t, s, "POST", "/cgi-bin/message/custom/send", token, map[string]any{"touser": "o-reader", "msgtype": "markdown"}); ce.ErrCode != errMsgType {
		t.Errorf("an unknown msgtype: %d, want 40008", ce.ErrCode)
	}
	msgs := s.Messages("o-reader")
	if len(msgs) != 3 || msgs[1].Via != ViaCustom || len(msgs[1].Text) != MaxCustomText || msgs[2].Text != "第二条" {
		t.Fatalf("Messages = %d messages, want the welcome and the two accepted sends", len(msgs))
	}
	calls := s.CallsTo("/cgi-bin/message/custom/send")
	if len(calls) != 6 || calls[0].OpenID != "o-stranger" || calls[0].Errcode != errOpenID || !strings.HasPrefix(calls[0].Errmsg, "invalid openid rid: ") {
		t.Errorf("calls = %+v", calls)
	}
}

func TestWaitMessageReturnsWhatCameLater(t *testing.T) {
	s, _ := start(t, Options{})
	startBot(t, s, "", echo)
	follow(t, s, "o-reader")
	say(t, s, "o-reader", "1")
	token := getToken(t, s)
	sendText(t, s, token, "o-reader", "first")
	sendText(t, s, token, "o-reader", "second")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, want := range []string{"first", "second"} {
		m, err := s.WaitMessage(ctx, "o-reader")
		if err != nil || m.Text != want || m.Via != ViaCustom {
			t.Fatalf("WaitMessage = %+v, %v; want %q (the replies came back with their pushes)", m, err, want)
		}
	}
	got := make(chan Message, 1)
	go func() {
		m, err := s.WaitMessage(ctx, "o-reader")
		if err != nil {
			t.Errorf("WaitMessage for a later message: %v", err)
		}
		got <- m
	}()
	sendText(t, s, token, "o-reader", "third")
	select {
	case m := <-got:
		if m.Text != "third" {
			t.Errorf("WaitMessage = %+v, want third", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked: WaitMessage did not wake for a new message")
	}

	short, cancelShort := context.WithCancel(context.Background())
	cancelShort()
	if _, err := s.WaitMessage(short, "o-reader"); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitMessage with nothing to come: %v, want the context's error", err)
	}
}
