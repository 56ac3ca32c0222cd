package fakewechat

import (
	"net/http"
	"strconv"
)

// The JSON endpoints of wx.qq.com/cgi-bin/mmwebwx-bin/. Each takes the
// session from the BaseRequest in its body (or skey in its query) and
// answers BaseResponse.Ret 1101 for an expired or unknown session.

type baseOnly struct{ BaseResponse baseResponse }

func failBase(w http.ResponseWriter, ret int) {
	writeJSON(w, baseOnly{BaseResponse: baseResponse{Ret: ret}})
}

type withBase struct{ BaseRequest baseRequest }

// sessionFor decodes the body into v, whose BaseRequest base points at, and
// finds its session. On failure it answers with fail and returns nil; on
// success it returns with s.mu held.
func (s *Server) sessionFor(x *exchange, v any, base *baseRequest, fail func(http.ResponseWriter, int)) *session {
	if err := decodeBody(x.w, x.r, v); err != nil {
		fail(x.w, retParam)
		return nil
	}
	s.mu.Lock()
	ss, ret := s.lookup(*base)
	if ret != 0 {
		s.mu.Unlock()
		fail(x.w, ret)
		return nil
	}
	return ss
}

type initResponse struct {
	BaseResponse        baseResponse
	Count               int
	ContactList         []userJSON
	SyncKey             syncKey
	User                userJSON
	ChatSet             string
	SKey                string
	ClientVersion       int
	SystemTime          int64
	GrayScale           int
	InviteStartCount    int
	MPSubscribeMsgCount int
	MPSubscribeMsgList  []any
	ClickReportInterval int
}

// webInit answers POST webwxinit: the bot's own User, the recent chats (the
// file helper and the groups, with members) and the current SyncKey. A hot
// login calls it with the stored credentials, so a live session answers
// with the UserNames it already handed out.
func (s *Server) webInit(x *exchange) {
	var req withBase
	ss := s.sessionFor(x, &req, &req.BaseRequest, failBase)
	if ss == nil {
		return
	}
	resp := initResponse{
		ContactList:         []userJSON{fileHelperJSON()},
		SyncKey:             ss.syncKey(),
		User:                s.selfJSONLocked(ss),
		ChatSet:             FileHelperID + ",",
		SKey:                ss.skey,
		ClientVersion:       671106385,
		SystemTime:          s.now().Unix(),
		GrayScale:           1,
		InviteStartCount:    40,
		MPSubscribeMsgList:  []any{},
		ClickReportInterval: 600000,
	}
	for _, id := range s.order {
		if g := s.groups[id]; g != nil {
			u := s.groupJSONLocked(ss, g, true)
			resp.ContactList = append(resp.ContactList, u)
			resp.ChatSet += u.UserName + ","
		}
	}
	resp.Count = len(resp.ContactList)
	s.mu.Unlock()
	writeJSON(x.w, resp)
}

type msgIDResponse struct {
	BaseResponse baseResponse
	MsgID        string
	LocalID      string
}

// statusNotify answers POST webwxstatusnotify: Code 3 after login, Code 1
// to mark a chat read.
func (s *Server) statusNotify(x *exchange) {
	var req withBase
	ss := s.sessionFor(x, &req, &req.BaseRequest, failBase)
	if ss == nil {
		return
	}
	id := s.nextMsgIDLocked()
	s.mu.Unlock()
	writeJSON(x.w, msgIDResponse{MsgID: strconv.FormatInt(id, 10)})
}

type contactResponse struct {
	BaseResponse baseResponse
	MemberCount  int
	MemberList   []userJSON
	Seq          int64
}

func failGetContact(w http.ResponseWriter, ret int) {
	writeJSON(w, contactResponse{BaseResponse: baseResponse{Ret: ret}, MemberList: []userJSON{}})
}

