package fakewechat

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Every login hands out new UserNames of the real shapes; the stable IDs
// find them, and the old session's names are dead.
func TestUserNames_NewEveryLogin(t *testing.T) {
	s, rc := rawStart(t, testOptions())
	_, first := rc.login(s)
	names := map[string]string{}
	for _, id := range []string{SelfID, "reader", "editor", "visitor", "team"} {
		names[id] = userName(t, s, id)
	}
	if first.User.UserName != names[SelfID] {
		t.Errorf("init User %s, fake says self is %s", first.User.UserName, names[SelfID])
	}
	for id, u := range names {
		prefix, digits := "@", 32
		if id == "team" {
			prefix, digits = "@@", 64
		}
		if !strings.HasPrefix(u, prefix) || len(u) != len(prefix)+digits || strings.HasPrefix(u[len(prefix):], "@") {
			t.Errorf("%s has UserName %q, want %s and %d hex digits", id, u, prefix, digits)
		}
		if back, ok := s.IDOf(u); !ok || back != id {
			t.Errorf("IDOf(%s) = %q, want %s", u, back, id)
		}
	}

	rc.login(s)
	seen := map[string]bool{}
	for id, old := range names {
		now := userName(t, s, id)
		if now == old || seen[now] {
			t.Errorf("%s: UserName %s after relogin, was %s", id, now, old)
		}
		seen[now] = true
		if _, ok := s.IDOf(old); ok {
			t.Errorf("old UserName %s still resolves", old)
		}
	}
	if c, _ := s.Contact("reader"); c.NickName != "Reader" || c.RemarkName != "reader-remark" || c.UserName != userName(t, s, "reader") {
		t.Errorf("contact reader = %+v after relogin", c)
	}
}

// The fake routes on the Host header: each endpoint on its own host only.
func TestRouting_Host(t *testing.T) {
	s := New(testOptions())
	cases := map[string]struct {
		host, path string
		status     int
		body       string // a prefix of the answer
	}{
		"jslogin on the login host":    {"login.wx.qq.com", "/jslogin", 200, "window.QRLogin.code = 200;"},
		"jslogin on the other name":    {"login.weixin.qq.com", "/jslogin", 200, "window.QRLogin.code = 200;"},
		"jslogin on wx.qq.com":         {"wx.qq.com", "/jslogin", 404, ""},
		"synccheck on webpush":         {"webpush.wx.qq.com", cgi + "synccheck", 200, `window.synccheck={retcode:"1101"`},
		"synccheck with a port":        {"webpush.wx.qq.com:443", cgi + "synccheck", 200, `window.synccheck={retcode:"1101"`},
		"synccheck on wx.qq.com":       {"wx.qq.com", cgi + "synccheck", 404, ""},
		"webwxinit on webpush":         {"webpush.wx.qq.com", cgi + "webwxinit", 404, ""},
		"webwxgetcontact, no session":  {"wx.qq.com", cgi + "webwxgetcontact", 200, `{"BaseResponse":{"Ret":1101`},
		"unknown QR code":              {"login.weixin.qq.com", "/qrcode/nope==", 404, ""},
		"head image":                   {"wx.qq.com", cgi + "webwxgeticon", 404, ""},
		"upload on the file host":      {"file.wx.qq.com", cgi + "webwxuploadmedia", 404, ""},
		"another domain":               {"wx2.qq.com", cgi + "webwxinit", 404, ""},
		"login poll for an unknown QR": {"login.wx.qq.com", cgi + "login", 200, "window.code=400;"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://"+c.host+c.path, nil)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != c.status || !strings.HasPrefix(w.Body.String(), c.body) {
				t.Errorf("%s%s = %d %q, want %d %q…", c.host, c.path, w.Code, w.Body.String(), c.status, c.body)
			}
		})
	}
	reqs := s.Requests()
	if len(reqs) != len(cases) {
		t.Fatalf("%d requests recorded, want %d", len(reqs), len(cases))
	}
	for _, r := range reqs {
		if r.Host == "wx2.qq.com" && r.Endpoint != "" || r.Host == "webpush.wx.qq.com" && r.Path == cgi+"synccheck" && r.Endpoint != "synccheck" {
			t.Errorf("recorded %+v", r)
		}
	}
}

