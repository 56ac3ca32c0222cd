package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/db"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/health"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

var testNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// testWorld is a bot over a fresh database holding the sample posts, with
// a real digest engine whose parts go to a recorder.
type testWorld struct {
	b      *Bot
	conn   *db.DB
	store  *articles.Store
	subs   *subscribers.Store
	engine *digest.Engine
	sent   *recorder
}

// recorder is every platform's sender: it keeps what each chat got.
type recorder struct {
	mu   sync.Mutex
	sent map[chat.Key][]string
	// closed: the platform answers that the chat's window is closed.
	closed bool
}

func (r *recorder) Send(_ context.Context, to chat.Key, m chat.Message) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return "", &chat.SendError{Closed: true, Err: errors.New("window closed")}
	}
	r.sent[to] = append(r.sent[to], chat.PlainText(m))
	return "1", nil
}

func (r *recorder) setClosed(closed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = closed
}

func (r *recorder) to(key chat.Key) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent[key]...)
}

func newTestWorld(t testing.TB) *testWorld {
	t.Helper()
	return newWorldAt(t, func() time.Time { return testNow }, nil)
}

// newWorldAt is newTestWorld on a clock of the test's, with a window for
// each platform named in windows, beside telegram and wechat.
func newWorldAt(t testing.TB, now func() time.Time, windows map[string]*digest.Window) *testWorld {
	t.Helper()
	w := &testWorld{conn: dbtest.Open(t, articles.Schema(), subscribers.Schema(), digest.Schema()), sent: &recorder{sent: map[chat.Key][]string{}}}
	w.store = articles.NewStore(w.conn, articles.StoreOptions{Now: now})
	if _, err := w.store.Ingest(context.Background(), &source.Dir{FS: sample.FS(), Label: "sample",
		Post: source.PostOptions{SiteURL: "https://finews.withounder.com"}}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	sched := digest.NewSchedule(digest.ScheduleOptions{Articles: w.store, Now: now})
	w.subs = subscribers.NewStore(w.conn, subscribers.Options{Now: now, OnChange: sched.Changed})
	w.engine = digest.New(digest.Options{DB: w.conn, Articles: w.store, Subscribers: w.subs, Schedule: sched})
	platforms := map[string]*digest.Platform{"telegram": {Sender: w.sent}, "wechat": {Sender: w.sent}}
	for name, win := range windows {
		platforms[name] = &digest.Platform{Sender: w.sent, Window: win}
	}
	d := digest.NewDeliverer(digest.DelivererOptions{DB: w.conn, Engine: w.engine, Subscribers: w.subs, Now: now, Platforms: platforms})
	w.b = New(Options{Articles: w.store, Subscribers: w.subs, Digests: w.engine, Delivery: d, Outbox: digest.NewOutbox(w.conn),
		Admins: []string{"telegram:admin"}, Username: "wzbot", Now: now})
	return w
}

// newTestBot returns a bot over a fresh database holding the sample posts.
func newTestBot(t testing.TB) (*Bot, *subscribers.Store) {
	w := newTestWorld(t)
	return w.b, w.subs
}

var (
	me    = chat.Key{Platform: "telegram", ChatID: "100"}
	group = chat.Key{Platform: "telegram", ChatID: "-200"}
)

func private(text string) chat.Update {
	return chat.Update{Chat: me, Kind: chat.Private, UserID: "100", Text: text}
}

// step is one line of a conversation: what the chat sends and what the
// reply must say.
type step struct {
	in      string
	want    []string // substrings of the reply, in order
	notWant []string
}

// runScript plays a conversation; a step's reply is what the bot answered
// and what the chat was sent meanwhile (a digest asked for).
func runScript(t *testing.T, w *testWorld, mk func(string) chat.Update, script []step) {
	t.Helper()
	for n, s := range script {
		u := mk(s.in)
		before := len(w.sent.to(u.Chat))
		var got []string
		for _, m := range w.b.Handle(context.Background(), u) {
			got = append(got, chat.PlainText(m)+"\n"+chat.NumberedButtons(m))
		}
		got = append(got, w.sent.to(u.Chat)[before:]...)
		reply := strings.Join(got, "\n---\n")
		rest := reply
		for _, w := range s.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Fatalf("step %d %q: reply lacks %q (in order):\n%s", n, s.in, w, reply)
			}
			rest = rest[i+len(w):]
		}
		for _, w := range s.notWant {
			if strings.Contains(reply, w) {
				t.Fatalf("step %d %q: reply should not hold %q:\n%s", n, s.in, w, reply)
			}
		}
	}
}

