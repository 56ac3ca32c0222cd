package fakewechat

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

// A client without openwechat, for the fake's own pieces: it speaks the
// protocol by hand, so the tests can look at raw answers.

type rawClient struct {
	t *testing.T
	c *http.Client
}

func newRawClient(t *testing.T, rt http.RoundTripper) *rawClient {
	return &rawClient{t: t, c: &http.Client{Transport: rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (rc *rawClient) get(rawURL string) (int, string) {
	rc.t.Helper()
	resp, err := rc.c.Get(rawURL)
	if err != nil {
		rc.t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		rc.t.Fatalf("GET %s: read: %v", rawURL, err)
	}
	return resp.StatusCode, string(b)
}

// post sends v as JSON and decodes the answer into out.
func (rc *rawClient) post(rawURL string, v, out any) {
	rc.t.Helper()
	body, _ := json.Marshal(v)
	resp, err := rc.c.Post(rawURL, "application/json", bytes.NewReader(body))
	if err != nil {
		rc.t.Fatalf("POST %s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, out); err != nil {
		rc.t.Fatalf("POST %s answered %d %q: %v", rawURL, resp.StatusCode, b, err)
	}
}

var (
	uuidRe     = regexp.MustCompile(`uuid = "(.*?)";`)
	redirectRe = regexp.MustCompile(`window.redirect_uri="(.*?)"`)
)

// jsLogin asks for a QR code and returns its uuid.
func (rc *rawClient) jsLogin() string {
	rc.t.Helper()
	_, body := rc.get("https://login.wx.qq.com/jslogin?appid=wx782c26e4c19acffb&fun=new&lang=zh_CN&redirect_uri=" +
		url.QueryEscape("https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxnewloginpage?mod=desktop"))
	m := uuidRe.FindStringSubmatch(body)
	if m == nil {
		rc.t.Fatalf("jslogin answered %q", body)
	}
	return m[1]
}

func (rc *rawClient) poll(uuid string) string {
	rc.t.Helper()
	_, body := rc.get("https://login.wx.qq.com/cgi-bin/mmwebwx-bin/login?loginicon=true&tip=0&uuid=" + url.QueryEscape(uuid))
	return body
}

// login goes through the QR login and webwxinit and returns the session's
// BaseRequest and the init answer.
func (rc *rawClient) login(s *Server) (baseRequest, initResponse) {
	rc.t.Helper()
	uuid := rc.jsLogin()
	if err := s.ScanAndConfirm(); err != nil {
		rc.t.Fatal(err)
	}
	if body := rc.poll(uuid); body[:len("window.code=201;")] != "window.code=201;" {
		rc.t.Fatalf("first poll after the confirmation = %q, want 201", body)
	}
	m := redirectRe.FindStringSubmatch(rc.poll(uuid))
	if m == nil {
		rc.t.Fatal("second poll has no redirect")
	}
	_, body := rc.get(m[1] + "&version=v2")
	var page loginPage
	if err := xml.Unmarshal([]byte(body), &page); err != nil || page.Ret != 0 {
		rc.t.Fatalf("webwxnewloginpage = %q, %v", body, err)
	}
	br := baseRequest{Uin: page.WxUin, Sid: page.WxSid, Skey: page.Skey, DeviceID: "e123456789012345"}
	var init initResponse
	rc.post("https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxinit", withBase{br}, &init)
	if init.BaseResponse.Ret != 0 {
		rc.t.Fatalf("webwxinit Ret %d", init.BaseResponse.Ret)
	}
	return br, init
}

// syncCheckURL is the synccheck of br from SyncKey value key.
func syncCheckURL(br baseRequest, key int64) string {
	q := url.Values{"skey": {br.Skey}, "sid": {br.Sid}, "uin": {strconv.FormatInt(br.Uin, 10)},
		"deviceid": {br.DeviceID}, "synckey": {"1_" + strconv.FormatInt(key, 10) + "|1000_1"}}
	return "https://webpush.wx.qq.com/cgi-bin/mmwebwx-bin/synccheck?" + q.Encode()
}

func rawStart(t *testing.T, opts Options) (*Server, *rawClient) {
	t.Helper()
	s := startFake(t, opts)
	return s, newRawClient(t, s.Transport(nil))
}
