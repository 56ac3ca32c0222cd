package fakeoa

// MaxCustomText is the most bytes of UTF-8 a customer-service text may
// hold; beyond, 45002 "content size out of limit". The platform's page
// names no number; developers measured 2,048
// (https://developers.weixin.qq.com/community/develop/doc/00084e2936c340b9015a753405b800,
// and the 45002 answer at
// https://developers.weixin.qq.com/community/develop/doc/000ae00ca68c086ba4b0fb4996bc00).
const MaxCustomText = 2048

// The message types the customer-service API documents; the fake shows
// text and records the others by type.
// https://developers.weixin.qq.com/doc/service/api/customer/message/api_sendcustommessage
var customTypes = map[string]bool{
	"text": true, "image": true, "voice": true, "video": true, "music": true, "news": true,
	"mpnews": true, "mpnewsarticle": true, "msgmenu": true, "wxcard": true, "miniprogrampage": true,
}

// customSendLocked is POST /cgi-bin/message/custom/send?access_token=:
// {"touser":OPENID,"msgtype":"text","text":{"content":…}}. The message is
// checked, then the follower's window (window.go) is spent.
func (s *Server) customSendLocked(ex *exchange) (any, int) {
	var req struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		Text    *struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if code := decodeJSON(ex.body, &req); code != 0 {
		return nil, code
	}
	ex.call.OpenID = req.ToUser
	f := s.followers[req.ToUser]
	if f == nil {
		return nil, errOpenID // not an OpenID of this account
	}
	if !customTypes[req.MsgType] {
		return nil, errMsgType
	}
	var text string
	if req.MsgType == "text" {
		if req.Text == nil || req.Text.Content == "" {
			return nil, errEmptyContent
		}
		text = req.Text.Content
		ex.call.Text = text
		if len(text) > MaxCustomText {
			return nil, errContentSize
		}
	}
	if code := s.useWindowLocked(f, ex.now); code != 0 {
		return nil, code
	}
	s.addMessageLocked(Message{OpenID: f.openID, At: ex.now, Via: ViaCustom, MsgType: req.MsgType, Text: text}, false)
	return nil, 0
}