func TestConversationInChinese(t *testing.T) {
	w := newTestWorld(t)
	runScript(t, w, private, []step{
		{in: "开始", want: []string{"欢迎使用", "07:30（北京时间）", "梧州日报新闻"}},
		{in: "帮助", want: []string{"【命令", "订阅 工业", "取消订阅"}},
		{in: "标签", want: []string{"【标签（文章数）】", "东财滚动新闻 (103)", "工业 (8) · 主题", "+ 工业", "✓ 梧州日报新闻"}},
		{in: "订阅 工业", want: []string{"已订阅：工业。"}},
		{in: "/订阅 工业 交通", want: []string{"已订阅：交通。", "已经订阅过：工业。"}},
		{in: "订阅工艺", want: []string{"没有这个标签：工艺。", "你是不是想找：工业？"}},
		{in: "退订 交通 天空", want: []string{"已退订：交通。", "你没有订阅：天空。"}},
		{in: "关键词 添加 龙母 -广告", want: []string{"已添加关键词：龙母、-广告。", "关键词：龙母；排除：广告"}},
		{in: "关键词 删除 龙母 不存在", want: []string{"已删除关键词：龙母。", "没有这个关键词：不存在。"}},
		{in: "推送时间 8点15", want: []string{"每天 08:15（北京时间），下一次在明天 08:15"}},
		{in: "推送时间 25:61", want: []string{"时间格式不对：25:61", "推送时间 07:30"}},
		{in: "时区 Europe/Berlin", want: []string{"时区已改为柏林时间（Europe/Berlin），摘要仍在当地每天 08:15 推送，下一次在明天 08:15。"}},
		{in: "时区 Mars/Base", want: []string{"不认识的时区：Mars/Base", "Asia/Shanghai"}},
		{in: "我的订阅", want: []string{"标签：梧州日报新闻、工业", "排除：广告", "每天 08:15（柏林时间）", "推送中"}},
		{in: "每日条数 12", want: []string{"每天摘要最多 12 条。"}},
		{in: "每日条数 500", want: []string{"1 到 200"}},
		{in: "空日通知 关", want: []string{"没有新闻的日子不再打扰你。"}},
		{in: "我的订阅", want: []string{"最多 12 条", "没有新闻的日子：不打扰"}},
		{in: "/empty maybe", want: []string{"请说 开 或 关"}},
		{in: "最新 3", want: []string{"【最新 3 条】", "1. ", "2. ", "3. "}, notWant: []string{"4. "}},
		{in: "最新 99", want: []string{"1 到 20"}},
		{in: "今日摘要", want: []string{"【今日摘要 · 2026年11月26日】", "【梧州日报新闻（1）】", "【工业 · 东财滚动（6）】"}},
		{in: "暂停", want: []string{"已暂停推送"}},
		{in: "恢复", want: []string{"已恢复推送，下一次在明天 08:15（柏林时间）"}},
		{in: "统计", want: []string{"只有管理员"}},
		{in: "取消订阅", want: []string{"已删除你的订阅和全部设置"}},
		{in: "我的订阅", want: []string{"你还没有订阅"}},
	})
	if _, err := w.subs.Get(context.Background(), me); err == nil {
		t.Errorf("the subscriber survived /stop")
	}
}

func TestConversationInEnglish(t *testing.T) {
	w := newTestWorld(t)
	mk := func(text string) chat.Update { u := private(text); u.LangHint = "en-GB"; return u }
	runScript(t, w, mk, []step{
		{in: "/start", want: []string{"Welcome to the Wuzhou Daily digest bot", "07:30 (Beijing time)"}},
		{in: "/help", want: []string{"【Commands】", "/sub 工业", "/stop"}},
		{in: "/sub 工业", want: []string{"Subscribed to: 工业 (industry)."}},
		{in: "/sub nonsense", want: []string{"There is no tag nonsense."}},
		{in: "/unsub 工业", want: []string{"Unsubscribed from: 工业."}},
		{in: "/kw add 龙母", want: []string{"Keywords added: 龙母."}},
		{in: "/kw del 龙母", want: []string{"Keywords removed: 龙母."}},
		{in: "/time 07:05", want: []string{"Digest time set to 07:05 every day (Beijing time); the next one comes tomorrow at 07:05."}},
		{in: "/time 7", want: []string{"That is not a time: 7."}},
		{in: "/tz America/New_York", want: []string{"Time zone set to New York time (America/New_York); the digest still comes at 07:05 local time, the next one today at 07:05."}},
		{in: "/list", want: []string{"【My subscription】", "Tags: 梧州日报新闻", "Digest: every day at 07:05 (New York time)"}},
		{in: "/latest", want: []string{"【Newest 5】"}},
		{in: "/search 美元", want: []string{"Search \"美元\": 16 found, page 1", "「美元」", "Send /next (or /more)"}, notWant: []string{"[1]"}},
		{in: "/more", want: []string{"page 2", "6. "}},
		{in: "/search qqqqzz", want: []string{"Nothing found for \"qqqqzz\""}},
		{in: "/digest", want: []string{"【Wuzhou Daily digest · 26 Nov 2026】", "【梧州日报新闻 (1)】"}, notWant: []string{"Today's digest"}},
		{in: "/lang zh", want: []string{"以后用中文回复"}},
		{in: "/lang fr", want: []string{"语言只能是 zh"}},
		{in: "/pause", want: []string{"已暂停"}},
		{in: "/resume", want: []string{"已恢复推送"}},
		{in: "/stop", want: []string{"已删除"}},
	})
}

