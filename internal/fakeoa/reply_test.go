package fakeoa

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

// textReply is a text reply as a bot writes it.
func textReply(to, from, content string) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>1764545400</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content></xml>", to, from, content)
}

// sealReply seals a plaintext reply with silenceper's helpers, as a bot in
// safe mode does; appID and token may be wrong on purpose.
func sealReply(t *testing.T, plain, appID, token string) string {
	t.Helper()
	enc, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte(plain), appID, testKey)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("<xml><Encrypt><![CDATA[%s]]></Encrypt><MsgSignature><![CDATA[%s]]></MsgSignature><TimeStamp>1764545400</TimeStamp><Nonce><![CDATA[42]]></Nonce></xml>",
		enc, util.Signature(token, "1764545400", "42", string(enc)))
}

// rawBot answers every push with what answer returns for the follower's
// OpenID, and the status.
func rawBot(t *testing.T, s *Server, status int, answer func(openID string) string) {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(answer(r.URL.Query().Get("openid"))))
	}))
	t.Cleanup(hs.Close)
	if err := s.SetServer(hs.URL); err != nil {
		t.Fatal(err)
	}
}

// fits is the longest text Content whose reply to o-reader fits
// MaxReplyXML.
func fits(account string) string {
	room := MaxReplyXML - len(textReply("o-reader", account, ""))
	return strings.Repeat("梧", room/3) + strings.Repeat("x", room%3)
}

func TestRepliesAreCheckedAsWeChatChecksThem(t *testing.T) {
	cases := map[string]struct {
		safe    bool
		status  int
		answer  func(t *testing.T, s *Server, openID string) string
		outcome Outcome
		problem string // part of Push.Problem
	}{
		"a text reply":  {answer: func(_ *testing.T, s *Server, id string) string { return textReply(id, s.AccountID(), "好") }, outcome: Replied},
		"success":       {answer: func(*testing.T, *Server, string) string { return "success" }, outcome: NoReply},
		"an empty body": {answer: func(*testing.T, *Server, string) string { return "" }, outcome: NoReply},
		"a transfer to customer service": {answer: func(_ *testing.T, s *Server, id string) string {
			return strings.Replace(textReply(id, s.AccountID(), ""), "text", "transfer_customer_service", 1)
		}, outcome: NoReply},
		"success with a newline": {answer: func(*testing.T, *Server, string) string { return "success\n" }, outcome: Invalid, problem: "not XML"},
		"JSON":                   {answer: func(*testing.T, *Server, string) string { return `{"content":"好"}` }, outcome: Invalid, problem: "not XML"},
		"another root": {answer: func(_ *testing.T, s *Server, id string) string {
			return strings.ReplaceAll(textReply(id, s.AccountID(), "好"), "xml>", "reply>")
		}, outcome: Invalid, problem: "root"},
		"to another follower":  {answer: func(_ *testing.T, s *Server, _ string) string { return textReply("o-other", s.AccountID(), "好") }, outcome: Invalid, problem: "ToUserName"},
		"names unswapped":      {answer: func(_ *testing.T, s *Server, id string) string { return textReply(s.AccountID(), id, "好") }, outcome: Invalid, problem: "ToUserName"},
		"from another account": {answer: func(_ *testing.T, _ *Server, id string) string { return textReply(id, "gh_000000000000", "好") }, outcome: Invalid, problem: "FromUserName"},
		"a CreateTime in words": {answer: func(_ *testing.T, s *Server, id string) string {
			return strings.Replace(textReply(id, s.AccountID(), "好"), "1764545400", "now", 1)
		}, outcome: Invalid, problem: "CreateTime"},
		"an unknown type": {answer: func(_ *testing.T, s *Server, id string) string {
			return strings.Replace(textReply(id, s.AccountID(), "好"), "[text]", "[markdown]", 1)
		}, outcome: Invalid, problem: "MsgType"},
		"an empty Content": {answer: func(_ *testing.T, s *Server, id string) string { return textReply(id, s.AccountID(), "") }, outcome: Invalid, problem: "no Content"},
		"the longest that fits": {answer: func(_ *testing.T, s *Server, id string) string {
			return textReply(id, s.AccountID(), fits(s.AccountID()))
		}, outcome: Replied},
		"one byte more": {answer: func(_ *testing.T, s *Server, id string) string {
			return textReply(id, s.AccountID(), fits(s.AccountID())+"x")
		}, outcome: Invalid, problem: "over 2048"},
		"HTTP 500": {status: http.StatusInternalServerError, answer: func(_ *testing.T, s *Server, id string) string { return textReply(id, s.AccountID(), "好") }, outcome: Refused, problem: "HTTP 500"},
		"safe: a sealed reply": {safe: true, answer: func(t *testing.T, s *Server, id string) string {
			return sealReply(t, textReply(id, s.AccountID(), "好"), s.AppID(), s.Token())
		}, outcome: Replied},
		"safe: the longest that fits": {safe: true, answer: func(t *testing.T, s *Server, id string) string {
			return sealReply(t, textReply(id, s.AccountID(), fits(s.AccountID())), s.AppID(), s.Token())
		}, outcome: Replied},
		"safe: success":           {safe: true, answer: func(*testing.T, *Server, string) string { return "success" }, outcome: NoReply},
		"safe: a plaintext reply": {safe: true, answer: func(_ *testing.T, s *Server, id string) string { return textReply(id, s.AccountID(), "好") }, outcome: Invalid, problem: "no Encrypt"},
		"safe: signed with another token": {safe: true, answer: func(t *testing.T, s *Server, id string) string {
			return sealReply(t, textReply(id, s.AccountID(), "好"), s.AppID(), "othertoken")
		}, outcome: Invalid, problem: "MsgSignature"},
		"safe: sealed for another AppID": {safe: true, answer: func(t *testing.T, s *Server, id string) string {
			return sealReply(t, textReply(id, s.AccountID(), "好"), "wx0000000000000000", s.Token())
		}, outcome: Invalid, problem: "AppID"},
		"safe: a sealed reply to another follower": {safe: true, answer: func(t *testing.T, s *Server, _ string) string {
			return sealReply(t, textReply("o-other", s.AccountID(), "好"), s.AppID(), s.Token())
		}, outcome: Invalid, problem: "ToUserName"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			key := ""
			if tc.safe {
				key = testKey
			}
			s, _ := start(t, Options{EncodingAESKey: key})
			status := tc.status
			if status == 0 {
				status = http.StatusOK
			}
			rawBot(t, s, status, func(id string) string { return tc.answer(t, s, id) })
			p := follow(t, s, "o-reader")
			if p.Outcome != tc.outcome || !strings.Contains(p.Problem, tc.problem) || p.Retried() {
				t.Fatalf("push = %+v, want %s once, with a problem naming %q", p, tc.outcome, tc.problem)
			}
			msgs := s.Messages("o-reader")
			switch tc.outcome {
			case Replied:
				if len(msgs) != 1 || msgs[0].Via != ViaReply {
					t.Errorf("Messages = %+v, want the reply", msgs)
				}
			case NoReply:
				if len(msgs) != 0 {
					t.Errorf("Messages = %+v, want none", msgs)
				}
			default:
				if len(msgs) != 1 || msgs[0].Text != Notice {
					t.Errorf("Messages = %+v, want the notice", msgs)
				}
			}
		})
	}
}

