package console

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

// talk runs a script through a console over a fresh database and returns
// what it printed.
func talk(t *testing.T, script string) string {
	t.Helper()
	conn := dbtest.Open(t, articles.Schema(), subscribers.Schema())
	now := func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
	store := articles.NewStore(conn, articles.StoreOptions{Now: now})
	if _, err := store.Ingest(context.Background(), &source.Dir{FS: sample.FS(), Label: "sample"}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c := &Console{In: strings.NewReader(script), Out: &out}
	c.Handler = bot.New(bot.Options{Articles: store, Subscribers: subscribers.NewStore(conn, subscribers.Options{Now: now}), Now: now,
		Admins: []string{c.Key().String()}})
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

const script = "订阅 工业\n/list\n搜索 的\n下一页\n更多\n上一页\n/time 08:15\n/tz Europe/Berlin\n统计\n/stop\n"

func TestConsoleThroughAPipe(t *testing.T) {
	out := talk(t, script)
	for _, want := range []string{
		"已订阅：工业。", "标签：梧州日报新闻、工业", "【搜索「的」共 58 条 · 第 1 页】", "发送 下一页（或 更多）",
		"【搜索「的」共 58 条 · 第 2 页】\n6. ", "发送 上一页 或 下一页 翻页", "【搜索「的」共 58 条 · 第 3 页】\n11. ",
		"【搜索「的」共 58 条 · 第 2 页】\n6. ",
		"推送时间已改为每天 08:15", "时区已改为柏林时间（Europe/Berlin）", "【统计】", "已删除你的订阅",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "> ") {
		t.Errorf("a script got prompts")
	}
}

func TestConsoleIsDeterministic(t *testing.T) {
	if a, b := talk(t, script), talk(t, script); a != b {
		t.Errorf("two runs of one script differ:\n%s\n----\n%s", a, b)
	}
}

// A number typed after a search page is text to search for: results are
// numbered, and a page's number must never turn the page.
func TestConsoleNumbersAfterASearchPageAreText(t *testing.T) {
	out := talk(t, "搜索 的\n下一页\n1\n")
	if strings.Contains(out, "[1]") || strings.Contains(out, "[2]") {
		t.Errorf("a search page offered numbered choices:\n%s", out)
	}
	if !strings.Contains(out, "【搜索「1」") || strings.Count(out, "【搜索「的」") != 2 {
		t.Errorf("1 typed after page 2 should search for 1, not turn the page:\n%s", out)
	}
}

func TestConsoleNumbersWithoutButtonsAreText(t *testing.T) {
	out := talk(t, "开始\n7\nquit\n订阅 工业\n")
	if !strings.Contains(out, "搜索「7」") && !strings.Contains(out, "没有找到「7」") {
		t.Errorf("a number with no buttons shown should be searched:\n%s", out)
	}
	if strings.Contains(out, "已订阅") {
		t.Errorf("input after quit was read:\n%s", out)
	}
}

func TestConsoleLongLine(t *testing.T) {
	out := talk(t, "搜索 "+strings.Repeat("梧", 200000)+"\n/list\n")
	if !strings.Contains(out, "你还没有订阅") {
		t.Errorf("the line after a 600 KB line was lost:\n%.300s", out)
	}
}