// Requests and sends are stamped with Options.Now.
func TestRecord_UsesNow(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := testOptions()
	opts.Now = func() time.Time { return at }
	s, rc := rawStart(t, opts)
	br, init := rc.login(s)
	var resp msgIDResponse
	send := map[string]any{"BaseRequest": br, "Scene": 0, "Msg": map[string]any{
		"Type": 1, "Content": "hi", "FromUserName": init.User.UserName, "ToUserName": FileHelperID, "LocalID": "7", "ClientMsgId": "7"}}
	rc.post("https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxsendmsg?lang=zh_CN", send, &resp)
	if resp.BaseResponse.Ret != 0 || resp.MsgID == "" || resp.LocalID != "7" {
		t.Fatalf("send answered %+v", resp)
	}
	want := Send{At: at, To: FileHelperID, UserName: FileHelperID, Type: 1, Content: "hi", LocalID: "7", MsgID: resp.MsgID}
	if got := s.Sends(); len(got) != 1 || got[0] != want {
		t.Errorf("sends = %+v, want %+v", got, want)
	}
	// To someone the session never named: refused with Ret 1 and recorded.
	send["Msg"].(map[string]any)["ToUserName"] = "@nobody"
	rc.post("https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxsendmsg", send, &resp)
	if resp.BaseResponse.Ret != 1 || len(s.Sends()) != 2 || len(s.Accepted()) != 1 {
		t.Errorf("send to an unknown UserName: Ret %d, %d sends, %d accepted", resp.BaseResponse.Ret, len(s.Sends()), len(s.Accepted()))
	}
	for _, r := range s.Requests() {
		if !r.At.Equal(at) {
			t.Errorf("request %s stamped %v, want %v", r.Path, r.At, at)
		}
	}
	if s.Count("webwxsendmsg") != 2 || s.Count("jslogin") != 1 || s.Count("login") != 2 {
		t.Errorf("counts: %d sends, %d jslogin, %d polls", s.Count("webwxsendmsg"), s.Count("jslogin"), s.Count("login"))
	}
}

// The login poll is held, then answers 408.
func TestLoginPoll_Holds(t *testing.T) {
	_, rc := rawStart(t, testOptions())
	uuid := rc.jsLogin()
	start := time.Now()
	if body := rc.poll(uuid); body != "window.code=408;" {
		t.Errorf("unscanned poll = %q, want 408", body)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("poll answered after %v, want it held for LoginHold", d)
	}
}

// synccheck: held to selector 0 when nothing waits, selector 2 at once for
// a message newer than the key, 1101 once expired, and the calls that
// follow an expiry answer Ret 1101.
func TestSyncCheck(t *testing.T) {
	s, rc := rawStart(t, testOptions())
	br, init := rc.login(s)
	key := init.SyncKey.messageKey()
	if init.SyncKey.Count != len(init.SyncKey.List) || key == 0 {
		t.Fatalf("init SyncKey = %+v", init.SyncKey)
	}
	start := time.Now()
	if _, body := rc.get(syncCheckURL(br, key)); body != `window.synccheck={retcode:"0",selector:"0"}` || time.Since(start) < 300*time.Millisecond {
		t.Errorf("idle synccheck = %q after %v, want selector 0 after the hold", body, time.Since(start))
	}
	if _, err := s.InjectText("editor", "hi"); err != nil {
		t.Fatal(err)
	}
	if _, body := rc.get(syncCheckURL(br, key)); body != `window.synccheck={retcode:"0",selector:"2"}` {
		t.Errorf("synccheck with a message = %q, want selector 2", body)
	}
	var sync syncResponse
	rc.post("https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxsync", syncRequest{BaseRequest: br, SyncKey: init.SyncKey}, &sync)
	if sync.AddMsgCount != 1 || sync.AddMsgList[0].Content != "hi" || sync.SyncKey.messageKey() != key+1 {
		t.Errorf("webwxsync = %+v, want the message and key %d", sync, key+1)
	}
	if err := s.Expire(); err != nil {
		t.Fatal(err)
	}
	if _, body := rc.get(syncCheckURL(br, key+1)); body != `window.synccheck={retcode:"1101",selector:"0"}` {
		t.Errorf("synccheck after expiry = %q", body)
	}
	rc.post("https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxsync", syncRequest{BaseRequest: br, SyncKey: sync.SyncKey}, &sync)
	if sync.BaseResponse.Ret != 1101 || sync.SyncKey.List == nil {
		t.Errorf("webwxsync after expiry: Ret %d, SyncKey %+v; want 1101 and a (empty) SyncKey", sync.BaseResponse.Ret, sync.SyncKey)
	}
	var contacts contactResponse
	rc.post("https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxgetcontact?skey="+url.QueryEscape(br.Skey), nil, &contacts)
	if contacts.BaseResponse.Ret != 1101 {
		t.Errorf("webwxgetcontact after expiry: Ret %d, want 1101", contacts.BaseResponse.Ret)
	}
}

