package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot/console"
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

// TestADigestEndsWithItsSignedPage: the digest's last part links to its
// page, which shows every article, the ones /max left out too; a link
// changed by one character is refused and shows nothing.
func TestADigestEndsWithItsSignedPage(t *testing.T) {
	ctx := context.Background()
	const base = "https://news.example.org"
	var out bytes.Buffer
	con := &console.Console{In: strings.NewReader(""), Out: &out, Name: "t"}
	db := filepath.Join(t.TempDir(), "web.db")
	a, err := New(ctx, Options{Settings: Settings{DB: db, Web: WebSettings{Listen: "127.0.0.1:0", BaseURL: base}}, Console: con})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Articles.Ingest(ctx, &source.Dir{FS: sample.FS(), Label: "sample"}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"订阅 东财滚动新闻", "每日条数 2"} {
		a.Bot.Handle(ctx, chat.Update{Chat: con.Key(), Kind: chat.Private, UserID: "1", Text: text})
	}
	out.Reset()
	a.Bot.Handle(ctx, chat.Update{Chat: con.Key(), Kind: chat.Private, UserID: "1", Text: "今日摘要"})
	link := regexp.MustCompile(regexp.QuoteMeta(base) + `/d/[A-Za-z0-9_-]+`).FindString(out.String())
	if link == "" {
		t.Fatalf("no link to the digest's page in\n%s", out.String())
	}
	if fi, err := os.Stat(WebKeyFile(db)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the link key file: %v %v", fi, err)
	}
	page := get(t, a.Web, strings.TrimPrefix(link, base))
	if page.Code != http.StatusOK || strings.Count(page.Body.String(), `<h3><a href="/a/`) <= 2 {
		t.Fatalf("%d, want the whole digest, more than /max's 2:\n%s", page.Code, page.Body.String())
	}
	if page.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Error("the page's address may leave in a Referer")
	}
	tampered := []byte(strings.TrimPrefix(link, base))
	if tampered[5] == 'A' {
		tampered[5] = 'B'
	} else {
		tampered[5] = 'A'
	}
	if got := get(t, a.Web, string(tampered)); got.Code != http.StatusForbidden || strings.Contains(got.Body.String(), "/a/") {
		t.Errorf("a tampered link: %d\n%s", got.Code, got.Body.String())
	}
	// Another process on the database signs with the same key.
	b, err := New(ctx, Options{Settings: Settings{DB: db, Web: WebSettings{Listen: "127.0.0.1:0", BaseURL: base}}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := get(t, b.Web, strings.TrimPrefix(link, base)); got.Code != http.StatusOK {
		t.Errorf("another process refuses the link: %d", got.Code)
	}
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func TestTheLinkKeySetting(t *testing.T) {
	if _, err := linkKey("short", ""); err == nil {
		t.Error("a short key is taken")
	}
	long := strings.Repeat("k", 64)
	if k, err := linkKey(long, filepath.Join(t.TempDir(), "x.db")); err != nil || string(k) != long {
		t.Errorf("%q %v", k, err)
	}
}
