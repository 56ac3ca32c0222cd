package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wzdaily/internal/fakewechat"
	"wzdaily/internal/logtest"
)

// TestServeShowsTheWeChatLoginInTheTerminal: the operator who runs serve
// --wechat sees the QR code, then where the login stands while the phone
// scans and confirms it.
func TestServeShowsTheWeChatLoginInTheTerminal(t *testing.T) {
	wx := fakewechat.New(fakewechat.Options{SyncHold: 200 * time.Millisecond, LoginHold: 200 * time.Millisecond})
	wxURL, err := wx.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer wx.Close()
	var out, logs logtest.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &logs, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, env, []string{"serve", "--db", filepath.Join(t.TempDir(), "bot.db"), "--poll", "0",
			"--wechat", "--wechat-endpoint", wxURL})
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d; log:\n%s", code, logs.String())
		}
	}()
	eventually(t, "the QR code and the wait for a scan", func() bool {
		return strings.Contains(out.String(), "Scan with WeChat") && strings.Contains(out.String(), "WeChat login: waiting for the scan")
	})
	if err := wx.Scan(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the scan", func() bool {
		return strings.Contains(out.String(), "WeChat login: scanned; now confirm the login on the phone")
	})
	if err := wx.Confirm(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the login", func() bool {
		return strings.Contains(out.String(), "WeChat login: confirmed on the phone") && strings.Contains(out.String(), "WeChat login: logged in")
	})
}
