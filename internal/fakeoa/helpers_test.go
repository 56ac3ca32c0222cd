package fakeoa

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"wzdaily/internal/clocktest"
)

var epoch = time.Date(2026, 12, 1, 7, 30, 0, 0, time.FixedZone("CST", 8*3600))

// testKey is an EncodingAESKey: 43 letters and digits.
const testKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// start returns a started Server on a manual clock, closed at the end of
// the test.
func start(t *testing.T, opts Options) (*Server, *clocktest.Manual) {
	t.Helper()
	clock := clocktest.NewManual(epoch)
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(s.Close)
	return s, clock
}

// handler answers one message; r is the push request, so that a handler
// can hold it until WeChat drops it.
type handler func(r *http.Request, m *message.MixMessage) *message.Reply

// bot is an account server built on silenceper/wechat's own server code,
// the check of the fake's wire format that does not come from the fake.
type bot struct {
	mu   sync.Mutex
	seen []seenPush
}

// seenPush is what the bot's library read from one request.
type seenPush struct {
	openID   string // the openid query parameter
	safe     bool
	msg      message.MixMessage
	rejected bool // the library refused it (signature)
}

func (b *bot) pushes() []seenPush {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]seenPush(nil), b.seen...)
}

// startBot serves a silenceper bot configured like s (credentials, token,
// AES key) and points s at it. A nil handle answers nothing.
func startBot(t *testing.T, s *Server, key string, handle handler) *bot {
	t.Helper()
	oa := officialaccount.NewOfficialAccount(&oaconfig.Config{
		AppID: s.AppID(), AppSecret: s.AppSecret(), Token: s.Token(), EncodingAESKey: key, Cache: cache.NewMemory(),
	})
	b := &bot{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv := oa.GetServer(r, w)
		srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
			// Recorded on entry: a handler held past the deadline is seen
			// before WeChat gives up on it.
			b.record(seenPush{openID: srv.GetOpenID(), safe: r.URL.Query().Get("encrypt_type") == "aes", msg: *m})
			if handle == nil {
				return nil
			}
			return handle(r, m)
		})
		if err := srv.Serve(); err != nil {
			b.record(seenPush{rejected: true})
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if err := srv.Send(); err != nil {
			t.Errorf("the bot's library cannot send its reply: %v", err)
		}
	}))
	// The fake first: it ends the pushes that handlers hold.
	t.Cleanup(func() { s.Close(); hs.Close() })
	if err := s.SetServer(hs.URL + "/wechat"); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *bot) record(p seenPush) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seen = append(b.seen, p)
}

// echo replies with the text it got, or "welcome" to events.
func echo(_ *http.Request, m *message.MixMessage) *message.Reply {
	text := "welcome"
	if m.MsgType == message.MsgTypeText {
		text = "echo: " + m.Content
	}
	return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(text)}
}

// apiCall makes one API call through silenceper's HTTP helpers and returns
// the errcode answer as silenceper decodes it.
func apiCall(t *testing.T, s *Server, method, path, token string, body any) util.CommonError {
	t.Helper()
	uri := s.URL() + path
	if token != "" {
		uri += "?access_token=" + token
	}
	var raw []byte
	var err error
	if method == http.MethodGet {
		raw, err = util.HTTPGetContext(context.Background(), uri)
	} else {
		raw, err = util.PostJSONContext(context.Background(), uri, body)
	}
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	var ce util.CommonError
	if err := json.Unmarshal(raw, &ce); err != nil {
		t.Fatalf("%s %s answered %q: %v", method, path, raw, err)
	}
	return ce
}

// getToken gets an access token as silenceper's DefaultAccessToken does.
func getToken(t *testing.T, s *Server) string {
	t.Helper()
	uri := fmt.Sprintf("%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s", s.URL(), s.AppID(), s.AppSecret())
	res, err := credential.GetTokenFromServerContext(context.Background(), uri)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return res.AccessToken
}

// say is Say with a test's deadline.
func say(t *testing.T, s *Server, openID, text string) Push {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := s.Say(ctx, openID, text)
	if err != nil {
		t.Fatalf("Say(%q, %q): %v", openID, text, err)
	}
	return p
}

func follow(t *testing.T, s *Server, openID string) Push {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := s.Follow(ctx, openID)
	if err != nil {
		t.Fatalf("Follow(%q): %v", openID, err)
	}
	return p
}

// sendText sends a customer-service text as silenceper's message.Manager
// does, and returns the errcode.
func sendText(t *testing.T, s *Server, token, openID, text string) int64 {
	t.Helper()
	return apiCall(t, s, http.MethodPost, "/cgi-bin/message/custom/send", token, message.NewCustomerTextMessage(openID, text)).ErrCode
}
