package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"wzdaily/internal/clocktest"
	"wzdaily/internal/logtest"
)

const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "0123456789abcdef0123456789abcdef"
	testToken  = "consoletest"
	testKey    = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
)

// waitFor waits until the console output holds s n times.
func waitFor(t *testing.T, out *logtest.Buffer, s string, n int) {
	t.Helper()
	clocktest.Eventually(t, 10*time.Second, fmt.Sprintf("%q %d times in the console output", s, n), func() bool { return strings.Count(out.String(), s) >= n })
}

// echoBot is an account server on silenceper/wechat in safe mode: it
// echoes texts, welcomes events, and answers "慢" later, through a
// customer-service message to the API at *api.
func echoBot(t *testing.T, api *atomic.Pointer[string]) *httptest.Server {
	oa := officialaccount.NewOfficialAccount(&oaconfig.Config{
		AppID: testAppID, AppSecret: testSecret, Token: testToken, EncodingAESKey: testKey, Cache: cache.NewMemory(),
	})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv := oa.GetServer(r, w)
		srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
			text := "welcome"
			switch {
			case m.Content == "慢":
				go later(t, *api.Load(), string(m.FromUserName))
				return nil
			case m.MsgType == message.MsgTypeText:
				text = "echo: " + m.Content
			}
			return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(text)}
		})
		if err := srv.Serve(); err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		_ = srv.Send()
	}))
	t.Cleanup(hs.Close)
	return hs
}

// later sends a customer-service text, as a bot does after a slow search.
func later(t *testing.T, api, openID string) {
	res, err := credential.GetTokenFromServerContext(context.Background(),
		api+"/cgi-bin/token?grant_type=client_credential&appid="+testAppID+"&secret="+testSecret)
	if err != nil {
		t.Errorf("token: %v", err)
		return
	}
	if _, err := util.PostJSONContext(context.Background(), api+"/cgi-bin/message/custom/send?access_token="+res.AccessToken,
		message.NewCustomerTextMessage(openID, "later")); err != nil {
		t.Errorf("custom send: %v", err)
	}
}

// TestRunServesTheFakeAndTheConsole runs the command as the README's try
// does, against a bot built on the real library in safe mode.
func TestRunServesTheFakeAndTheConsole(t *testing.T) {
	var api atomic.Pointer[string]
	bot := echoBot(t, &api)
	in, typing := io.Pipe()
	out := &logtest.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("console output:\n%s", out)
		}
	})
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"--addr", "127.0.0.1:0", "--server", bot.URL + "/wechat",
			"--appid", testAppID, "--secret", testSecret, "--token", testToken, "--aes-key", testKey}, in, out, io.Discard)
	}()
	waitFor(t, out, "!help", 1)
	m := regexp.MustCompile(`API at (http://127\.0\.0\.1:\d+), pushes to .*, safe mode`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no API address in the output:\n%s", out)
	}
	api.Store(&m[1])
	typeLine := func(line string) {
		t.Helper()
		if _, err := io.WriteString(typing, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}

	typeLine("!follow")
	waitFor(t, out, "bot:\n    welcome\n", 1)
	typeLine("你好")
	waitFor(t, out, "bot:\n    echo: 你好\n", 1)
	typeLine("慢")
	waitFor(t, out, "bot (customer-service message):\n    later\n", 1)
	typeLine("!menu")
	waitFor(t, out, "installed no menu", 1)
	res, err := credential.GetTokenFromServerContext(context.Background(), m[1]+"/cgi-bin/token?grant_type=client_credential&appid="+testAppID+"&secret="+testSecret)
	if err != nil {
		t.Fatal(err)
	}
	menu := `{"button":[{"type":"click","name":"今日摘要","key":"DIGEST"}]}`
	if _, err := util.HTTPPost(m[1]+"/cgi-bin/menu/create?access_token="+res.AccessToken, menu); err != nil {
		t.Fatal(err)
	}
	typeLine("!menu")
	waitFor(t, out, "[1] 今日摘要 (DIGEST)", 1)
	typeLine("!click 1")
	waitFor(t, out, "bot:\n    welcome\n", 2)
	typeLine("!click 2")
	waitFor(t, out, "no button 2", 1)
	typeLine("!nonsense")
	waitFor(t, out, `unknown command "!nonsense"`, 1)
	typeLine("!verify")
	waitFor(t, out, "answered the check", 1)
	typing.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run at the end of input: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("deadlocked: run did not return at the end of input")
	}
}

func TestRunRefusesBadArguments(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"an unknown flag": {[]string{"--port", "1"}, "flag provided but not defined"},
		"an argument":     {[]string{"serve"}, `unexpected argument "serve"`},
		"a bad address":   {[]string{"--addr", "nowhere"}, "unable to listen on nowhere"},
		"a short token":   {[]string{"--token", "ab"}, "not 3 to 32 letters or digits"},
		"a bad AES key":   {[]string{"--aes-key", "short"}, "EncodingAESKey"},
		"a bad server":    {[]string{"--server", "ftp://x"}, "not an http(s) URL"},
		"help":            {[]string{"--help"}, flag.ErrHelp.Error()},
	} {
		err := run(context.Background(), tc.args, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, tc.want)
		}
	}
	if err := run(context.Background(), []string{"--help"}, strings.NewReader(""), io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v, want flag.ErrHelp", err)
	}
}
