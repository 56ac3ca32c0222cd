package telegram_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"wzdaily/internal/clocktest"
	"wzdaily/internal/faketelegram"
	"wzdaily/subscribers"
)

const reader = int64(1001)

func TestPrivateUser(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧", LanguageCode: "zh-hans"})

	if got := w.say(t, reader, reader, "/start"); !strings.Contains(got.Plain, "欢迎") {
		t.Fatalf("/start: %q", got.Plain)
	}
	if got := w.say(t, reader, reader, "订阅 工业"); !strings.Contains(got.Plain, "已订阅：工业") {
		t.Fatalf("订阅 工业: %q", got.Plain)
	}
	// A long digest, so it must be split: every article of the busiest tag.
	w.say(t, reader, reader, "订阅 东财滚动新闻")
	w.say(t, reader, reader, "/max 200")
	if got := w.say(t, reader, reader, "/time 07:30"); !strings.Contains(got.Plain, "07:30") {
		t.Fatalf("/time 07:30: %q", got.Plain)
	}
	before := len(w.fake.Sent(reader))

	if rep := w.morning(t, 7, 29); rep.Digests != 0 {
		t.Fatalf("a digest before 07:30: %+v", rep)
	}
	rep := w.morning(t, 7, 30)
	if rep.Digests != 1 || rep.Parts < 3 {
		t.Fatalf("at 07:30: %+v, want one digest in several parts", rep)
	}
	parts := w.waitSent(t, reader, before+rep.Parts)[before:]
	seen := map[string]bool{}
	for i, p := range parts {
		if p.ParseMode != "HTML" {
			t.Errorf("part %d parse mode %q", i+1, p.ParseMode)
		}
		if n := len(utf16.Encode([]rune(p.Plain))); n > 4096 {
			t.Errorf("part %d is %d UTF-16 units", i+1, n)
		}
		// 梧州日报's article and wire news: the header does not name the
		// paper over news that is not its own.
		if !strings.Contains(p.Plain, "今日摘要") || !strings.Contains(p.Plain, "/"+strconv.Itoa(rep.Parts)+"）") {
			t.Errorf("part %d header: %.80q", i+1, p.Plain)
		}
		// On a phone the title is the link: no address in the text, and
		// no preview of the first link under it.
		if strings.Contains(p.Plain, "https://") {
			t.Errorf("part %d shows a raw address: %.200q", i+1, p.Plain)
		}
		if p.Preview == nil || !p.Preview.IsDisabled {
			t.Errorf("part %d has link previews on: %+v", i+1, p.Preview)
		}
		// A part that goes on with a group repeats its heading and goes
		// on counting.
		if i > 0 {
			if _, rest, ok := strings.Cut(p.Plain, "东财滚动新闻（续）\n"); !ok || !strings.HasPrefix(rest, strconv.Itoa(lastNumber(parts[i-1].Plain)+1)+". ") {
				t.Errorf("part %d does not go on from part %d: %.120q", i+1, i, p.Plain)
			}
		}
		// Parts split between items: every link is whole, none twice.
		for _, e := range p.Entities {
			if e.Type == "text_link" {
				if seen[e.URL] {
					t.Errorf("article %s in two parts", e.URL)
				}
				seen[e.URL] = true
			}
		}
		if every := testLimits().ChatEvery; i > 0 && p.Time.Sub(parts[i-1].Time) < every*9/10 {
			t.Errorf("parts %d and %d %s apart: over one every %s", i, i+1, p.Time.Sub(parts[i-1].Time), every)
		}
	}
	var listed int
	fmt.Sscanf(parts[0].Plain[strings.Index(parts[0].Plain, "共 "):], "共 %d 篇", &listed)
	if len(seen) != listed || listed < 90 {
		t.Errorf("%d articles linked across the parts, want every one of the %d listed", len(seen), listed)
	}
	if r := w.fake.Rejections(); len(r) != 0 {
		t.Errorf("the fake refused %d sends, first %+v", len(r), r[0])
	}

	// Search, and the next page edited in place.
	res := w.say(t, reader, reader, "/search 西江")
	if !strings.Contains(res.Plain, "西江") || res.Markup == nil {
		t.Fatalf("/search 西江: %q, buttons %+v", res.Plain, res.Markup)
	}
	next := res.Markup.InlineKeyboard[0][len(res.Markup.InlineKeyboard[0])-1]
	if !strings.Contains(next.Text, "下一页") || len(next.CallbackData) > 64 {
		t.Fatalf("next button %+v", next)
	}
	w.fake.Press(reader, res.ID, reader, next.CallbackData)
	waitFor(t, func() bool { return editsOf(w.fake.Sent(reader), res.ID) == 1 })
	if answered := w.fake.Answers(); len(answered) == 0 || answered[len(answered)-1].Method != "answerCallbackQuery" {
		t.Errorf("the button press was not answered: %+v", answered)
	}
	if page := find(w.fake.Sent(reader), res.ID); !strings.Contains(page.Plain, "第 2 页") || !strings.Contains(page.Plain, "\n6. ") || page.Plain == res.Plain ||
		page.Preview == nil || !page.Preview.IsDisabled {
		t.Errorf("page 2: %q, preview %+v", page.Plain, page.Preview)
	}
	// Previews go off the way Bot API 7.0 says, through link_preview_options.
	for _, c := range append(w.fake.CallsTo("sendMessage"), w.fake.CallsTo("editMessageText")...) {
		if c.Params["link_preview_options"] != `{"is_disabled":true}` || c.Params["disable_web_page_preview"] != "" {
			t.Errorf("%s with %v", c.Method, c.Params)
			break
		}
	}

	// The user blocks the bot: the subscriber is blocked, and the next
	// morning sends nothing.
	w.fake.BlockBot(reader)
	waitFor(t, func() bool {
		s, err := w.subs.Get(context.Background(), key(reader))
		return err == nil && s.State == subscribers.Blocked
	})
	calls := len(w.fake.CallsTo("sendMessage"))
	w.clock.Jump(at(7, 30).Add(24 * time.Hour))
	w.engine.RunDue(context.Background())
	w.deliverer.Wake()
	time.Sleep(300 * time.Millisecond) // a few deliverer polls: nothing must go out
	if n := len(w.fake.CallsTo("sendMessage")) - calls; n != 0 {
		t.Errorf("%d sends to a chat that blocked the bot", n)
	}
}

