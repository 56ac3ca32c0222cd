// Package fakewechat is a fake of the web-WeChat service (wx.qq.com and its
// login, webpush and file hosts) for tests that drive the real
// github.com/eatmoreapple/openwechat library over loopback HTTP.
//
// It answers with the bodies that library parses: the QR login (jslogin,
// the held login poll, webwxnewloginpage and its cookies), webwxinit,
// contacts, the held synccheck with webwxsync, sending, remark names,
// friend requests, push login and logout. Like the real service it hands
// out new UserNames at every login while nicknames, remark names and
// avatars stay, gives contacts no Uin, and accepts a change of remark name
// without making it (the endpoint no longer works; KeepRemarkNames brings
// back the old behaviour). It keeps a stable ID per contact so a test can
// say "friend reader" and find the UserName the bot sees now. Tests inject messages, contact
// changes, session expiry and faults, and read back every request and send.
//
// openwechat's URLs are fixed to https://login.wx.qq.com, https://wx.qq.com
// and hosts derived from the login redirect, so traffic reaches the fake
// through RewriteTransport (or Server.Transport), which changes only the
// scheme and address and keeps the Host header, on which the fake routes.
package fakewechat

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"wzdaily/internal/fakefault"
)

// Options configure a Server. The zero value behaves like the real service,
// including its 25 s holds; tests set the holds short.
type Options struct {
	// Now stamps records, messages and sessions; default time.Now. Holds and
	// the QR lifetime always run on the real clock.
	Now func() time.Time
	// SyncHold is how long synccheck waits for news before it answers
	// selector "0"; default 25 s, as the real service.
	SyncHold time.Duration
	// LoginHold is how long a login poll waits before it answers 408;
	// default 25 s.
	LoginHold time.Duration
	// QRLifetime is how long a QR code can be confirmed; afterwards its
	// login poll answers 400 (openwechat.ErrLoginTimeout). Default 5 min.
	QRLifetime time.Duration
	// Domain is the host the login redirects to; default "wx.qq.com".
	// openwechat derives the later hosts from it (webpush., file.).
	Domain string
	// NickName and Uin are the bot's own account; defaults "wzd-bot" and
	// a fixed ten-digit number.
	NickName string
	Uin      int64
	// AutoConfirm scans and confirms every QR code and push login as soon as
	// it is issued, for tests that only need a logged-in bot.
	AutoConfirm bool
	// ContactPageSize splits webwxgetcontact into pages chained by Seq; 0
	// answers every contact at once.
	ContactPageSize int
	// RequireDesktop refuses webwxnewloginpage without the UOS desktop
	// headers (openwechat.Desktop sends them) with ret 1203, as the real
	// service does for most accounts.
	RequireDesktop bool
	// KeepRemarkNames makes webwxoplog's remark-name change stick, as it
	// did before the service dropped it. By default the call is answered
	// Ret 0 and changes nothing, as the service does now: openwechat
	// v1.4.10 marks SetRemarkName "Deprecated // 已经失效了" (user.go), and
	// other web-protocol clients report remark names that never appear or
	// are gone at the next login.
	KeepRemarkNames bool
}

// Errors of the methods that inject events and of Transport before Start.
var (
	ErrNoSession      = errors.New("fakewechat: no live session")
	ErrNoPendingLogin = errors.New("fakewechat: no QR code waits for a scan")
	ErrUnknownContact = errors.New("fakewechat: unknown contact")
	ErrNotStarted     = errors.New("fakewechat: server not started")
)

// Stable IDs of the two contacts every account has.
const (
	SelfID       = "self"
	FileHelperID = "filehelper"
)

// The service's return codes that the fake answers itself.
const (
	retParam      = 1    // "param error"
	retLoginWarn  = 1100 // logged out on the phone
	retLoginCheck = 1101 // session invalid or expired
	retEnvAbnorm  = 1203 // account barred from web login
	retTicket     = -14  // login ticket unknown or used
)

const cgi = "/cgi-bin/mmwebwx-bin/"

