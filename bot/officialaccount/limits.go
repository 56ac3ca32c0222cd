package officialaccount

import (
	"encoding/xml"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"

	"wzdaily/chat"
)

// The platform's rules, as WeChat documents them for Official Accounts
// (developers.weixin.qq.com/doc/offiaccount/…, the pages named below).

// DefaultReplyDeadline is how long a push waits for the bot's answer before
// the transport says "success" and sends the answer later as a
// customer-service message. WeChat waits five seconds for a passive reply,
// then drops the connection and pushes the same message again, three tries
// in all; "success" (or an empty body) tells it no reply is coming
// (Message_Management/Passive_user_reply_message.html: 微信服务器在五秒内收不到
// 响应会断掉连接，并且重新发起请求，总共重试三次 … 直接回复success). Half a
// second is left for the network.
const DefaultReplyDeadline = 4500 * time.Millisecond

// MaxBytes is the most UTF-8 bytes one customer-service text carries (682
// Chinese characters), and the most a passive reply may have in all, its
// XML envelope included. The pages give no number; the API refuses longer
// text with 45002 "content size out of limit" (Getting_Started/
// Global_Return_Code.html), and developers measured 2,048 bytes
// (developers.weixin.qq.com/community/develop/doc/00084e2936c340b9015a753405b800).
// Passive replies of 628 Chinese characters (1,884 bytes) already fail
// (silenceper/wechat issue 673): the limit counts the envelope, some 200
// bytes, so a reply's text gets what the envelope leaves (replyBudget).
const MaxBytes = 2048

// The conversation window: customer-service messages reach a reader only
// within 48 hours of the reader's last message, and only five of them
// (Customer_Service/Customer_Service_Messages.html, 客服消息下发规则: 用户发送
// 消息 5条 48小时). A menu click or a follow opens no such window: it allows
// three messages within one minute (点击自定义菜单 / 关注公众号 3条 1分钟),
// which is why a click is answered passively whenever it can be. Outside
// the window a send fails with 45015, past the count with 45047.
const (
	WindowSpan     = 48 * time.Hour
	WindowMessages = 5
)

// SendsAtOnce is how many digest sends may be in flight. WeChat documents no
// rate per second for customer-service messages, only a daily quota per
// account (45009); four in flight at about 100 ms a call send some 40
// messages a second, a morning of 10,000 readers in about four minutes.
const SendsAtOnce = 4

// Length is a message's length as the platform counts it: UTF-8 bytes of
// the rendered text. The digest packs parts with it, up to MaxBytes.
func Length(m chat.Message) int { return len(render(m)) }

// render is a message as the account shows it: plain text, buttons as
// replies to type.
func render(m chat.Message) string { return chat.TextOnly(m) }

// pieces cuts a rendered text into messages of at most MaxBytes.
func pieces(s string) []string { return chat.SplitText(s, MaxBytes, chat.UTF8Bytes) }

// replyBudget is how many bytes of text a passive reply to openID from
// account can carry: MaxBytes less the reply's XML envelope.
// (Measured with one byte of text: empty text gets no CDATA section.)
func replyBudget(openID, account string) int { return MaxBytes - (replySize(openID, account, "x") - 1) }

// replySize is the size of a passive text reply as the library writes it.
func replySize(openID, account, text string) int {
	m := message.NewText(text)
	m.SetToUserName(message.CDATA(openID))
	m.SetFromUserName(message.CDATA(account))
	m.SetMsgType(message.MsgTypeText)
	m.SetCreateTime(time.Now().Unix())
	b, err := xml.Marshal(m)
	if err != nil {
		return MaxBytes + 1
	}
	return len(b)
}
