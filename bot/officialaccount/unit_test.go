package officialaccount

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/silenceper/wechat/v2/officialaccount/message"

	"wzdaily/chat"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		err  error
		want chat.SendError
	}{
		{&apiError{Code: codeWindowClosed}, chat.SendError{Closed: true}},
		{&apiError{Code: codeCountUsedUp}, chat.SendError{Closed: true}},
		{&apiError{Code: codeNotFollowing}, chat.SendError{Permanent: true, Left: true}},
		{&apiError{Code: codeDailyQuota}, chat.SendError{RetryAfter: quotaWait}},
		{&apiError{Code: codeBusy}, chat.SendError{}},
		// Refused twice for the token: the retry already happened.
		{&apiError{Code: codeTokenExpired}, chat.SendError{}},
		{&apiError{Code: codeBadCredential, fetch: true}, chat.SendError{Misconfigured: true}},
		{&apiError{Code: codeIPNotAllowed, fetch: true}, chat.SendError{Misconfigured: true}},
		{&apiError{Code: codeBusy, fetch: true}, chat.SendError{}},
		{&apiError{Code: codeDailyQuota, fetch: true}, chat.SendError{RetryAfter: quotaWait}},
		{&apiError{text: "502", fetch: false}, chat.SendError{}},
		{context.DeadlineExceeded, chat.SendError{}},
	}
	for _, c := range cases {
		got := classify(c.err)
		got.Err = nil
		if *got != c.want {
			t.Errorf("%#v: got %+v, want %+v", c.err, *got, c.want)
		}
	}
}

func TestErrorsNameNoSecret(t *testing.T) {
	tr := &Transport{opts: Options{AppSecret: "s3cr3t-app"}}
	raw := fmt.Errorf(`Post "https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=TOKEN_abc-123&x=1": dial tcp: i/o timeout; `+
		`http get error : uri=https://api.weixin.qq.com/cgi-bin/token?appid=wx1&grant_type=client_credential&secret=s3cr3t-app , statusCode=502; `+
		`echo s3cr3t-app: %w`, context.DeadlineExceeded)
	e := tr.redact("sending", raw)
	for _, secret := range []string{"TOKEN_abc-123", "s3cr3t-app"} {
		if strings.Contains(e.Error(), secret) {
			t.Errorf("the error names %q: %s", secret, e)
		}
	}
	if !strings.Contains(e.Error(), "access_token=…") || !strings.Contains(e.Error(), "statusCode=502") {
		t.Errorf("the error says too little: %s", e)
	}
	if !errors.Is(e, context.DeadlineExceeded) {
		t.Errorf("a timeout is no longer one: %v", e)
	}
}

func TestPiecesKeepToTheByteLimit(t *testing.T) {
	line := strings.Repeat("梧州", 100) // 600 bytes
	long := strings.Repeat(line+"\n", 10)
	got := pieces(long)
	if len(got) != 4 { // three lines (1,803 bytes) a piece
		t.Errorf("%d pieces", len(got))
	}
	for _, p := range got {
		if len(p) > MaxBytes || !utf8.ValidString(p) {
			t.Errorf("a piece of %d bytes (valid UTF-8: %v)", len(p), utf8.ValidString(p))
		}
	}
	if n := strings.Count(strings.Join(got, ""), "梧州"); n != 1000 {
		t.Errorf("%d of 1000 words kept", n)
	}
}