func TestSearchPagingWithButtons(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	first := b.Handle(ctx, private("搜索 的"))
	if len(first) != 1 || len(first[0].Buttons) != 1 || first[0].Buttons[0][0].Label != "下一页" {
		t.Fatalf("first page: %+v", first)
	}
	next := first[0].Buttons[0][0].Data
	if len(next) > chat.MaxButtonData {
		t.Fatalf("button data %q over %d bytes", next, chat.MaxButtonData)
	}
	u := private("")
	u.Callback = next
	second := b.Handle(ctx, u)
	if len(second) != 1 || !second[0].Replace || !strings.Contains(chat.PlainText(second[0]), "第 2 页") {
		t.Fatalf("second page: %+v", second)
	}
	labels := []string{}
	for _, btn := range chat.Flatten(second[0].Buttons) {
		labels = append(labels, btn.Label)
	}
	if strings.Join(labels, ",") != "上一页,下一页" {
		t.Errorf("second page buttons %v", labels)
	}
	// Pages never repeat an article.
	if chat.PlainText(first[0]) == chat.PlainText(second[0]) {
		t.Errorf("page 2 repeats page 1")
	}
	// Another chat cannot page this chat's search.
	other := u
	other.Chat = chat.Key{Platform: "telegram", ChatID: "999"}
	if r := b.Handle(ctx, other); !strings.Contains(chat.PlainText(r[0]), "过期") {
		t.Errorf("another chat paged the search: %s", chat.PlainText(r[0]))
	}
	u.Callback = "s:zzz:1"
	if r := b.Handle(ctx, u); !strings.Contains(chat.PlainText(r[0]), "过期") {
		t.Errorf("unknown search id: %s", chat.PlainText(r[0]))
	}
}

func TestTagButtonsToggle(t *testing.T) {
	b, subs := newTestBot(t)
	ctx := context.Background()
	b.Handle(ctx, private("开始"))
	u := private("")
	u.Callback = "tag:工业"
	r := b.Handle(ctx, u)
	if len(r) != 1 || !r[0].Replace || !strings.Contains(chat.NumberedButtons(r[0]), "✓ 工业") {
		t.Fatalf("toggle on: %s", chat.NumberedButtons(r[0]))
	}
	if got := chat.PlainText(r[0]); got != "已订阅：工业。" {
		t.Errorf("a press answers in one line, not the list again: %q", got)
	}
	if got := chat.PlainText(b.Handle(ctx, u)[0]); got != "已退订：工业。" {
		t.Errorf("the second press: %q", got)
	}
	b.Handle(ctx, u)
	b.Handle(ctx, u)
	sub, _ := subs.Get(ctx, me)
	if strings.Join(sub.Tags, ",") != "梧州日报新闻" {
		t.Errorf("after toggling twice: %v", sub.Tags)
	}
	u.Callback = "tag:不存在的标签"
	if r := b.Handle(ctx, u); !strings.Contains(chat.PlainText(r[0]), "没有这个标签") {
		t.Errorf("unknown tag button: %s", chat.PlainText(r[0]))
	}
}

func TestGroups(t *testing.T) {
	b, subs := newTestBot(t)
	ctx := context.Background()
	in := func(text string, admin, addressed bool) []chat.Message {
		return b.Handle(ctx, chat.Update{Chat: group, Kind: chat.Group, ChatName: "梧州街坊群", UserID: "7",
			IsAdmin: admin, Addressed: addressed, Text: text})
	}
	if r := in("订阅 工业", true, false); r != nil {
		t.Errorf("a message not addressed to the bot was answered: %v", r)
	}
	if r := in("/start@otherbot", true, true); r != nil {
		t.Errorf("a command for another bot was answered: %v", r)
	}
	if r := in("/start@wzbot", false, true); !strings.Contains(chat.PlainText(r[0]), "只有群管理员") {
		t.Errorf("a non-admin started the group: %s", chat.PlainText(r[0]))
	}
	if _, err := subs.Get(ctx, group); err == nil {
		t.Fatalf("the group was subscribed by a non-admin")
	}
	if r := in("/start@wzbot", true, true); !strings.Contains(chat.PlainText(r[0]), "欢迎") {
		t.Fatalf("admin start: %s", chat.PlainText(r[0]))
	}
	if r := in("订阅 工业", false, true); !strings.Contains(chat.PlainText(r[0]), "只有群管理员") {
		t.Errorf("non-admin subscribe: %s", chat.PlainText(r[0]))
	}
	if r := in("搜索 美元", false, true); !strings.Contains(chat.PlainText(r[0]), "「美元」") {
		t.Errorf("anyone may search in a group: %s", chat.PlainText(r[0]))
	}
	sub, _ := subs.Get(ctx, group)
	if sub.Kind != chat.Group || sub.Name != "梧州街坊群" || strings.Join(sub.Tags, ",") != "梧州日报新闻" {
		t.Errorf("group subscriber %+v", sub)
	}
}

