package fakewechat

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type loginState int

const (
	loginWaiting   loginState = iota // QR shown, not scanned
	loginScanned                     // scanned, waiting for the phone's confirmation
	loginConfirmed                   // confirmed; the next poll hands out the redirect
	loginExpired                     // ExpireQR, or QRLifetime passed
)

// pendingLogin is one QR code (or push login) until its ticket is used.
type pendingLogin struct {
	uuid     string
	state    loginState
	scanSeen bool // a poll reported 201 already
	push     bool
	desktop  bool // the redirect carries mod=desktop
	ticket   string
	issued   time.Time // real clock, for QRLifetime
}

func (p *pendingLogin) open() bool { return p.state == loginWaiting || p.state == loginScanned }

// newLoginLocked issues a uuid; the newest open one is what Scan and
// Confirm act on.
func (s *Server) newLoginLocked(push, desktop bool) *pendingLogin {
	p := &pendingLogin{uuid: randomString(10, alnum) + "==", push: push, desktop: desktop, issued: time.Now()}
	if push {
		// The phone shows a prompt at once; there is no scan step.
		p.state, p.scanSeen = loginScanned, true
	}
	s.logins[p.uuid] = p
	s.lastQR = p.uuid
	if s.autoConfirm {
		s.confirmLocked(p)
	}
	s.notifyLocked()
	return p
}

// jsLogin answers GET login.wx.qq.com/jslogin with a new uuid.
func (s *Server) jsLogin(x *exchange) {
	desktop := false
	if u, err := url.Parse(x.r.URL.Query().Get("redirect_uri")); err == nil {
		desktop = u.Query().Get("mod") == "desktop"
	}
	s.mu.Lock()
	p := s.newLoginLocked(false, desktop)
	s.mu.Unlock()
	writeJS(x.w, fmt.Sprintf(`window.QRLogin.code = 200; window.QRLogin.uuid = "%s";`, p.uuid))
}

func failJSLogin(w http.ResponseWriter, ret int) {
	writeJS(w, fmt.Sprintf(`window.QRLogin.code = %d;`, ret))
}

// qrcode answers the QR image URL; the fake has no image to show, so a
// known uuid gets a placeholder text and an unknown one 404.
func (s *Server) qrcode(x *exchange) {
	uuid := strings.TrimPrefix(x.r.URL.Path, "/qrcode/")
	s.mu.Lock()
	_, ok := s.logins[uuid]
	s.mu.Unlock()
	if !ok {
		http.NotFound(x.w, x.r)
		return
	}
	x.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = fmt.Fprintf(x.w, "fakewechat QR code for %s\n", uuid)
}