func TestPushesBecomeUpdates(t *testing.T) {
	tr, err := New(Options{AppID: "wx1", AppSecret: "s", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	tr.choices.Remember(chat.Key{Platform: Platform, ChatID: "o1"}, chat.Message{Buttons: [][]chat.Button{{{Label: "工业", Data: "t:工业"}}}})
	base := func(mt message.MsgType) *message.MixMessage {
		m := &message.MixMessage{}
		m.FromUserName, m.ToUserName, m.CreateTime, m.MsgType = "o1", "gh_account", 1764140000, mt
		return m
	}
	text := func(s string, id int64) *message.MixMessage {
		m := base(message.MsgTypeText)
		m.Content, m.MsgID = s, id
		return m
	}
	event := func(e message.EventType, key string) *message.MixMessage {
		m := base(message.MsgTypeEvent)
		m.Event, m.EventKey = e, key
		return m
	}
	voice := base(message.MsgTypeVoice)
	voice.Recognition, voice.MsgID = "搜索 西江", 9
	cases := []struct {
		name     string
		m        *message.MixMessage
		ok       bool
		key      string
		act      act
		text     string
		callback string
	}{
		{"text", text("订阅 工业", 42), true, "msg:42", say, "订阅 工业", ""},
		{"a number presses the last numbered button", text(" 1 ", 43), true, "msg:43", say, "", "t:工业"},
		{"a number beyond the buttons is text", text("2", 44), true, "msg:44", say, "2", ""},
		{"speech recognised", voice, true, "msg:9", say, "搜索 西江", ""},
		{"follow", event(message.EventSubscribe, ""), true, "event:o1:1764140000:subscribe", follow, "/start", ""},
		{"follow by a QR code with a scene", event(message.EventSubscribe, "qrscene_gongye"), true, "event:o1:1764140000:subscribe", follow, "/start gongye", ""},
		{"a scene that is no start code", event(message.EventSubscribe, "qrscene_a b"), true, "event:o1:1764140000:subscribe", follow, "/start", ""},
		{"a follower scans a QR code", event(message.EventScan, "gongye"), true, "event:o1:1764140000:SCAN", say, "/start gongye", ""},
		{"unfollow", event(message.EventUnsubscribe, ""), true, "event:o1:1764140000:unsubscribe", unfollow, "", ""},
		{"a menu click", event(message.EventClick, "/digest"), true, "event:o1:1764140000:CLICK", say, "/digest", ""},
		{"a link opened from the menu", event(message.EventView, "https://example.com"), false, "", 0, "", ""},
		{"a location report", event(message.EventLocation, ""), false, "", 0, "", ""},
		{"a picture gets the help", func() *message.MixMessage { m := base(message.MsgTypeImage); m.MsgID = 7; return m }(), true, "msg:7", say, "", ""},
		{"no sender", func() *message.MixMessage { m := text("x", 1); m.FromUserName = ""; return m }(), false, "", 0, "", ""},
	}
	for _, c := range cases {
		in, ok := tr.read(c.m)
		if ok != c.ok {
			t.Errorf("%s: ok %v", c.name, ok)
			continue
		}
		if !ok {
			continue
		}
		u := in.update
		if in.key != c.key || in.act != c.act || u.Text != c.text || u.Callback != c.callback ||
			u.Chat != (chat.Key{Platform: Platform, ChatID: "o1"}) || u.Kind != chat.Private || !u.Addressed {
			t.Errorf("%s: got key %q act %d text %q callback %q chat %s", c.name, in.key, in.act, u.Text, u.Callback, u.Chat)
		}
	}
}

func TestOptionsAreChecked(t *testing.T) {
	good := Options{AppID: "wx1", AppSecret: "s", Token: "t", EncodingAESKey: testAESKey}
	if _, err := New(good); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(*Options){
		"no AppSecret":       func(o *Options) { o.AppSecret = "" },
		"no token":           func(o *Options) { o.Token = "" },
		"a short AES key":    func(o *Options) { o.EncodingAESKey = testAESKey[:42] },
		"an AES key not b64": func(o *Options) { o.EncodingAESKey = strings.Repeat("!", 43) },
		"an API not a URL":   func(o *Options) { o.API = "api.weixin.qq.com" },
	} {
		o := good
		change(&o)
		if _, err := New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAPassiveReplyKeepsToTheLimitWithItsEnvelope(t *testing.T) {
	openID, account := "oAbCdEfGhIjKlMnOpQrStUvWxYz1", "gh_0123456789ab"
	budget := replyBudget(openID, account)
	if budget < 1700 || budget > 1900 {
		t.Errorf("a reply's text gets %d of %d bytes", budget, MaxBytes)
	}
	if n := replySize(openID, account, strings.Repeat("梧", budget/3)); n > MaxBytes {
		t.Errorf("a reply of %d bytes of text is %d bytes in all", budget/3*3, n)
	}
	if n := replySize(openID, account, strings.Repeat("a", budget+1)); n <= MaxBytes {
		t.Errorf("the budget leaves %d bytes unused", MaxBytes-n+1)
	}
}
