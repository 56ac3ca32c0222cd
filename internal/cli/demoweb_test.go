package cli

import (
	"regexp"
	"strings"
	"testing"
)

// TestDemoServesTheReadersWeb: demo --web says where the reader's web is,
// and the chat's links and the digest's page link point there.
func TestDemoServesTheReadersWeb(t *testing.T) {
	code, out, errOut := run(t, nil, "订阅 东财滚动新闻\n每日条数 2\n搜索 公司\n今日摘要\n", "demo", "--web", "127.0.0.1:0")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
	}
	m := regexp.MustCompile(`The reader's web: (http://127\.0\.0\.1:[0-9]+)/`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no address in\n%.600s", out)
	}
	if !strings.Contains(out, m[1]+"/a/") || !regexp.MustCompile(regexp.QuoteMeta(m[1])+`/d/[A-Za-z0-9_-]+`).MatchString(out) {
		t.Errorf("the chat's links do not open the reader's web at %s:\n%s", m[1], out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "https://finews.withounder.com/") {
			t.Errorf("a link to the site's page, gone in three days: %s", line)
		}
	}
}