// FuzzReadReply feeds the reply reader what a bot could answer, in both
// modes: it must never panic, and what it accepts must be a reply to the
// follower from the account, within the limit.
func FuzzReadReply(f *testing.F) {
	plain, err := New(Options{AccountID: "gh_0123456789ab", AppID: "wx0123456789abcdef"})
	if err != nil {
		f.Fatal(err)
	}
	safe, err := New(Options{AccountID: "gh_0123456789ab", AppID: "wx0123456789abcdef", EncodingAESKey: testKey})
	if err != nil {
		f.Fatal(err)
	}
	reply := textReply("o-reader", "gh_0123456789ab", "好")
	sealed, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte(reply), safe.AppID(), testKey)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"", "success", reply, `{"a":1}`, "<xml>", "<xml><Encrypt></Encrypt></xml>",
		"<xml><Encrypt>" + string(sealed) + "</Encrypt><MsgSignature>" + util.Signature(safe.Token(), "1", "2", string(sealed)) + "</MsgSignature><TimeStamp>1</TimeStamp><Nonce>2</Nonce></xml>",
		"<xml><Encrypt>AAAA</Encrypt><MsgSignature>x</MsgSignature><TimeStamp>1</TimeStamp><Nonce>2</Nonce></xml>",
		strings.Replace(reply, "[text]", "[news]", 1),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, s := range []*Server{plain, safe} {
			r, err := s.readReply(body, "o-reader")
			if err != nil {
				continue
			}
			if r.none {
				continue
			}
			if !replyTypes[r.msgType] || r.msgType == "text" && r.content == "" {
				t.Errorf("accepted %q as %+v", body, r)
			}
			if s.box == nil && len(body) > MaxReplyXML {
				t.Errorf("accepted a plaintext reply of %d bytes", len(body))
			}
			if s.box != nil && !bytes.Contains(body, []byte("Encrypt")) {
				t.Errorf("safe mode accepted an unsealed reply %q", body)
			}
		}
	})
}

func TestCheckReplyNamesTheLimit(t *testing.T) {
	body := textReply("o-reader", "gh_0123456789ab", strings.Repeat("x", MaxReplyXML))
	_, err := checkReply([]byte(body), "o-reader", "gh_0123456789ab")
	if err == nil || !strings.Contains(err.Error(), strconv.Itoa(len(body))) {
		t.Errorf("checkReply of %d bytes: %v, want an error with the size", len(body), err)
	}
}