func TestStatsForAdmins(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	b.Handle(ctx, private("开始"))
	u := private("统计")
	u.UserID = "admin"
	r := b.Handle(ctx, u)
	text := chat.PlainText(r[0])
	for _, want := range []string{"【统计】", "订阅者（telegram）：推送中 1", "文章：105 篇"} {
		if !strings.Contains(text, want) {
			t.Errorf("stats lack %q:\n%s", want, text)
		}
	}
}

func TestSourcesAndHealthForAdmins(t *testing.T) {
	w := newTestWorld(t)
	b := w.b
	ctx := context.Background()
	if r := b.Handle(ctx, private("来源")); !strings.Contains(chat.PlainText(r[0]), "只有管理员") {
		t.Errorf("a reader saw the sources: %s", chat.PlainText(r[0]))
	}
	u := private("/sources")
	u.UserID = "admin"
	text := chat.PlainText(b.Handle(ctx, u)[0])
	if !strings.Contains(text, "sample：上次抓取") || !strings.Contains(text, "105 篇新文章") {
		t.Errorf("sources:\n%s", text)
	}
	u.Text = "健康"
	if got := chat.PlainText(b.Handle(ctx, u)[0]); !strings.Contains(got, "没有健康检查") {
		t.Errorf("health without a checker: %s", got)
	}
	b.opts.Health = &health.Checker{DB: w.conn, Articles: w.store, Transports: map[string]health.Transport{
		"微信": func() health.Part { return health.Part{Name: "微信", Detail: "未登录"} }}}
	got := chat.PlainText(b.Handle(ctx, u)[0])
	if !strings.Contains(got, "有问题") || !strings.Contains(got, "❌ 微信：未登录") || !strings.Contains(got, "✅ 数据库：可以写入") ||
		!strings.Contains(got, "来源 sample：上次成功") || !strings.Contains(got, "发件箱：待发送 0") {
		t.Errorf("health: %s", got)
	}
	// An admin who reads English gets English, with English punctuation.
	b.Handle(ctx, private("开始"))
	b.Handle(ctx, private("/lang en"))
	got = chat.PlainText(b.Handle(ctx, u)[0])
	if !strings.Contains(got, "【Unhealthy】") || !strings.Contains(got, "✅ database: takes writes") ||
		!strings.Contains(got, "source sample: last success") || strings.ContainsAny(got, "：，") {
		t.Errorf("health in English: %s", got)
	}
}

func TestObserveSeesEveryUpdate(t *testing.T) {
	b, _ := newTestBot(t)
	var seen []string
	b.opts.Observe = func(u chat.Update, command string, took time.Duration, replies int) {
		seen = append(seen, fmt.Sprintf("%s:%d", command, replies))
	}
	ctx := context.Background()
	for _, text := range []string{"开始", "/sub 工业", "梧州", "搜索 的", "/nope"} {
		b.Handle(ctx, private(text))
	}
	b.Handle(ctx, chat.Update{Chat: me, Kind: chat.Private, Callback: "tag:工业"})
	if got := strings.Join(seen, " "); got != "start:1 sub:1 search:1 search:1 unknown:1 button:1" {
		t.Errorf("observed %s", got)
	}
}

// TestABotWithoutDigestsSaysSo: /digest on a bot built without the digest
// engine answers in words, not with a catalog key.
func TestABotWithoutDigestsSaysSo(t *testing.T) {
	w := newTestWorld(t)
	b := New(Options{Articles: w.store, Subscribers: w.subs, Now: func() time.Time { return testNow }})
	ctx := context.Background()
	b.Handle(ctx, private("开始"))
	got := chat.PlainText(b.Handle(ctx, private("今日摘要"))[0])
	if !strings.Contains(got, "没有开启每日摘要") || strings.Contains(got, "no digest") {
		t.Errorf("/digest without digests: %q", got)
	}
}
