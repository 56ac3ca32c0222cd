package telegram_test

import (
	"net/http"
	"strings"
	"testing"

	"wzdaily/chat"
	"wzdaily/internal/faketelegram"
	"wzdaily/internal/logtest"
)

func errorLines(logs string) []string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "level=ERROR") {
			out = append(out, l)
		}
	}
	return out
}

const badEntities = `Bad Request: can't parse entities: Unsupported start tag "x" at byte offset 0`

// TestARefusedDigestPartIsLoggedOnce: Telegram refuses a part; the
// deliverer says so, with the part, and the transport says nothing.
func TestARefusedDigestPartIsLoggedOnce(t *testing.T) {
	logs := logtest.Capture(t)
	w := newWorld(t, worldOptions{})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	w.say(t, reader, reader, "/start")
	w.fake.FailNext("sendMessage", 1, http.StatusBadRequest, badEntities, 0)
	if rep := w.morning(t, 7, 30); rep.Parts == 0 {
		t.Fatalf("no digest: %+v", rep)
	}
	waitFor(t, func() bool { return strings.Contains(logs.String(), "dead letter") })
	if got := errorLines(logs.String()); len(got) != 1 || !strings.Contains(got[0], "part=") {
		t.Errorf("%d error lines for one refused part, want the deliverer's one:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// TestTheTransportLogsNoRefusedSend: Send returns the refusal and logs
// nothing, whoever called it.
func TestTheTransportLogsNoRefusedSend(t *testing.T) {
	w := newWorld(t, worldOptions{noRun: true})
	logs := logtest.Capture(t) // after the start, which logs the connection
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	w.fake.FailNext("sendMessage", 1, http.StatusBadRequest, badEntities, 0)
	_, err := w.tg.Send(t.Context(), key(reader), chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "今日摘要"}}}}})
	if se := chat.Classify(err); !se.Refused {
		t.Fatalf("Send: %v, want a refusal", err)
	}
	if out := logs.String(); out != "" {
		t.Errorf("the transport logged a refusal it returned:\n%s", out)
	}
}

// TestARefusedReplyIsLoggedOnce: a reply goes through no deliverer, so the
// transport logs its refusal, once.
func TestARefusedReplyIsLoggedOnce(t *testing.T) {
	logs := logtest.Capture(t)
	w := newWorld(t, worldOptions{})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	w.fake.FailNext("sendMessage", 1, http.StatusBadRequest, badEntities, 0)
	w.fake.UserSays(reader, reader, "/help")
	waitFor(t, func() bool { return len(errorLines(logs.String())) > 0 })
	// The next reply is answered: the refused one was handled by then.
	w.say(t, reader, reader, "/help")
	if got := errorLines(logs.String()); len(got) != 1 || !strings.Contains(got[0], "can't parse entities") {
		t.Errorf("%d error lines for one refused reply, want 1:\n%s", len(got), strings.Join(got, "\n"))
	}
}