// Server is the fake service. Serve it with Start, or with
// httptest.NewServer and RewriteTransport. It is safe for concurrent use.
type Server struct {
	now            func() time.Time
	syncHold       time.Duration
	loginHold      time.Duration
	qrLifetime     time.Duration
	domain         string
	nick           string
	uin            int64
	autoConfirm    bool
	pageSize       int
	requireDesktop bool
	keepRemarks    bool
	routes         []route

	mu       sync.Mutex
	holdHook func(endpoint string) // tests: a poll starts waiting
	changed  chan struct{}         // closed and replaced on every change; held polls wait on it
	closed   bool

	order   []string // contact IDs in the order they were added
	people  map[string]*person
	groups  map[string]*group
	invites map[string]string // friend-request ticket -> person ID

	logins   map[string]*pendingLogin // by uuid
	lastQR   string
	tickets  map[string]string   // login ticket -> uuid
	sessions map[string]*session // by skey
	current  *session
	pushOff  bool
	lastMsg  int64

	requests []Request
	sends    []Send
	faults   fakefault.Queue

	serveMu   sync.Mutex
	closeOnce sync.Once
	url       string
	httpSrv   *http.Server
	transport *http.Transport
	connMu    sync.Mutex
	conns     map[net.Conn]http.ConnState // of the started server
	closing   bool
}