func TestBlockedMidDigestStopsWithoutARetryStorm(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	w.say(t, reader, reader, "订阅 东财滚动新闻")
	w.say(t, reader, reader, "/max 200")
	calls := len(w.fake.CallsTo("sendMessage"))
	w.fake.SetLatency("getUpdates", time.Hour) // the block's update is not seen: only the 403s tell
	w.fake.BlockBot(reader)
	rep := w.morning(t, 7, 30)
	waitFor(t, func() bool {
		s, err := w.subs.Get(context.Background(), key(reader))
		return err == nil && s.State == subscribers.Blocked
	})
	if n := len(w.fake.CallsTo("sendMessage")) - calls; n > 3 {
		t.Errorf("%d sends for a %d-part digest to a chat that blocked the bot: want at most 3", n, rep.Parts)
	}
}

func find(sent []faketelegram.Sent, id int) faketelegram.Sent {
	for _, s := range sent {
		if s.ID == id {
			return s
		}
	}
	return faketelegram.Sent{}
}

func editsOf(sent []faketelegram.Sent, id int) int { return find(sent, id).Edits }

// waitFor waits for a condition the system reaches on its own, 20 s at
// most; it never waits for a schedule.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	clocktest.Eventually(t, 20*time.Second, "the condition", cond)
}

// lastNumber is the number of the last numbered item in text.
func lastNumber(text string) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		var k int
		if _, err := fmt.Sscanf(line, "%d. ", &k); err == nil {
			n = k
		}
	}
	return n
}
