package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"wzdaily/internal/clocktest"
	"wzdaily/internal/faketelegram"
	"wzdaily/internal/fakewechat"
	"wzdaily/internal/logtest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	clocktest.Eventually(t, 30*time.Second, what, cond)
}

type healthz struct {
	Healthy bool `json:"healthy"`
	Parts   []struct {
		Name, Detail string
		OK           bool
	} `json:"parts"`
}

func (h healthz) part(prefix string) (ok, found bool, detail string) {
	for _, p := range h.Parts {
		if strings.HasPrefix(p.Name, prefix) {
			return p.OK, true, p.Detail
		}
	}
	return false, false, ""
}

// TestServeInProduction runs serve as an operator would, with Telegram and
// WeChat (both fakes), a failing site and the health listener: /healthz
// says what is wrong, the metrics count a digest, the admins hear of a
// lost WeChat session, and the token appears nowhere in the log.
func TestServeInProduction(t *testing.T) {
	const token = "555:TOPSECRET-token-abc"
	tg := faketelegram.New(faketelegram.Options{Token: token, MaxPoll: 300 * time.Millisecond})
	tgSrv := httptest.NewServer(tg)
	defer func() { tg.Close(); tgSrv.Close() }()
	tg.AddUser(faketelegram.User{ID: 77, FirstName: "管理员"})
	tg.AddUser(faketelegram.User{ID: 1001, FirstName: "读者"})

	wx := fakewechat.New(fakewechat.Options{SyncHold: 200 * time.Millisecond, LoginHold: 200 * time.Millisecond})
	wxURL, err := wx.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer wx.Close()
	wx.AddFriend(fakewechat.Person{ID: "reader", NickName: "老梧"})

	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
	}))
	defer site.Close()

	dir := t.TempDir()
	addr := freeAddr(t)
	var logs logtest.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs, Getenv: func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": token}[k]
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, env, []string{"serve", "--db", filepath.Join(dir, "bot.db"), "--http", addr,
			"--site", site.URL, "--poll", "1s", "--telegram-api", tgSrv.URL, "--admin", "telegram:77",
			"--wechat", "--wechat-endpoint", wxURL, "--wechat-gap", "100ms", "--wechat-jitter", "1ms", "--wechat-reply-gap", "100ms",
			"--log-format", "json", "--log-level", "debug"})
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d; log:\n%s", code, logs.String())
		}
		if out := logs.String(); strings.Contains(out, "TOPSECRET") {
			t.Errorf("the token is in the log:\n%s", out)
		}
	}()

	eventually(t, "the WeChat QR code", func() bool { return wx.Count("jslogin") > 0 })
	if err := wx.ScanAndConfirm(); err != nil {
		t.Fatal(err)
	}
	check := func() healthz {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return healthz{}
		}
		defer resp.Body.Close()
		var h healthz
		json.NewDecoder(resp.Body).Decode(&h)
		if (resp.StatusCode == 200) != h.Healthy {
			t.Errorf("status %d for healthy=%v", resp.StatusCode, h.Healthy)
		}
		return h
	}
	// The site fails: unhealthy, saying why; WeChat is fine.
	eventually(t, "a failing source in /healthz", func() bool {
		h := check()
		ok, found, _ := h.part("source")
		wok, _, _ := h.part("wechat")
		return found && !ok && wok && !h.Healthy
	})
	if _, _, detail := check().part("source"); !strings.Contains(detail, "502") {
		t.Errorf("source detail: %q", detail)
	}

	// A digest through Telegram, then the metrics.
	tg.UserSays(1001, 1001, "/start")
	tg.UserSays(1001, 1001, "/digest")
	eventually(t, "the digest", func() bool { return len(tg.Sent(1001)) >= 2 })
	// The command's time is recorded once its handling returns, after the
	// digest went out: scrape until everything is counted.
	clocktest.Eventually(t, 30*time.Second, "every metric to be counted", func() bool { return metricsMissing(t, addr) == "" })

	// WeChat logs out on the phone: unhealthy, and the admin is told.
	wx.LogoutFromPhone()
	eventually(t, "WeChat logged out in /healthz", func() bool {
		ok, found, _ := check().part("wechat")
		return found && !ok
	})
	eventually(t, "the admin's alert", func() bool {
		for _, m := range tg.Sent(77) {
			if strings.Contains(m.Plain, "WeChat") {
				return true
			}
		}
		return false
	})
}

// metricsMissing scrapes /metrics, parses the text format, and names the
// first expected metric below 1, or returns "".
func metricsMissing(t *testing.T, addr string) string {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("metrics are not in the text format: %v", err)
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
	}{
		{"wzdaily_digests_composed_total", nil},
		{"wzdaily_digest_parts_sent_total", map[string]string{"platform": "telegram"}},
		{"wzdaily_messages_sent_total", map[string]string{"platform": "telegram", "kind": "reply"}},
		{"wzdaily_command_seconds", map[string]string{"command": "digest"}},
		{"wzdaily_source_errors_total", nil},
	} {
		total := 0.0
	metric:
		for _, m := range families[c.name].GetMetric() {
			for _, l := range m.GetLabel() {
				if want, ok := c.labels[l.GetName()]; ok && want != l.GetValue() {
					continue metric
				}
			}
			switch {
			case m.Counter != nil:
				total += m.Counter.GetValue()
			case m.Histogram != nil:
				total += float64(m.Histogram.GetSampleCount())
			}
		}
		if total < 1 {
			return fmt.Sprintf("%s%v = %v", c.name, c.labels, total)
		}
	}
	return ""
}
