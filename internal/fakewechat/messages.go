package fakewechat

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
)

// Message types the fake sends.
const (
	msgText   = 1
	msgVerify = 37 // a friend request, from "fmessage"
	msgSystem = 10000
)

func (s *Server) nextMsgIDLocked() int64 {
	s.lastMsg++
	return s.lastMsg
}

// textLocked queues an incoming message for the bot and wakes synccheck.
func (s *Server) textLocked(ss *session, typ int, from, content string) string {
	id := s.nextMsgIDLocked()
	m := &message{
		MsgId:        strconv.FormatInt(id, 10),
		NewMsgId:     id,
		FromUserName: from,
		ToUserName:   ss.self,
		MsgType:      typ,
		Content:      content,
		Status:       3,
		ImgStatus:    1,
		CreateTime:   s.now().Unix(),
	}
	ss.push(event{selector: "2", add: m})
	s.notifyLocked()
	return m.MsgId
}

// InjectText delivers a text from a friend to the bot and returns its
// MsgId. Text is written as the service writes it (entities, <br/>).
func (s *Server) InjectText(from, text string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.liveLocked()
	if ss == nil {
		return "", ErrNoSession
	}
	p := s.people[from]
	if p == nil || !p.friend {
		return "", fmt.Errorf("%w: no friend %q", ErrUnknownContact, from)
	}
	return s.textLocked(ss, msgText, ss.name(from, false), escapeText(text)), nil
}

// InjectGroupText delivers a text that member sent in group. The Content
// is "<member UserName>:<br/>text", from which openwechat takes the sender;
// with atBot the text starts "@<the bot's name in the group>\u2005", which
// makes openwechat's IsAt true.
func (s *Server) InjectGroupText(groupID, member, text string, atBot bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.liveLocked()
	if ss == nil {
		return "", ErrNoSession
	}
	g := s.groups[groupID]
	if g == nil {
		return "", fmt.Errorf("%w: no group %q", ErrUnknownContact, groupID)
	}
	if !inGroup(g, member) {
		return "", fmt.Errorf("%w: %q is not in group %q", ErrUnknownContact, member, groupID)
	}
	if atBot {
		name := g.SelfDisplayName
		if name == "" {
			name = s.nick
		}
		text = "@" + name + "\u2005" + text
	}
	content := ss.name(member, false) + ":<br/>" + escapeText(text)
	return s.textLocked(ss, msgText, ss.name(groupID, true), content), nil
}

func inGroup(g *group, id string) bool {
	for _, m := range g.Members {
		if m.ID == id {
			return true
		}
	}
	return false
}

// friendRequest is the XML a friend request carries in Content.
type friendRequest struct {
	XMLName         xml.Name `xml:"msg"`
	FromUserName    string   `xml:"fromusername,attr"`
	EncryptUserName string   `xml:"encryptusername,attr"`
	FromNickName    string   `xml:"fromnickname,attr"`
	Content         string   `xml:"content,attr"`
	Scene           int      `xml:"scene,attr"`
	Sex             int      `xml:"sex,attr"`
	Province        string   `xml:"province,attr"`
	City            string   `xml:"city,attr"`
	Sign            string   `xml:"sign,attr"`
	Alias           string   `xml:"alias,attr"`
	Ticket          string   `xml:"ticket,attr"`
	Opcode          int      `xml:"opcode,attr"`
}

