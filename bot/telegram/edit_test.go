package telegram_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"wzdaily/internal/faketelegram"
	"wzdaily/internal/logtest"
)

// turnPage searches, presses the next-page button and returns the search
// message and how many messages the chat had before the press.
func turnPage(t *testing.T, w *world) (faketelegram.Sent, int) {
	t.Helper()
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	res := w.say(t, reader, reader, "/search 西江")
	if res.Markup == nil {
		t.Fatalf("no page buttons under %q", res.Plain)
	}
	n := len(w.fake.Sent(reader))
	row := res.Markup.InlineKeyboard[0]
	w.fake.Press(reader, res.ID, reader, row[len(row)-1].CallbackData)
	return res, n
}

// pressAnswered waits until the press has been answered and one more
// reply could have followed: the next command's answer comes after it.
func pressAnswered(t *testing.T, w *world) {
	t.Helper()
	waitFor(t, func() bool { return len(w.fake.CallsTo("answerCallbackQuery")) > 0 })
	w.say(t, reader, reader, "/help")
}

func levelLines(logs, level string) []string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "level="+level) {
			out = append(out, l)
		}
	}
	return out
}

// TestAPageTurnTelegramDelaysIsEdited: Telegram answers the edit with
// 429, or fails for a moment; the page is edited once Telegram's wait is
// over, never sooner, and no new message is sent.
func TestAPageTurnTelegramDelaysIsEdited(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		status, n, retryAfter int
		desc                  string
	}{
		"flood limit": {http.StatusTooManyRequests, 1, 1, "Too Many Requests: retry after 1"},
		"outage":      {http.StatusBadGateway, 2, 0, "Bad Gateway"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, worldOptions{})
			w.fake.FailNext("editMessageText", tc.n, tc.status, tc.desc, tc.retryAfter)
			res, n := turnPage(t, w)
			waitFor(t, func() bool { return editsOf(w.fake.Sent(reader), res.ID) == 1 })
			if page := find(w.fake.Sent(reader), res.ID); !strings.Contains(page.Plain, "第 2 页") {
				t.Errorf("the edited page: %q", page.Plain)
			}
			calls := w.fake.CallsTo("editMessageText")
			if len(calls) != tc.n+1 || calls[0].Status != tc.status || calls[tc.n].Status != http.StatusOK {
				t.Fatalf("edits %+v, want %d failures then one that worked", calls, tc.n)
			}
			if gap, asked := calls[1].Time.Sub(calls[0].Time), time.Duration(tc.retryAfter)*time.Second; gap < asked {
				t.Errorf("edited again %s after a 429 that asked for %s", gap, asked)
			}
			pressAnswered(t, w)
			if got := len(w.fake.Sent(reader)); got != n+1 {
				t.Errorf("%d new messages after the press, want only the /help answer", got-n)
			}
		})
	}
}

// TestAPageTelegramWillNotEditComesAsANewMessage: Telegram refuses the
// edit for good ("message can't be edited"); the page comes as a new
// message, and the log says so at info level: no bug of the bot's.
func TestAPageTelegramWillNotEditComesAsANewMessage(t *testing.T) {
	logs := logtest.Capture(t)
	w := newWorld(t, worldOptions{})
	w.fake.FailNext("editMessageText", 1, http.StatusBadRequest, "Bad Request: message can't be edited", 0)
	res, n := turnPage(t, w)
	page := w.waitSent(t, reader, n+1)[n]
	if !strings.Contains(page.Plain, "第 2 页") || editsOf(w.fake.Sent(reader), res.ID) != 0 {
		t.Errorf("the page as a new message: %q; the search edited %d times", page.Plain, editsOf(w.fake.Sent(reader), res.ID))
	}
	if n := len(w.fake.CallsTo("editMessageText")); n != 1 {
		t.Errorf("%d edits: a refusal for good was tried again", n)
	}
	out := logs.String()
	if info := levelLines(out, "INFO"); !strings.Contains(strings.Join(info, "\n"), "message can't be edited") {
		t.Errorf("no info line on the refused edit:\n%s", out)
	}
	if bad := append(levelLines(out, "WARN"), levelLines(out, "ERROR")...); len(bad) != 0 {
		t.Errorf("a refused edit logged as a warning or a bug:\n%s", strings.Join(bad, "\n"))
	}
}

// TestAPageTurnTelegramCannotTakeIsNotSentTwice: the edit keeps failing;
// after its tries the page is dropped with a warning, not sent as a new
// message into the same outage.
func TestAPageTurnTelegramCannotTakeIsNotSentTwice(t *testing.T) {
	logs := logtest.Capture(t)
	w := newWorld(t, worldOptions{})
	w.fake.FailNext("editMessageText", 4, http.StatusInternalServerError, "Internal Server Error", 0)
	res, n := turnPage(t, w)
	waitFor(t, func() bool { return len(levelLines(logs.String(), "WARN")) > 0 })
	pressAnswered(t, w)
	if got := len(w.fake.Sent(reader)); got != n+1 || editsOf(w.fake.Sent(reader), res.ID) != 0 {
		t.Errorf("%d new messages and %d edits after the press", got-n-1, editsOf(w.fake.Sent(reader), res.ID))
	}
	if warn := levelLines(logs.String(), "WARN"); len(warn) != 1 || !strings.Contains(warn[0], "attempts=4") {
		t.Errorf("warnings:\n%s", strings.Join(warn, "\n"))
	}
}