func failNotFound(w http.ResponseWriter, _ int) {
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// loginPoll answers the login long poll: held while nothing happens, then
// 408; 201 once after a scan; 200 with the redirect after confirmation; 400
// for an unknown or expired QR code and after Close.
func (s *Server) loginPoll(x *exchange) {
	uuid := x.r.URL.Query().Get("uuid")
	timer := time.NewTimer(s.pollHold(uuid))
	defer timer.Stop()
	announced := false
	for {
		s.mu.Lock()
		body, ready := s.loginAnswerLocked(uuid)
		ch := s.changed
		s.mu.Unlock()
		if ready {
			writeJS(x.w, body)
			return
		}
		if !announced {
			announced = true
			s.held("login")
		}
		select {
		case <-ch:
		case <-timer.C:
			s.mu.Lock()
			body, ready = s.loginAnswerLocked(uuid) // the QR code may have expired meanwhile
			s.mu.Unlock()
			if !ready {
				body = "window.code=408;"
			}
			writeJS(x.w, body)
			return
		case <-x.r.Context().Done():
			return
		}
	}
}

// pollHold is LoginHold, or less when the QR code expires sooner.
func (s *Server) pollHold(uuid string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	hold := s.loginHold
	if p := s.logins[uuid]; p != nil {
		hold = min(hold, max(time.Until(p.issued.Add(s.qrLifetime))+time.Millisecond, 0))
	}
	return hold
}

func (s *Server) loginAnswerLocked(uuid string) (string, bool) {
	p := s.logins[uuid]
	if p == nil || s.closed {
		return "window.code=400;", true
	}
	if p.open() && time.Since(p.issued) > s.qrLifetime {
		p.state = loginExpired
	}
	switch {
	case p.state == loginExpired:
		return "window.code=400;", true
	case p.state == loginConfirmed && p.scanSeen:
		return fmt.Sprintf("window.code=200;\nwindow.redirect_uri=\"%s\";", s.redirectURI(p)), true
	case (p.state == loginScanned || p.state == loginConfirmed) && !p.scanSeen:
		p.scanSeen = true
		// The avatar is a data URL; openwechat hands it to ScanCallBack.
		return "window.code=201;window.userAvatar = 'data:img/jpg;base64,/9j/4AAQSkZJRgABAQ==';", true
	}
	return "", false
}

func (s *Server) redirectURI(p *pendingLogin) string {
	q := fmt.Sprintf("ticket=%s&uuid=%s&lang=zh_CN&scan=%d", p.ticket, p.uuid, s.now().Unix())
	if p.desktop {
		q += "&mod=desktop"
	}
	return "https://" + s.domain + cgi + "webwxnewloginpage?" + q
}

func failLoginPoll(w http.ResponseWriter, ret int) {
	writeJS(w, fmt.Sprintf("window.code=%d;", ret))
}

// loginPage is webwxnewloginpage's XML; openwechat ignores the root name.
type loginPage struct {
	XMLName     xml.Name `xml:"error"`
	Ret         int      `xml:"ret"`
	Message     string   `xml:"message"`
	Skey        string   `xml:"skey,omitempty"`
	WxSid       string   `xml:"wxsid,omitempty"`
	WxUin       int64    `xml:"wxuin,omitempty"`
	PassTicket  string   `xml:"pass_ticket,omitempty"`
	IsGrayScale int      `xml:"isgrayscale,omitempty"`
}

func writeXML(w http.ResponseWriter, v loginPage) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_ = xml.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

func failLoginPage(w http.ResponseWriter, ret int) {
	writeXML(w, loginPage{Ret: ret, Message: "fault injected"})
}

// newLoginPage trades a confirmed login's ticket for a session: the XML
// credentials and the cookies the web client keeps.
func (s *Server) newLoginPage(x *exchange) {
	q := x.r.URL.Query()
	if s.requireDesktop && (x.r.Header.Get("client-version") == "" || x.r.Header.Get("extspam") == "") {
		writeXML(x.w, loginPage{Ret: retEnvAbnorm, Message: "为了你的帐号安全，此微信号不能登录网页微信。"})
		return
	}
	s.mu.Lock()
	uuid, ok := s.tickets[q.Get("ticket")]
	if !ok || uuid != q.Get("uuid") {
		s.mu.Unlock()
		writeXML(x.w, loginPage{Ret: retTicket, Message: "ticket error"})
		return
	}
	delete(s.tickets, q.Get("ticket"))
	delete(s.logins, uuid)
	ss := s.newSessionLocked()
	s.mu.Unlock()

	s.setCookies(x.w, ss)
	writeXML(x.w, loginPage{Skey: ss.skey, WxSid: ss.sid, WxUin: ss.uin, PassTicket: ss.passTicket, IsGrayScale: 1})
}

// setCookies sets what the real login sets. openwechat only ever reads
// webwx_data_ticket (for uploads), and the fake checks none of them.
func (s *Server) setCookies(w http.ResponseWriter, ss *session) {
	parent := s.domain
	if _, rest, ok := strings.Cut(s.domain, "."); ok && strings.Contains(rest, ".") {
		parent = rest // wx.qq.com -> qq.com
	}
	expires := time.Now().Add(12 * time.Hour)
	for _, c := range []*http.Cookie{
		{Name: "wxuin", Value: strconv.FormatInt(ss.uin, 10), Domain: s.domain},
		{Name: "wxsid", Value: ss.sid, Domain: s.domain},
		{Name: "webwx_data_ticket", Value: ss.dataTicket, Domain: parent},
		{Name: "webwx_auth_ticket", Value: randomString(40, base64Chars), Domain: s.domain, HttpOnly: true},
		{Name: "wxloadtime", Value: strconv.FormatInt(time.Now().Unix(), 10), Domain: s.domain},
		{Name: "mm_lang", Value: "zh_CN", Domain: s.domain},
	} {
		c.Path, c.Secure, c.Expires = "/", true, expires
		http.SetCookie(w, c)
	}
}

type pushAnswer struct {
	Ret  string `json:"ret"` // a string, unlike everywhere else
	Msg  string `json:"msg"`
	UUID string `json:"uuid"`
}

// pushLoginURL starts a login without a QR code for an account that has
// logged in before: the phone is asked to confirm (Confirm). A wxuin cookie,
// when sent, must match the uin.
func (s *Server) pushLoginURL(x *exchange) {
	uin, _ := strconv.ParseInt(x.r.URL.Query().Get("uin"), 10, 64)
	cookieOK := true
	if c, err := x.r.Cookie("wxuin"); err == nil {
		cookieOK = c.Value == strconv.FormatInt(s.uin, 10)
	}
	s.mu.Lock()
	known := len(s.sessions) > 0 && uin == s.uin && cookieOK && !s.pushOff
	var p *pendingLogin
	if known {
		p = s.newLoginLocked(true, x.r.URL.Query().Get("mod") == "desktop")
	}
	s.mu.Unlock()
	if !known {
		writeJSON(x.w, pushAnswer{Ret: "1", Msg: "push login unavailable"})
		return
	}
	writeJSON(x.w, pushAnswer{Ret: "0", Msg: "all ok", UUID: p.uuid})
}

func failPushLogin(w http.ResponseWriter, ret int) {
	writeJSON(w, pushAnswer{Ret: strconv.Itoa(ret), Msg: "fault injected"})
}

// pendingLocked returns the newest open login.
func (s *Server) pendingLocked() *pendingLogin {
	p := s.logins[s.lastQR]
	if p == nil || !p.open() || time.Since(p.issued) > s.qrLifetime {
		return nil
	}
	return p
}

// Scan marks the newest QR code as scanned: its login poll answers 201.
func (s *Server) Scan() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pendingLocked()
	if p == nil || p.state != loginWaiting {
		return ErrNoPendingLogin
	}
	p.state = loginScanned
	s.notifyLocked()
	return nil
}