// RewriteTransport keeps Host, adds the target's path, and leaves the
// caller's request alone.
func TestRewriteTransport(t *testing.T) {
	type seen struct{ host, path, query string }
	got := make(chan seen, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.Host, r.URL.Path, r.URL.RawQuery}
	}))
	defer ts.Close()
	target, _ := url.Parse(ts.URL + "/wechat/")
	c := &http.Client{Transport: RewriteTransport(target, nil)}
	req, _ := http.NewRequest(http.MethodGet, "https://webpush.wx.qq.com/cgi-bin/mmwebwx-bin/synccheck?r=1&skey=%40crypt", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := seen{"webpush.wx.qq.com", "/wechat/cgi-bin/mmwebwx-bin/synccheck", "r=1&skey=%40crypt"}
	if g := <-got; g != want {
		t.Errorf("server saw %+v, want %+v", g, want)
	}
	if req.URL.Host != "webpush.wx.qq.com" || req.URL.Scheme != "https" {
		t.Errorf("caller's request changed to %s", req.URL)
	}
}

func TestAddFault_Validation(t *testing.T) {
	s := New(Options{})
	cases := map[string]struct {
		f  Fault
		ok bool
	}{
		"ret":              {Fault{Endpoint: "webwxsendmsg", Times: 1, Ret: 1205}, true},
		"until cleared":    {Fault{Times: -1, Status: 502}, true},
		"delay only":       {Fault{Endpoint: "synccheck", Times: 2, Delay: time.Second}, true},
		"nothing":          {Fault{Endpoint: "webwxsync", Times: 1}, false},
		"two kinds":        {Fault{Times: 1, Ret: 1, Drop: true}, false},
		"zero times":       {Fault{Ret: 1}, false},
		"negative times":   {Fault{Times: -2, Ret: 1}, false},
		"status not error": {Fault{Times: 1, Status: 302}, false},
		"negative delay":   {Fault{Times: 1, Ret: 1, Delay: -time.Second}, false},
		"unknown endpoint": {Fault{Endpoint: "webwxnothing", Times: 1, Ret: 1}, false},
	}
	for name, c := range cases {
		if err := s.AddFault(c.f); (err == nil) != c.ok {
			t.Errorf("%s: AddFault(%+v) = %v, want ok %v", name, c.f, err, c.ok)
		}
	}
	// Faults are used up in order, per endpoint.
	s.ClearFaults()
	_ = s.FailSends(2, 1205)
	_ = s.AddFault(Fault{Times: 1, Ret: 1})
	for i, want := range []struct {
		endpoint string
		ret      int
	}{{"webwxsync", 1}, {"webwxsendmsg", 1205}, {"webwxsync", 0}, {"webwxsendmsg", 1205}, {"webwxsendmsg", 0}} {
		if f, _ := s.takeFault(want.endpoint); f.Ret != want.ret {
			t.Errorf("take %d (%s) = Ret %d, want %d", i, want.endpoint, f.Ret, want.ret)
		}
	}
}

func TestParseSyncKey(t *testing.T) {
	cases := map[string]int64{
		"1_651|2_652|3_600|1000_1700000000": 651,
		"2_5|1_7":                           7,
		"":                                  0,
		"1_x|1_9":                           9,
		"11_5":                              0,
	}
	for in, want := range cases {
		if got := parseSyncKey(in); got != want {
			t.Errorf("parseSyncKey(%q) = %d, want %d", in, got, want)
		}
	}
}