// New returns a Server with no contacts and no session.
func New(opts Options) *Server {
	s := &Server{
		now:            opts.Now,
		syncHold:       opts.SyncHold,
		loginHold:      opts.LoginHold,
		qrLifetime:     opts.QRLifetime,
		domain:         strings.ToLower(opts.Domain),
		nick:           opts.NickName,
		uin:            opts.Uin,
		autoConfirm:    opts.AutoConfirm,
		pageSize:       max(opts.ContactPageSize, 0),
		requireDesktop: opts.RequireDesktop,
		keepRemarks:    opts.KeepRemarkNames,
		changed:        make(chan struct{}),
		people:         map[string]*person{},
		groups:         map[string]*group{},
		invites:        map[string]string{},
		logins:         map[string]*pendingLogin{},
		tickets:        map[string]string{},
		sessions:       map[string]*session{},
		// Real message ids are 19-digit numbers; start at a random one.
		lastMsg: 1_000_000_000_000_000_000 + rand.Int64N(1_000_000_000_000_000_000),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.syncHold <= 0 {
		s.syncHold = 25 * time.Second
	}
	if s.loginHold <= 0 {
		s.loginHold = 25 * time.Second
	}
	if s.qrLifetime <= 0 {
		s.qrLifetime = 5 * time.Minute
	}
	if s.domain == "" {
		s.domain = "wx.qq.com"
	}
	if s.nick == "" {
		s.nick = "wzd-bot"
	}
	if s.uin == 0 {
		s.uin = 2830000001
	}
	s.routes = s.routeTable()
	return s
}

type hostKind int

const (
	hostUnknown hostKind = iota
	hostLogin            // login.wx.qq.com, login.weixin.qq.com
	hostBase             // wx.qq.com
	hostPush             // webpush.wx.qq.com
	hostFile             // file.wx.qq.com
)

// exchange is one request as a handler sees it. fault is a Ret injected by
// a Fault; only handlers that must record it (sends) receive a non-zero one.
type exchange struct {
	w     http.ResponseWriter
	r     *http.Request
	fault int
}

type route struct {
	host   hostKind
	path   string // a trailing slash matches a prefix
	name   string // the endpoint, as Fault.Endpoint and Request.Endpoint name it
	handle func(*Server, *exchange)
	fail   func(http.ResponseWriter, int) // answers a Ret the way the endpoint reports errors
	// ownsFaults: the handler answers an injected Ret itself, to record it.
	ownsFaults bool
}

func (s *Server) routeTable() []route {
	return []route{
		{host: hostLogin, path: "/jslogin", name: "jslogin", handle: (*Server).jsLogin, fail: failJSLogin},
		{host: hostLogin, path: cgi + "login", name: "login", handle: (*Server).loginPoll, fail: failLoginPoll},
		{host: hostLogin, path: "/qrcode/", name: "qrcode", handle: (*Server).qrcode, fail: failNotFound},
		{host: hostBase, path: cgi + "webwxnewloginpage", name: "webwxnewloginpage", handle: (*Server).newLoginPage, fail: failLoginPage},
		{host: hostBase, path: cgi + "webwxpushloginurl", name: "webwxpushloginurl", handle: (*Server).pushLoginURL, fail: failPushLogin},
		{host: hostBase, path: cgi + "webwxinit", name: "webwxinit", handle: (*Server).webInit, fail: failBase},
		{host: hostBase, path: cgi + "webwxstatusnotify", name: "webwxstatusnotify", handle: (*Server).statusNotify, fail: failBase},
		{host: hostBase, path: cgi + "webwxgetcontact", name: "webwxgetcontact", handle: (*Server).getContact, fail: failGetContact},
		{host: hostBase, path: cgi + "webwxbatchgetcontact", name: "webwxbatchgetcontact", handle: (*Server).batchGetContact, fail: failBatch},
		{host: hostBase, path: cgi + "webwxsync", name: "webwxsync", handle: (*Server).webSync, fail: failSync},
		{host: hostBase, path: cgi + "webwxsendmsg", name: "webwxsendmsg", handle: (*Server).sendMsg, fail: failSend, ownsFaults: true},
		{host: hostBase, path: cgi + "webwxoplog", name: "webwxoplog", handle: (*Server).opLog, fail: failBase},
		{host: hostBase, path: cgi + "webwxverifyuser", name: "webwxverifyuser", handle: (*Server).verifyUser, fail: failBase},
		{host: hostBase, path: cgi + "webwxlogout", name: "webwxlogout", handle: (*Server).logout, fail: failBase},
		{host: hostPush, path: cgi + "synccheck", name: "synccheck", handle: (*Server).syncCheck, fail: failSyncCheck},
	}
}

// hostKind classifies a Host header; the port, if any, is ignored.
func (s *Server) hostKind(host string) hostKind {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	switch strings.ToLower(host) {
	case "login.wx.qq.com", "login.weixin.qq.com", "login." + s.domain:
		return hostLogin
	case s.domain:
		return hostBase
	case "webpush." + s.domain:
		return hostPush
	case "file." + s.domain:
		return hostFile
	}
	return hostUnknown
}

func (s *Server) route(r *http.Request) *route {
	kind := s.hostKind(r.Host)
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.host != kind {
			continue
		}
		if rt.path == r.URL.Path || strings.HasSuffix(rt.path, "/") && strings.HasPrefix(r.URL.Path, rt.path) {
			return rt
		}
	}
	return nil
}

// ServeHTTP records the request, routes it on Host and path, applies a
// pending Fault, and answers. Unknown hosts and paths (head images, media,
// uploads) answer 404.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := s.route(r)
	name := ""
	if rt != nil {
		name = rt.name
	}
	s.record(r, name)
	if rt == nil {
		http.NotFound(w, r)
		return
	}
	f, release := s.takeFault(rt.name)
	if f.Delay > 0 && !s.pause(r, f.Delay, release) {
		return // the client gave up
	}
	switch {
	case f.Drop:
		fakefault.Drop(w)
		return
	case f.Status != 0:
		fakefault.WriteStatus(w, f.Status)
		return
	case f.Ret != 0 && !rt.ownsFaults:
		rt.fail(w, f.Ret)
		return
	}
	rt.handle(s, &exchange{w: w, r: r, fault: f.Ret})
}

// notifyLocked wakes every held poll so it looks at the state again.
// Callers hold s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// held tells a test hook that a poll started waiting.
func (s *Server) held(endpoint string) {
	s.mu.Lock()
	hook := s.holdHook
	s.mu.Unlock()
	if hook != nil {
		hook(endpoint)
	}
}
