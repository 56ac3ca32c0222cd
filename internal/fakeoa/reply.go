package fakeoa

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxReplyXML is the most bytes a passive reply may have, as plaintext XML
// (decrypted, in safe mode); beyond, WeChat shows the follower Notice. The
// platform's page names no limit. Developers found a text reply holds at
// most 2,047 bytes of UTF-8 (dodgepudding/wechat-php-sdk#363), and that
// replies of 628 Chinese characters, 1,884 bytes, already fail
// (silenceper/wechat#673): both fit a limit of about 2 KB on the whole
// reply, not on Content alone, and the fake applies the stricter reading
// so that a bot that passes here passes there. A reply's envelope (the two
// names, CreateTime, MsgType) takes some 150 to 200 of those bytes.
const MaxReplyXML = 2048

// reply is a passive reply as the platform read it.
type reply struct {
	none    bool   // "success", an empty body, or a transfer to customer service
	msgType string // text, image, …
	content string // of a text reply
}

// replyXML holds the fields every passive reply has, and Content.
// https://developers.weixin.qq.com/doc/subscription/guide/product/message/Passive_user_reply_message.html
type replyXML struct {
	XMLName      xml.Name
	ToUserName   string
	FromUserName string
	CreateTime   string
	MsgType      string
	Content      *string
}

// The reply types the platform documents; the fake shows only text and
// records the others by type.
var replyTypes = map[string]bool{
	"text": true, "image": true, "voice": true, "video": true, "music": true, "news": true,
	"transfer_customer_service": true, // hands the conversation to human agents: no reply
}

// readReply reads the body the bot answered a push with, as the platform
// does: "success" or an empty body means no reply (the page names exactly
// these two); anything else must be a reply to the follower who wrote,
// encrypted in safe mode. The error says why the platform would refuse it.
func (s *Server) readReply(body []byte, openID string) (reply, error) {
	if len(body) == 0 || string(body) == "success" {
		return reply{none: true}, nil
	}
	if s.box == nil {
		return checkReply(body, openID, s.account)
	}
	plain, err := s.openReply(body)
	switch {
	case err != nil:
		return reply{}, err
	case len(plain) == 0 || string(plain) == "success":
		// A sealed nothing (silenceper/wechat seals an empty reply in safe
		// mode) is read as the empty body it holds; the page does not say.
		return reply{none: true}, nil
	}
	return checkReply(plain, openID, s.account)
}

// openReply checks a safe-mode reply's msg signature, computed over the
// token and the reply's own TimeStamp, Nonce and Encrypt, and decrypts it.
// https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.md
func (s *Server) openReply(body []byte) ([]byte, error) {
	var env sealedReply
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("safe mode: the reply is not XML: %w", err)
	}
	switch {
	case env.XMLName.Local != "xml":
		return nil, fmt.Errorf("safe mode: the reply's root is <%s>, not <xml>", env.XMLName.Local)
	case env.Encrypt == "":
		return nil, errors.New("safe mode: the reply has no Encrypt: a plaintext reply is refused")
	case env.TimeStamp == "" || env.Nonce == "":
		return nil, errors.New("safe mode: the reply lacks TimeStamp or Nonce")
	case env.MsgSignature != signature(s.token, env.TimeStamp, env.Nonce, env.Encrypt):
		return nil, errors.New("safe mode: the reply's MsgSignature does not match")
	}
	plain, err := s.box.decrypt(env.Encrypt)
	if err != nil {
		return nil, fmt.Errorf("safe mode: unable to decrypt the reply: %w", err)
	}
	return plain, nil
}

// checkReply checks a plaintext reply: an <xml> addressed back to the
// follower (ToUserName is their OpenID) from the account (FromUserName),
// within MaxReplyXML, with an integer CreateTime, a documented MsgType, and
// for text a non-empty Content.
func checkReply(plain []byte, openID, account string) (reply, error) {
	if len(plain) > MaxReplyXML {
		return reply{}, fmt.Errorf("the reply is %d bytes, over %d", len(plain), MaxReplyXML)
	}
	var x replyXML
	if err := xml.Unmarshal(plain, &x); err != nil {
		return reply{}, fmt.Errorf("the reply is not XML: %w", err)
	}
	switch {
	case x.XMLName.Local != "xml":
		return reply{}, fmt.Errorf("the reply's root is <%s>, not <xml>", x.XMLName.Local)
	case x.ToUserName != openID:
		return reply{}, fmt.Errorf("the reply's ToUserName %q is not the follower %q", x.ToUserName, openID)
	case x.FromUserName != account:
		return reply{}, fmt.Errorf("the reply's FromUserName %q is not the account %q", x.FromUserName, account)
	case !replyTypes[x.MsgType]:
		return reply{}, fmt.Errorf("the reply's MsgType %q is not one the platform knows", x.MsgType)
	}
	if t, err := strconv.ParseInt(strings.TrimSpace(x.CreateTime), 10, 64); err != nil || t <= 0 {
		return reply{}, fmt.Errorf("the reply's CreateTime %q is not a positive integer", x.CreateTime)
	}
	switch x.MsgType {
	case "transfer_customer_service":
		return reply{none: true, msgType: x.MsgType}, nil
	case "text":
		if x.Content == nil || *x.Content == "" {
			// The page: an empty body means no reply, an empty Content does not.
			return reply{}, errors.New("the text reply has no Content")
		}
		return reply{msgType: "text", content: *x.Content}, nil
	}
	return reply{msgType: x.MsgType}, nil
}
