package fakewechat

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// The JSON below uses the service's own key names (Go field names, no
// tags), which are also the names openwechat decodes. Types matter: MsgId,
// FileSize and MsgID are strings, NewMsgId is a number, and every webwxsync
// answer carries a SyncKey object, or the library panics in its polling
// goroutine.

type baseRequest struct {
	Uin      int64
	Sid      string
	Skey     string
	DeviceID string
}

type baseResponse struct {
	Ret    int
	ErrMsg string
}

type keyVal struct{ Key, Val int64 }

type syncKey struct {
	Count int
	List  []keyVal
}

// userJSON is a contact as webwxinit, webwxgetcontact, webwxbatchgetcontact
// and ModContactList carry it.
type userJSON struct {
	Uin              int64
	UserName         string
	NickName         string
	HeadImgUrl       string
	ContactFlag      int
	MemberCount      int
	MemberList       []memberJSON
	RemarkName       string
	HideInputBarFlag int
	Sex              int
	Signature        string
	VerifyFlag       int
	OwnerUin         int
	PYInitial        string
	PYQuanPin        string
	RemarkPYInitial  string
	RemarkPYQuanPin  string
	StarFriend       int
	AppAccountFlag   int
	Statues          int
	AttrStatus       int64
	Province         string
	City             string
	Alias            string
	SnsFlag          int
	UniFriend        int
	DisplayName      string
	ChatRoomId       int
	KeyWord          string
	EncryChatRoomId  string
	IsOwner          int
}

// memberJSON is one entry of a group's MemberList.
type memberJSON struct {
	Uin             int64
	UserName        string
	NickName        string
	AttrStatus      int64
	PYInitial       string
	PYQuanPin       string
	RemarkPYInitial string
	RemarkPYQuanPin string
	MemberStatus    int
	DisplayName     string
	KeyWord         string
}

type recommendInfo struct {
	UserName   string
	NickName   string
	QQNum      int64
	Province   string
	City       string
	Content    string
	Signature  string
	Alias      string
	Scene      int
	VerifyFlag int
	AttrStatus int64
	Sex        int
	Ticket     string
	OpCode     int
}

type appInfo struct {
	AppID string
	Type  int
}

// message is one entry of webwxsync's AddMsgList.
type message struct {
	MsgId                string
	FromUserName         string
	ToUserName           string
	MsgType              int
	Content              string
	Status               int
	ImgStatus            int
	CreateTime           int64
	VoiceLength          int
	PlayLength           int64
	FileName             string
	FileSize             string
	MediaId              string
	Url                  string
	AppMsgType           int
	StatusNotifyCode     int
	StatusNotifyUserName string
	RecommendInfo        recommendInfo
	ForwardFlag          int
	AppInfo              appInfo
	HasProductId         int
	Ticket               string
	ImgHeight            int
	ImgWidth             int
	SubMsgType           int
	NewMsgId             int64
	OriContent           string
	EncryFileName        string
}

type delContact struct {
	UserName    string
	ContactFlag int
}

// writeJSON answers v without HTML escaping, as the service does.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing to do
}

// writeJS answers the JavaScript assignments the login and push hosts use.
func writeJS(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/javascript")
	_, _ = io.WriteString(w, body)
}

func baseOK() baseResponse { return baseResponse{} }

// decodeBody reads a JSON request body of at most 1 MiB into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	return json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v)
}

// parseSyncKey reads synccheck's "1_651|2_652|3_600|1000_1700000000" and
// returns the message counter (key 1), or 0 when it is missing.
func parseSyncKey(s string) int64 {
	for part := range strings.SplitSeq(s, "|") {
		k, v, ok := strings.Cut(part, "_")
		if !ok || k != "1" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			return n
		}
	}
	return 0
}

// messageKey returns key 1 of a SyncKey object, as parseSyncKey does.
func (k syncKey) messageKey() int64 {
	for _, kv := range k.List {
		if kv.Key == 1 {
			return kv.Val
		}
	}
	return 0
}

// escapeText writes text the way message Content carries it: &, < and >
// as entities and line breaks as <br/>. openwechat undoes both.
func escapeText(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r\n", "<br/>", "\n", "<br/>")
	return r.Replace(s)
}

// pinyin approximates PYQuanPin: real values are the pinyin of Chinese
// names; here the ASCII letters and digits, which is what they are for
// Latin names. openwechat sorts contacts by it.
func pinyin(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func syncCheckBody(retcode int, selector string) string {
	return fmt.Sprintf(`window.synccheck={retcode:"%d",selector:"%s"}`, retcode, selector)
}
