package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/internal/clocktest"
	"wzdaily/internal/fakewechat"
	"wzdaily/internal/logtest"
)

// waitFor waits until the console output holds s; the console prints
// what the bot sent within a tenth of a second.
func waitFor(t *testing.T, out *logtest.Buffer, s string) {
	t.Helper()
	clocktest.Eventually(t, 10*time.Second, fmt.Sprintf("%q in the console output", s), func() bool { return strings.Contains(out.String(), s) })
}

// TestRunServesTheFakeAndTheConsole runs the command as the README's try
// does, with a real openwechat bot that echoes: what is typed reaches the
// bot, as a friend and in the group, and its answers are printed.
func TestRunServesTheFakeAndTheConsole(t *testing.T) {
	in, typing := io.Pipe()
	out := &logtest.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("console output:\n%s", out)
		}
	})
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"--addr", "127.0.0.1:0", "--name", "阿梧"}, in, out, io.Discard)
	}()
	waitFor(t, out, "!help")
	m := regexp.MustCompile(`Fake web-WeChat at (http://127\.0\.0\.1:\d+); you are 阿梧`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no address in the output:\n%s", out.String())
	}
	target, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // stops the bot; Exit would race with its polling
	bot := openwechat.DefaultBot(openwechat.Desktop, openwechat.WithContextOption(ctx))
	bot.UUIDCallback = func(string) {} // the fake scans at once (--auto-scan)
	bot.ScanCallBack = func(openwechat.CheckLoginResponse) {}
	bot.LoginCallBack = func(openwechat.CheckLoginResponse) {}
	bot.SyncCheckCallback = func(openwechat.SyncCheckResponse) {}
	bot.MessageHandler = func(msg *openwechat.Message) {
		if msg.IsText() {
			_, _ = msg.ReplyText("收到：" + strings.TrimSpace(msg.Content))
		}
	}
	bot.Caller.Client.HTTPClient().Transport = fakewechat.RewriteTransport(target, nil)
	if err := bot.Login(); err != nil {
		t.Fatalf("the bot cannot log in: %v", err)
	}

	if _, err := io.WriteString(typing, "开始\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "bot:\n    收到：开始\n")
	if _, err := io.WriteString(typing, "!group 搜索 西江\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "bot in the group:\n    收到：")
	if _, err := io.WriteString(typing, "!nonsense\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "bot:\n    收到：!nonsense\n") // not a console command: a message
	if _, err := io.WriteString(typing, "!avatar\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "fake-wechat: you have a new avatar")
	if strings.Contains(out.String(), "收到：!avatar") {
		t.Error("!avatar reached the bot as a message")
	}
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
