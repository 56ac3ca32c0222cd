package fakeoa

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"wzdaily/internal/fakefault"
)

// The errcodes the fake answers, with the errmsg WeChat sends (to which it
// appends " rid: …"). Codes and meanings are the platform's global return
// codes (全局返回码,
// https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html);
// the English errmsg texts are as developers quote WeChat's answers.
const (
	errSystem          = -1
	errCredential      = 40001
	errGrantType       = 40002
	errOpenID          = 40003
	errMediaID         = 40007
	errMsgType         = 40008
	errAppID           = 40013
	errAccessToken     = 40014
	errButtonSize      = 40016
	errButtonType      = 40017
	errButtonName      = 40018
	errButtonKey       = 40019
	errButtonURL       = 40020
	errSubButtonSize   = 40023
	errSubButtonType   = 40024
	errSubButtonName   = 40025
	errSubButtonKey    = 40026
	errSubButtonURL    = 40027
	errAppSecret       = 40125
	errNoAccessToken   = 41001
	errNoAppID         = 41002
	errNoSecret        = 41004
	errTokenExpired    = 42001
	errNeedGET         = 43001
	errNeedPOST        = 43002
	errEmptyContent    = 44004
	errContentSize     = 45002
	errQuota           = 45009
	errOutOfTime       = 45015
	errOutOfCount      = 45047
	errMenuNone        = 46003
	errDataFormat      = 47001
	errRequireFollower = 43004
)

var errmsgs = map[int]string{
	errSystem:          "system error",
	errCredential:      "invalid credential, access_token is invalid or not latest",
	errGrantType:       "invalid grant_type",
	errOpenID:          "invalid openid",
	errMediaID:         "invalid media_id",
	errMsgType:         "invalid message type",
	errAppID:           "invalid appid",
	errAccessToken:     "invalid access_token",
	errButtonSize:      "invalid button size",
	errButtonType:      "invalid button type",
	errButtonName:      "invalid button name size",
	errButtonKey:       "invalid button key size",
	errButtonURL:       "invalid button url size",
	errSubButtonSize:   "invalid sub button size",
	errSubButtonType:   "invalid sub button type",
	errSubButtonName:   "invalid sub button name size",
	errSubButtonKey:    "invalid sub button key size",
	errSubButtonURL:    "invalid sub button url size",
	errAppSecret:       "invalid appsecret",
	errNoAccessToken:   "access_token missing",
	errNoAppID:         "appid missing",
	errNoSecret:        "appsecret missing",
	errTokenExpired:    "access_token expired",
	errNeedGET:         "require GET method",
	errNeedPOST:        "require POST method",
	errRequireFollower: "require subscribe",
	errEmptyContent:    "empty content",
	errContentSize:     "content size out of limit",
	errQuota:           "reach max api daily quota limit",
	errOutOfTime:       "response out of time limit or subscription is canceled",
	errOutOfCount:      "out of response count limit",
	errMenuNone:        "menu no exist",
	errDataFormat:      "data format error",
}

// Errmsg returns the errmsg the fake answers errcode with, without the rid.
func Errmsg(errcode int) string {
	if m, ok := errmsgs[errcode]; ok {
		return m
	}
	return fmt.Sprintf("error %d", errcode)
}

// route is one API endpoint. handle runs with s.mu held and returns the
// JSON to answer, or an errcode; nil and 0 answer {"errcode":0,"errmsg":"ok"}.
type route struct {
	method string
	token  bool // needs a valid access_token
	handle func(s *Server, ex *exchange) (any, int)
}

// exchange is one API request as a handler sees it.
type exchange struct {
	r    *http.Request
	body []byte
	now  time.Time
	call *Call
}

// Paths are WeChat's; methods are the documented ones.
var routes = map[string]route{
	"/cgi-bin/token":                     {http.MethodGet, false, (*Server).getTokenLocked},
	"/cgi-bin/stable_token":              {http.MethodPost, false, (*Server).stableTokenLocked},
	"/cgi-bin/message/custom/send":       {http.MethodPost, true, (*Server).customSendLocked},
	"/cgi-bin/menu/create":               {http.MethodPost, true, (*Server).menuCreateLocked},
	"/cgi-bin/menu/get":                  {http.MethodGet, true, (*Server).menuGetLocked},
	"/cgi-bin/menu/delete":               {http.MethodGet, true, (*Server).menuDeleteLocked},
	"/cgi-bin/get_current_selfmenu_info": {http.MethodGet, true, (*Server).selfMenuInfoLocked},
}

// maxRequest bounds a request body; the largest, a menu, is a few KB.
const maxRequest = 1 << 20

// ServeHTTP answers the API: it records the call, applies a pending Fault,
// checks the method and the access token, and runs the endpoint. Unknown
// paths answer 404.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := Call{At: s.now(), Method: r.Method, Path: r.URL.Path}
	rt, known := routes[r.URL.Path]
	if !known {
		call.Status = http.StatusNotFound
		s.recordCall(call)
		http.NotFound(w, r)
		return
	}
	f, release := s.takeFault(r.URL.Path)
	if f.Delay > 0 && !s.pause(r, f.Delay, release) {
		s.recordCall(call) // the client gave up
		return
	}
	switch {
	case f.Drop:
		s.recordCall(call)
		fakefault.Drop(w)
		return
	case f.Status != 0:
		call.Status = f.Status
		s.recordCall(call)
		fakefault.WriteStatus(w, f.Status)
		return
	case f.Errcode != 0:
		s.answer(w, &call, nil, f.Errcode)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest))
	if err != nil {
		s.answer(w, &call, nil, errDataFormat)
		return
	}
	s.mu.Lock()
	out, code := s.handleLocked(rt, &exchange{r: r, body: body, now: s.now(), call: &call})
	s.mu.Unlock()
	s.answer(w, &call, out, code)
}

func (s *Server) handleLocked(rt route, ex *exchange) (any, int) {
	if ex.r.Method != rt.method {
		if rt.method == http.MethodGet {
			return nil, errNeedGET
		}
		return nil, errNeedPOST
	}
	if rt.token {
		if code := s.checkTokenLocked(ex.r.URL.Query().Get("access_token"), ex.now); code != 0 {
			return nil, code
		}
	}
	return rt.handle(s, ex)
}

// answer writes the JSON answer and records the call.
func (s *Server) answer(w http.ResponseWriter, call *Call, out any, code int) {
	if code != 0 || out == nil {
		msg := "ok"
		if code != 0 {
			msg = Errmsg(code) + " rid: " + randomHex(4) + "-" + randomHex(4) + "-" + randomHex(4)
		}
		call.Errmsg = msg
		out = struct {
			Errcode int    `json:"errcode"`
			Errmsg  string `json:"errmsg"`
		}{code, msg}
	}
	call.Status, call.Errcode = http.StatusOK, code
	s.recordCall(*call)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		http.Error(w, "fakeoa: unable to encode an answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	_, _ = w.Write(buf.Bytes()) // the client may have gone; nothing to do about it
}

func (s *Server) recordCall(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

// decodeJSON reads a JSON body into v; a body that does not parse is
// WeChat's 47001.
func decodeJSON(body []byte, v any) int {
	if err := json.Unmarshal(body, v); err != nil {
		return errDataFormat
	}
	return 0
}