// Confirm confirms the newest QR code or push login on the phone; a QR code
// not yet scanned counts as scanned. Its login poll then hands out the
// redirect (after one 201 if no poll reported the scan yet).
func (s *Server) Confirm() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pendingLocked()
	if p == nil {
		return ErrNoPendingLogin
	}
	s.confirmLocked(p)
	s.notifyLocked()
	return nil
}

// ScanAndConfirm is Scan then Confirm.
func (s *Server) ScanAndConfirm() error { return s.Confirm() }

func (s *Server) confirmLocked(p *pendingLogin) {
	p.state = loginConfirmed
	p.ticket = "A" + randomString(23, alnum) + "@qrticket_0"
	s.tickets[p.ticket] = p.uuid
}

// ExpireQR makes the newest open QR code (or push login) expire: its login
// poll answers 400, which openwechat reports as ErrLoginTimeout.
func (s *Server) ExpireQR() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pendingLocked()
	if p == nil {
		return ErrNoPendingLogin
	}
	p.state = loginExpired
	s.notifyLocked()
	return nil
}

// WaitQR waits until a QR code or push login waits for the phone and
// returns its uuid. It is how a test learns about a push login, which
// calls no UUIDCallback.
func (s *Server) WaitQR(ctx context.Context) (string, error) {
	for {
		s.mu.Lock()
		p, ch, closed := s.pendingLocked(), s.changed, s.closed
		s.mu.Unlock()
		switch {
		case p != nil:
			return p.uuid, nil
		case closed:
			return "", ErrNoPendingLogin
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}
