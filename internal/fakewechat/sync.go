package fakewechat

import (
	"net/http"
	"strconv"
	"time"
)

// syncCheck answers GET webpush.<domain>/cgi-bin/mmwebwx-bin/synccheck.
// openwechat polls it in a loop with no pause, so it is held like the real
// one: it answers at once when events newer than the client's SyncKey wait
// (selector "2" for messages) or the session is gone (retcode 1101/1100),
// and otherwise waits up to SyncHold for either before answering selector
// "0". After Close it answers retcode 1101, which stops openwechat's loop
// instead of letting it spin.
func (s *Server) syncCheck(x *exchange) {
	q := x.r.URL.Query()
	uin, _ := strconv.ParseInt(q.Get("uin"), 10, 64)
	skey, sid, since := q.Get("skey"), q.Get("sid"), parseSyncKey(q.Get("synckey"))
	timer := time.NewTimer(s.syncHold)
	defer timer.Stop()
	announced := false
	for {
		s.mu.Lock()
		retcode, selector := s.syncStateLocked(skey, sid, uin, since)
		ch := s.changed
		s.mu.Unlock()
		if retcode != 0 {
			writeJS(x.w, syncCheckBody(retcode, "0"))
			return
		}
		if selector != "" {
			writeJS(x.w, syncCheckBody(0, selector))
			return
		}
		if !announced {
			announced = true
			s.held("synccheck")
		}
		select {
		case <-ch:
		case <-timer.C:
			writeJS(x.w, syncCheckBody(0, "0"))
			return
		case <-x.r.Context().Done():
			return
		}
	}
}

// syncStateLocked returns a non-zero retcode for a dead session, a
// selector when events wait, or neither.
func (s *Server) syncStateLocked(skey, sid string, uin, since int64) (int, string) {
	if s.closed {
		return retLoginCheck, ""
	}
	ss, ret := s.lookupLocked(skey, sid, uin)
	if ret != 0 {
		return ret, ""
	}
	return 0, ss.selector(since)
}

func failSyncCheck(w http.ResponseWriter, ret int) {
	writeJS(w, syncCheckBody(ret, "0"))
}

type syncRequest struct {
	BaseRequest baseRequest
	SyncKey     syncKey
	RR          any `json:"rr"`
}

type syncResponse struct {
	BaseResponse           baseResponse
	AddMsgCount            int
	AddMsgList             []*message
	ModContactCount        int
	ModContactList         []userJSON
	DelContactCount        int
	DelContactList         []delContact
	ModChatRoomMemberCount int
	ModChatRoomMemberList  []userJSON
	ContinueFlag           int
	SyncKey                syncKey
	SyncCheckKey           syncKey
	SKey                   string
}

// emptySync is a webwxsync answer with nothing in it. openwechat
// dereferences SyncKey unconditionally, so even failures carry one.
func emptySync(ret int) syncResponse {
	empty := syncKey{List: []keyVal{}}
	return syncResponse{
		BaseResponse:          baseResponse{Ret: ret},
		AddMsgList:            []*message{},
		ModContactList:        []userJSON{},
		DelContactList:        []delContact{},
		ModChatRoomMemberList: []userJSON{},
		SyncKey:               empty,
		SyncCheckKey:          empty,
	}
}

func failSync(w http.ResponseWriter, ret int) { writeJSON(w, emptySync(ret)) }

// webSync hands over every event after the SyncKey in the body and the
// SyncKey to send next. Events stay queued, so a client that comes back
// with an older SyncKey (a hot login from an old file) gets them again.
func (s *Server) webSync(x *exchange) {
	var req syncRequest
	if err := decodeBody(x.w, x.r, &req); err != nil {
		failSync(x.w, retParam)
		return
	}
	s.mu.Lock()
	ss, ret := s.lookup(req.BaseRequest)
	if ret != 0 {
		s.mu.Unlock()
		failSync(x.w, ret)
		return
	}
	resp := emptySync(0)
	for _, e := range ss.since(req.SyncKey.messageKey()) {
		switch {
		case e.add != nil:
			resp.AddMsgList = append(resp.AddMsgList, e.add)
		case e.mod != nil:
			resp.ModContactList = append(resp.ModContactList, *e.mod)
		case e.del != "":
			resp.DelContactList = append(resp.DelContactList, delContact{UserName: e.del})
		}
	}
	resp.AddMsgCount = len(resp.AddMsgList)
	resp.ModContactCount = len(resp.ModContactList)
	resp.DelContactCount = len(resp.DelContactList)
	resp.SyncKey, resp.SyncCheckKey, resp.SKey = ss.syncKey(), ss.syncKey(), ss.skey
	s.mu.Unlock()
	writeJSON(x.w, resp)
}