// InjectFriendRequest delivers a friend request from a stranger: MsgType 37
// from "fmessage" with RecommendInfo, which openwechat's IsFriendAdd and
// Agree use. Agreeing (webwxverifyuser) makes them a friend.
func (s *Server) InjectFriendRequest(from, greeting string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.liveLocked()
	if ss == nil {
		return "", ErrNoSession
	}
	p := s.people[from]
	if p == nil || p.friend {
		return "", fmt.Errorf("%w: no stranger %q", ErrUnknownContact, from)
	}
	ticket := "v4_" + randomHex(24) + "@stranger"
	s.invites[ticket] = from
	const scene = 30 // found by QR code
	body, err := xml.Marshal(friendRequest{
		FromUserName: p.wxid, EncryptUserName: "v3_" + randomHex(24) + "@stranger",
		FromNickName: p.NickName, Content: greeting, Scene: scene, Sex: p.Sex,
		Province: p.Province, City: p.City, Sign: p.Signature, Alias: p.Alias,
		Ticket: ticket, Opcode: 2,
	})
	if err != nil {
		return "", fmt.Errorf("fakewechat: unable to build friend request: %w", err)
	}
	id := s.textLocked(ss, msgVerify, "fmessage", escapeText(string(body)))
	m := ss.events[len(ss.events)-1].add
	m.Ticket = ticket
	m.RecommendInfo = recommendInfo{
		UserName: ss.name(from, false), NickName: p.NickName, Province: p.Province, City: p.City,
		Content: greeting, Signature: p.Signature, Alias: p.Alias, Scene: scene,
		Sex: p.Sex, Ticket: ticket, OpCode: 2,
	}
	return id, nil
}

type verifyRequest struct {
	BaseRequest    baseRequest
	Opcode         int
	VerifyContent  string
	VerifyUserList []struct{ Value, VerifyUserTicket string }
}

// verifyUser answers POST webwxverifyuser. Opcode 3 accepts friend
// requests: each listed UserName must match its request's ticket. The new
// friend reaches the bot as a ModContactList entry and a system message,
// as on the real service.
func (s *Server) verifyUser(x *exchange) {
	var req verifyRequest
	ss := s.sessionFor(x, &req, &req.BaseRequest, failBase)
	if ss == nil {
		return
	}
	defer s.mu.Unlock()
	if req.Opcode != 3 || len(req.VerifyUserList) == 0 {
		failBase(x.w, retParam)
		return
	}
	for _, v := range req.VerifyUserList {
		id, ok := s.invites[v.VerifyUserTicket]
		if !ok || ss.names[id] != v.Value {
			failBase(x.w, retParam)
			return
		}
	}
	for _, v := range req.VerifyUserList {
		id := s.invites[v.VerifyUserTicket]
		delete(s.invites, v.VerifyUserTicket)
		p := s.people[id]
		p.friend = true
		s.modContactLocked(ss, s.personJSONLocked(ss, p), "6")
		s.textLocked(ss, msgSystem, v.Value, escapeText("你已添加了"+p.NickName+"，现在可以开始聊天了。"))
	}
	writeJSON(x.w, baseOnly{BaseResponse: baseOK()})
}

type sendRequest struct {
	BaseRequest baseRequest
	Msg         struct {
		Type                                                    int
		Content, FromUserName, ToUserName, LocalID, ClientMsgId string
	}
	Scene int
}

func failSend(w http.ResponseWriter, ret int) {
	writeJSON(w, msgIDResponse{BaseResponse: baseResponse{Ret: ret}})
}

// sendMsg answers POST webwxsendmsg and records the attempt. It is refused
// with Ret 1101 for a dead session, with an injected Ret, and with Ret 1
// when FromUserName is not the bot or ToUserName is no UserName of this
// session; otherwise the answer carries a new MsgID (a string).
func (s *Server) sendMsg(x *exchange) {
	var req sendRequest
	if err := decodeBody(x.w, x.r, &req); err != nil {
		failSend(x.w, retParam)
		return
	}
	s.mu.Lock()
	rec := Send{At: s.now(), UserName: req.Msg.ToUserName, Type: req.Msg.Type, Content: req.Msg.Content, LocalID: req.Msg.LocalID}
	ss, ret := s.lookup(req.BaseRequest)
	if ss != nil {
		rec.To, _ = ss.idOf(req.Msg.ToUserName)
	}
	switch {
	case ret != 0:
	case x.fault != 0:
		ret = x.fault
	case req.Msg.FromUserName != ss.self || rec.To == "":
		ret = retParam
	}
	rec.Ret = ret
	if ret == 0 {
		rec.MsgID = strconv.FormatInt(s.nextMsgIDLocked(), 10)
	}
	s.sends = append(s.sends, rec)
	s.mu.Unlock()
	if ret != 0 {
		failSend(x.w, ret)
		return
	}
	writeJSON(x.w, msgIDResponse{MsgID: rec.MsgID, LocalID: req.Msg.LocalID})
}
