package fakeoa

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Kind is what a push carries.
type Kind string

// The pushes a follower makes. Text messages and the events are shaped as
// the platform documents them: 接收普通消息 (text: Content, MsgId) and 接收事件推送
// (subscribe and unsubscribe; CLICK with the button's EventKey; VIEW with
// the link as EventKey). Pages seen: 接收普通消息 as stored at
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Batch_Sends.html,
// and 接收事件推送 at
// https://developers.weixin.qq.com/doc/service/Account_Management/Wechat_Accreditation_Event_Push.html
// (which also says an unfollower's data must be deleted).
const (
	KindText        Kind = "text"
	KindSubscribe   Kind = "subscribe"
	KindUnsubscribe Kind = "unsubscribe"
	KindClick       Kind = "CLICK"
	KindView        Kind = "VIEW"
)

// cdata is a text the XML carries in a CDATA section, as WeChat writes
// every string field.
type cdata struct {
	Text string `xml:",cdata"`
}

// pushXML is the plaintext body of a push.
type pushXML struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata
	FromUserName cdata
	CreateTime   int64
	MsgType      cdata
	Content      *cdata `xml:",omitempty"`
	MsgID        int64  `xml:"MsgId,omitempty"`
	Event        *cdata `xml:",omitempty"`
	EventKey     *cdata `xml:",omitempty"`
}

// sealedPush is the body of a push in safe mode: only the account and the
// ciphertext.
type sealedPush struct {
	XMLName    xml.Name `xml:"xml"`
	ToUserName cdata
	Encrypt    cdata
}

// sealedReply is the body of a reply in safe mode.
type sealedReply struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      string
	MsgSignature string
	TimeStamp    string
	Nonce        string
}

// action is one push before it is signed: what the follower did.
type action struct {
	openID     string
	kind       Kind
	text       string // Content, or the EventKey
	msgID      int64  // text messages only
	createTime time.Time
}

// body is the plaintext XML of m for the account.
func (m action) body(account string) ([]byte, error) {
	x := pushXML{
		ToUserName:   cdata{account},
		FromUserName: cdata{m.openID},
		CreateTime:   m.createTime.Unix(),
	}
	switch m.kind {
	case KindText:
		x.MsgType = cdata{"text"}
		x.Content = &cdata{m.text}
		x.MsgID = m.msgID
	default:
		x.MsgType = cdata{"event"}
		x.Event = &cdata{string(m.kind)}
		if m.kind == KindClick || m.kind == KindView {
			x.EventKey = &cdata{m.text}
		}
	}
	out, err := xml.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("fakeoa: unable to marshal a push: %w", err)
	}
	return out, nil
}

// request is one signed push request, ready to send.
type request struct {
	query url.Values
	body  []byte
}

// sign builds the request for one attempt at pushing m: a fresh timestamp
// and nonce, the signature over token, timestamp and nonce, the follower's
// openid, and in safe mode the sealed body with encrypt_type=aes and its
// msg_signature. bad spoils both signatures.
func (s *Server) sign(m action, bad bool) (request, error) {
	ts := strconv.FormatInt(s.now().Unix(), 10)
	nonce := strconv.FormatUint(uint64(randomUint32()), 10)
	q := url.Values{}
	q.Set("signature", signature(s.token, ts, nonce))
	q.Set("timestamp", ts)
	q.Set("nonce", nonce)
	q.Set("openid", m.openID)
	body, err := m.body(s.account)
	if err != nil {
		return request{}, err
	}
	if s.box != nil {
		enc := s.box.encrypt(body)
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", signature(s.token, ts, nonce, enc))
		if body, err = xml.Marshal(sealedPush{ToUserName: cdata{s.account}, Encrypt: cdata{enc}}); err != nil {
			return request{}, fmt.Errorf("fakeoa: unable to marshal a sealed push: %w", err)
		}
	}
	if bad {
		q.Set("signature", signature("not-the-token", ts, nonce))
		if q.Has("msg_signature") {
			q.Set("msg_signature", signature("not-the-token", ts, nonce))
		}
	}
	return request{query: q, body: body}, nil
}

func randomUint32() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return binary.BigEndian.Uint32(b[:])
}