// getContact answers GET webwxgetcontact?skey=…&seq=…: friends and groups
// (without members), a page at a time when ContactPageSize is set. Seq is
// where the next page starts, 0 on the last; openwechat asks again while it
// is neither 0 nor the seq it sent.
func (s *Server) getContact(x *exchange) {
	q := x.r.URL.Query()
	start, _ := strconv.Atoi(q.Get("seq"))
	s.mu.Lock()
	ss, ret := s.lookupLocked(q.Get("skey"), "", 0)
	if ret != 0 {
		s.mu.Unlock()
		failGetContact(x.w, ret)
		return
	}
	list := s.listLocked(ss)
	s.mu.Unlock()
	start = min(max(start, 0), len(list))
	end, next := len(list), 0
	if s.pageSize > 0 && start+s.pageSize < len(list) {
		end = start + s.pageSize
		next = end
	}
	page := list[start:end]
	writeJSON(x.w, contactResponse{MemberCount: len(page), MemberList: page, Seq: int64(next)})
}

type batchRequest struct {
	BaseRequest baseRequest
	Count       int
	List        []struct{ UserName, EncryChatRoomId string }
}

type batchResponse struct {
	BaseResponse baseResponse
	Count        int
	ContactList  []userJSON
}

func failBatch(w http.ResponseWriter, ret int) {
	writeJSON(w, batchResponse{BaseResponse: baseResponse{Ret: ret}, ContactList: []userJSON{}})
}

// batchGetContact answers POST webwxbatchgetcontact with details, groups
// with their MemberList. openwechat puts the answers back by index, so
// they come in the order asked, and names this session never gave are left
// out at the end rather than answered.
func (s *Server) batchGetContact(x *exchange) {
	var req batchRequest
	ss := s.sessionFor(x, &req, &req.BaseRequest, failBatch)
	if ss == nil {
		return
	}
	resp := batchResponse{ContactList: []userJSON{}}
	for _, item := range req.List {
		if u, ok := s.contactJSONLocked(ss, item.UserName); ok {
			resp.ContactList = append(resp.ContactList, u)
		}
	}
	s.mu.Unlock()
	resp.Count = len(resp.ContactList)
	writeJSON(x.w, resp)
}

type opLogRequest struct {
	BaseRequest baseRequest
	CmdId       int
	OP          int
	RemarkName  string
	UserName    string
}

// opLog answers POST webwxoplog: CmdId 2 sets a friend's remark name (only
// with KeepRemarkNames; otherwise it is accepted and nothing changes, as on
// the service now), CmdId 3 pins (OP 1) or unpins a chat. A change reaches
// the bot as a ModContactList entry too, as on the real service.
func (s *Server) opLog(x *exchange) {
	var req opLogRequest
	ss := s.sessionFor(x, &req, &req.BaseRequest, failBase)
	if ss == nil {
		return
	}
	defer s.mu.Unlock()
	id, _ := ss.idOf(req.UserName)
	p, g := s.people[id], s.groups[id]
	switch {
	case req.CmdId == 2 && p != nil && p.friend && !s.keepRemarks:
	case req.CmdId == 2 && p != nil && p.friend:
		p.RemarkName = req.RemarkName
		s.modContactLocked(ss, s.personJSONLocked(ss, p), "4")
	case req.CmdId == 3 && p != nil && p.friend:
		p.pinned = req.OP == 1
		s.modContactLocked(ss, s.personJSONLocked(ss, p), "4")
	case req.CmdId == 3 && g != nil:
		g.pinned = req.OP == 1
		s.modContactLocked(ss, s.groupJSONLocked(ss, g, true), "4")
	default:
		failBase(x.w, retParam)
		return
	}
	writeJSON(x.w, baseOnly{BaseResponse: baseOK()})
}

// logout answers webwxlogout?skey=…: the session ends, and later synccheck
// calls answer 1101. openwechat's Logout fails unless the body is JSON with
// a BaseResponse, so the fake answers that. Logging out a dead session is a
// no-op that succeeds.
func (s *Server) logout(x *exchange) {
	skey := x.r.URL.Query().Get("skey")
	s.mu.Lock()
	if ss, ret := s.lookupLocked(skey, "", 0); ret == 0 {
		// Without waking the held synccheck: the client that logged out
		// cancels it itself. Answering it 1101 now would race openwechat's
		// ExitWith(ErrUserLogout) with an ExitWith(Ret 1101).
		ss.ended = retLoginCheck
	}
	s.mu.Unlock()
	writeJSON(x.w, baseOnly{BaseResponse: baseOK()})
}
