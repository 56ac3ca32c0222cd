package officialaccount

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

const (
	testToken  = "server-token"
	testAppID  = "wx0123456789abcdef"
	testAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
)

// talk is the bot for these tests: it records what it is handed and
// answers "re: " and the text.
type talk struct {
	mu      sync.Mutex
	updates []chat.Update
	gone    []chat.Key
	back    []chat.Key
}

func (b *talk) Handle(_ context.Context, u chat.Update) []chat.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.updates = append(b.updates, u)
	return []chat.Message{{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "re: " + u.Text}}}}}}
}

func (b *talk) ChatGone(_ context.Context, k chat.Key, _ subscribers.State) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gone = append(b.gone, k)
	return nil
}

func (b *talk) ChatBack(_ context.Context, k chat.Key) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.back = append(b.back, k)
	return nil
}

func (b *talk) handled() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.updates)
}

// serving runs a transport whose API is nowhere (no test here reaches it)
// and returns it with its bot.
func serving(t testing.TB, aesKey string) (*Transport, *talk) {
	t.Helper()
	b := &talk{}
	tr, err := New(Options{Bot: b, AppID: testAppID, AppSecret: "app-secret", Token: testToken, EncodingAESKey: aesKey,
		API: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); tr.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return tr, b
}

// signed is a query as WeChat signs it.
func signed(token string, q url.Values) url.Values {
	if q == nil {
		q = url.Values{}
	}
	q.Set("timestamp", "1764140000")
	q.Set("nonce", "n0nce")
	q.Set("signature", util.Signature(token, "1764140000", "n0nce"))
	return q
}

func textPush(from, content string, id int64) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>1764140000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId></xml>`, from, content, id)
}

func do(t *testing.T, h http.Handler, method string, q url.Values, body string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(method, "/wechat?"+q.Encode(), strings.NewReader(body))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	out, _ := io.ReadAll(w.Result().Body)
	return w.Code, string(out)
}

func TestTheURLCheckIsEchoedOnlyWhenSigned(t *testing.T) {
	tr, _ := serving(t, "")
	q := signed(testToken, url.Values{"echostr": {"4711"}})
	if code, body := do(t, tr, http.MethodGet, q, ""); code != http.StatusOK || body != "4711" {
		t.Errorf("signed check: %d %q", code, body)
	}
	q = signed("another-token", url.Values{"echostr": {"4711"}})
	if code, body := do(t, tr, http.MethodGet, q, ""); code != http.StatusForbidden || strings.Contains(body, "4711") {
		t.Errorf("check signed with another token: %d %q", code, body)
	}
}

func TestAPushWithoutAGoodSignatureChangesNothing(t *testing.T) {
	tr, b := serving(t, "")
	for name, q := range map[string]url.Values{
		"another token": signed("another-token", nil),
		"no signature":  {"timestamp": {"1764140000"}, "nonce": {"n0nce"}},
		"a changed timestamp": func() url.Values {
			q := signed(testToken, nil)
			q.Set("timestamp", "1764140001")
			return q
		}(),
	} {
		if code, _ := do(t, tr, http.MethodPost, q, textPush("o1", "订阅 工业", 1)); code != http.StatusForbidden {
			t.Errorf("%s: status %d", name, code)
		}
	}
	if n := b.handled(); n != 0 {
		t.Errorf("the bot was handed %d pushes without a good signature", n)
	}
}

// reply is a passive text reply as WeChat reads it.
type reply struct {
	ToUserName, FromUserName, MsgType, Content string
}

func TestAPlaintextPushIsAnsweredInTheReply(t *testing.T) {
	tr, b := serving(t, "")
	code, body := do(t, tr, http.MethodPost, signed(testToken, nil), textPush("o1", "搜索 西江", 11))
	var r reply
	if err := xml.Unmarshal([]byte(body), &r); code != http.StatusOK || err != nil {
		t.Fatalf("%d %q: %v", code, body, err)
	}
	if r.ToUserName != "o1" || r.FromUserName != "gh_account" || r.MsgType != "text" || r.Content != "re: 搜索 西江" {
		t.Errorf("reply %+v", r)
	}
	if len(b.updates) != 1 || b.updates[0].Chat != (chat.Key{Platform: Platform, ChatID: "o1"}) {
		t.Errorf("updates %+v", b.updates)
	}
	// WeChat's retry of the same message (it did not get the reply) gets
	// the same reply; the bot is not asked twice.
	code, again := do(t, tr, http.MethodPost, signed(testToken, nil), textPush("o1", "搜索 西江", 11))
	var r2 reply
	if err := xml.Unmarshal([]byte(again), &r2); code != http.StatusOK || err != nil || r2.Content != r.Content {
		t.Errorf("retry: %d %q", code, again)
	}
	if n := b.handled(); n != 1 {
		t.Errorf("the bot was handed the message %d times", n)
	}
}

func TestASafeModePushIsOpenedAndTheReplySealed(t *testing.T) {
	tr, b := serving(t, testAESKey)
	sealed, q := seal(t, textPush("o2", "我的订阅", 12), testToken)
	code, body := do(t, tr, http.MethodPost, q, sealed)
	var env message.ResponseEncryptedXMLMsg
	if err := xml.Unmarshal([]byte(body), &env); code != http.StatusOK || err != nil || env.EncryptedMsg == "" {
		t.Fatalf("%d %q: %v", code, body, err)
	}
	if env.MsgSignature != util.Signature(testToken, fmt.Sprint(env.Timestamp), env.Nonce, env.EncryptedMsg) {
		t.Error("the reply's signature does not check")
	}
	_, plain, err := util.DecryptMsg(testAppID, env.EncryptedMsg, testAESKey)
	if err != nil {
		t.Fatal(err)
	}
	var r reply
	if err := xml.Unmarshal(plain, &r); err != nil || r.Content != "re: 我的订阅" || r.ToUserName != "o2" {
		t.Errorf("reply %q: %v", plain, err)
	}
	// The ciphertext carries its own signature.
	q.Set("msg_signature", util.Signature("another-token", q.Get("timestamp"), q.Get("nonce"), "x"))
	if code, _ := do(t, tr, http.MethodPost, q, sealed); code != http.StatusForbidden {
		t.Errorf("a push with a bad msg_signature: %d", code)
	}
	if n := b.handled(); n != 1 {
		t.Errorf("the bot was handed %d pushes", n)
	}
}

func TestASafeModePushWithoutTheKeyIsRefused(t *testing.T) {
	tr, b := serving(t, "")
	sealed, q := seal(t, textPush("o2", "x", 13), testToken)
	if code, _ := do(t, tr, http.MethodPost, q, sealed); code != http.StatusServiceUnavailable {
		t.Errorf("status %d", code)
	}
	if b.handled() != 0 {
		t.Error("handed to the bot")
	}
}

func TestFollowAndUnfollowReachTheBot(t *testing.T) {
	tr, b := serving(t, "")
	event := func(e string) string {
		return `<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[o3]]></FromUserName>` +
			`<CreateTime>1764140100</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[` + e + `]]></Event></xml>`
	}
	code, body := do(t, tr, http.MethodPost, signed(testToken, nil), event("subscribe"))
	if code != http.StatusOK || !strings.Contains(body, "re: /start") {
		t.Errorf("follow: %d %q", code, body)
	}
	if code, body := do(t, tr, http.MethodPost, signed(testToken, nil), event("unsubscribe")); code != http.StatusOK || body != "success" {
		t.Errorf("unfollow: %d %q", code, body)
	}
	o3 := chat.Key{Platform: Platform, ChatID: "o3"}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.back) != 1 || b.back[0] != o3 || len(b.gone) != 1 || b.gone[0] != o3 {
		t.Errorf("back %v, gone %v", b.back, b.gone)
	}
}

func TestBadRequestsAreRefusedPlainly(t *testing.T) {
	tr, b := serving(t, "")
	if code, _ := do(t, tr, http.MethodPut, signed(testToken, nil), ""); code != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", code)
	}
	if code, _ := do(t, tr, http.MethodPost, signed(testToken, nil), "<xml><Content>"); code != http.StatusBadRequest {
		t.Errorf("broken XML: %d", code)
	}
	if code, _ := do(t, tr, http.MethodPost, signed(testToken, nil), strings.Repeat("x", maxPush+1)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("too large: %d", code)
	}
	if b.handled() != 0 {
		t.Error("handed to the bot")
	}
}

// seal encrypts a push as WeChat does in safe mode and signs it.
func seal(t *testing.T, plain, token string) (string, url.Values) {
	t.Helper()
	enc, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte(plain), testAppID, testAESKey)
	if err != nil {
		t.Fatal(err)
	}
	q := signed(token, url.Values{"encrypt_type": {"aes"}, "openid": {"o2"}})
	q.Set("msg_signature", util.Signature(token, q.Get("timestamp"), q.Get("nonce"), string(enc)))
	return `<xml><ToUserName><![CDATA[gh_account]]></ToUserName><Encrypt><![CDATA[` + string(enc) + `]]></Encrypt></xml>`, q
}
