package wechat

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/chat"
	"wzdaily/internal/clocktest"
)

func TestSplitKeepsEverythingAndCutsAtLines(t *testing.T) {
	line := strings.Repeat("梧", 30)
	long := strings.Repeat(line+"\n", 10) // 310 characters
	parts := split(long, 100)
	if len(parts) != 4 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if n := utf8.RuneCountInString(p); n > 100 {
			t.Errorf("a part of %d characters", n)
		}
		if strings.HasPrefix(p, "\n") || strings.Count(p, "梧")%30 != 0 {
			t.Errorf("a line was cut: %q", p)
		}
	}
	if got := strings.Count(strings.Join(parts, ""), "梧"); got != 300 {
		t.Errorf("%d of 300 characters kept", got)
	}
	// One line longer than a message is cut anywhere, losing nothing.
	parts = split(strings.Repeat("江", 250), 100)
	if len(parts) != 3 || utf8.RuneCountInString(parts[2]) != 50 {
		t.Errorf("long line: %d parts", len(parts))
	}
	if got := split("", 100); len(got) != 1 {
		t.Errorf("empty text: %q", got)
	}
}

func TestButtonsWithAWordAreNotNumbered(t *testing.T) {
	m := chat.Message{Blocks: []chat.Block{{Kind: chat.Item, Number: 6, Spans: []chat.Span{{Text: "71."}, {Text: "3", Style: chat.HitInside},
		{Text: "2美元"}, {Text: "美元", Style: chat.Hit}}}},
		Buttons: [][]chat.Button{{{Label: "上一页", Data: "s:1:0", Word: "上一页"}, {Label: "下一页", Data: "s:1:2", Word: "下一页"}}}}
	if got := text(m); got != "6. 71.32美元「美元」" {
		t.Errorf("text: %q", got)
	}
	var w Transport
	w.remember(friendKey("a"), m)
	if _, ok := w.pressed(friendKey("a"), "1"); ok {
		t.Errorf("1 pressed a button that has a word of its own")
	}
}

func TestTextIsPlainWithNumberedChoices(t *testing.T) {
	m := chat.Message{Blocks: []chat.Block{{Kind: chat.Item, Spans: []chat.Span{{Text: "西江\x00<b>", Style: chat.Bold},
		{Text: "链接", Style: chat.Link, URL: "https://e.com/1"}}}},
		Buttons: [][]chat.Button{{{Label: "上一页", Data: "s:1:0"}, {Label: "下一页", Data: "s:1:2"}}}}
	got := text(m)
	if got != "1. 西江<b>链接 https://e.com/1\n回复数字：[1] 上一页  [2] 下一页" {
		t.Errorf("text: %q", got)
	}
	if Length(m) != utf8.RuneCountInString(got) {
		t.Errorf("Length %d for %d characters", Length(m), utf8.RuneCountInString(got))
	}
}

func TestPacerSpacesSendsAndKeepsTheDailyCap(t *testing.T) {
	clock := clocktest.NewRunning(time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC))
	p := newPacer(Pace{Gap: 30 * time.Millisecond, Jitter: 10 * time.Millisecond, ReplyGap: 5 * time.Millisecond, DailyCap: 3}, clock.Now)
	var at []time.Time
	send := func(reply bool) error {
		_, err := p.send(context.Background(), reply, func() error { at = append(at, time.Now()); return nil })
		return err
	}
	for range 2 {
		if err := send(false); err != nil {
			t.Fatal(err)
		}
	}
	if gap := at[1].Sub(at[0]); gap < 30*time.Millisecond {
		t.Errorf("two digest sends %s apart, under the 30 ms gap", gap)
	}
	if err := send(true); err != nil {
		t.Fatal(err)
	}
	if gap := at[2].Sub(at[1]); gap < 5*time.Millisecond || gap >= 30*time.Millisecond {
		t.Errorf("a reply waited %s: want the reply gap, not the digest gap", gap)
	}
	retry, err := p.send(context.Background(), false, func() error { t.Fatal("sent past the daily cap"); return nil })
	if !errors.Is(err, errCapped) || !retry.Equal(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("past the cap: %v, retry at %v", err, retry)
	}
	se := classify(err, retry, clock.Now())
	if se.Permanent || se.RetryAfter < 59*time.Minute {
		t.Errorf("capped send: %+v", se)
	}
	clock.Jump(time.Date(2026, 11, 27, 0, 0, 1, 0, time.UTC))
	if err := send(false); err != nil {
		t.Errorf("the next day: %v", err)
	}
}

func TestClassify(t *testing.T) {
	if se := classify(openwechat.Ret(1205), time.Time{}, time.Now()); se.RetryAfter != 10*time.Minute {
		t.Errorf("operate too often: %+v", se)
	}
	if se := classify(openwechat.Ret(1101), time.Time{}, time.Now()); se.Permanent || se.RetryAfter == 0 {
		t.Errorf("session ended: %+v", se)
	}
	if se := classify(errors.New("connection reset"), time.Time{}, time.Now()); se.Permanent || se.RetryAfter != 0 {
		t.Errorf("network: %+v", se)
	}
}

func TestSessionFileIsPrivateAndReplacedWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session")
	s := &sessionFile{path: path}
	if b, err := io.ReadAll(s); err != nil || len(b) != 0 {
		t.Fatalf("no file yet: %q, %v", b, err)
	}
	for _, body := range []string{`{"a":"first, longer"}`, `{"b":2}`} {
		if _, err := s.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(s)
		if err != nil || string(got) != body {
			t.Fatalf("read back %q, %v", got, err)
		}
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", st.Mode().Perm(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".session*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestASendWhileLoggedOutWaitsThenGivesThePartBack(t *testing.T) {
	tr := New(Options{LoginWait: 30 * time.Millisecond})
	start := time.Now()
	_, err := tr.Send(context.Background(), chat.Key{Platform: Platform, ChatID: "wzd-x"}, chat.Message{})
	var se *chat.SendError
	if !errors.As(err, &se) || !errors.Is(err, ErrLoggedOut) || se.Permanent || se.RetryAfter < time.Minute {
		t.Fatalf("logged out: %v", err)
	}
	if time.Since(start) < 30*time.Millisecond {
		t.Error("it did not wait for a login")
	}
}
