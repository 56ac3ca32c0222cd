package app

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/chat"
	"wzdaily/internal/sample"
)

// TestTheBotLinksToTheReadersWeb: with a base URL, search results, inline
// answers and digest items link to our article page, and the page is
// there, served on its own listener.
func TestTheBotLinksToTheReadersWeb(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const base = "https://news.example.org/archive"
	a, err := New(ctx, Options{Settings: Settings{DB: filepath.Join(t.TempDir(), "web.db"),
		Web: WebSettings{Listen: "127.0.0.1:0", BaseURL: base + "/"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Articles.Ingest(ctx, &source.Dir{FS: sample.FS(), Label: "sample"}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	key := chat.Key{Platform: "console", ChatID: "1"}
	say := func(text string) []chat.Message {
		return a.Bot.Handle(ctx, chat.Update{Chat: key, Kind: chat.Private, UserID: "1", Text: text})
	}
	var links []string
	collect := func(ms []chat.Message) {
		for _, m := range ms {
			for _, b := range m.Blocks {
				for _, s := range b.Spans {
					if s.URL != "" {
						links = append(links, s.URL)
					}
				}
			}
		}
	}
	collect(say("搜索 公司"))
	say("订阅 东财滚动新闻")
	sub, err := a.Subscribers.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	preview, err := a.Engine.Preview(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	collect(preview)
	inline, _, err := a.Bot.Inline(ctx, "公司", "")
	if err != nil || len(inline) == 0 {
		t.Fatalf("inline: %d results, %v", len(inline), err)
	}
	for _, r := range inline {
		links = append(links, r.URL)
	}
	if len(links) < 10 {
		t.Fatalf("only %d links", len(links))
	}
	for _, l := range links {
		if !strings.HasPrefix(l, base+"/a/") {
			t.Fatalf("a link to %s, want our page under %s", l, base)
		}
	}

	ln, err := a.ListenWeb()
	if err != nil {
		t.Fatal(err)
	}
	wait := a.ServeWeb(ctx, ln)
	defer wait()
	defer cancel()
	resp, err := http.Get("http://" + ln.Addr().String() + strings.TrimPrefix(links[0], base))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<article>") {
		t.Errorf("%s: %d", links[0], resp.StatusCode)
	}
}

func TestABadBaseURLStopsTheStart(t *testing.T) {
	_, err := New(context.Background(), Options{Settings: Settings{DB: filepath.Join(t.TempDir(), "web.db"),
		Web: WebSettings{Listen: "127.0.0.1:0", BaseURL: "news.example.org"}}})
	if err == nil || !strings.Contains(err.Error(), "base URL") {
		t.Fatalf("err = %v", err)
	}
}
