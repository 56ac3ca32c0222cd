package faketelegram

import (
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// sendText sends a plain message and returns the error.
func sendText(bot *tgbotapi.BotAPI, chatID int64, text string) error {
	_, err := bot.Send(tgbotapi.NewMessage(chatID, text))
	return err
}

func wantFlood(t *testing.T, err error, retryAfter int) {
	t.Helper()
	e := wantAPIError(t, err, http.StatusTooManyRequests, "Too Many Requests: retry after ")
	if e.RetryAfter != retryAfter {
		t.Fatalf("retry_after = %d (%q), want %d", e.RetryAfter, e.Message, retryAfter)
	}
}

func TestGlobalRate_31stMessageInASecond(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, Options{Now: clock.Now}) // Telegram's defaults
	for i := range int64(31) {
		srv.AddUser(User{ID: 1000 + i})
	}
	for i := range int64(30) {
		if err := sendText(bot, 1000+i, "hi"); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		clock.Advance(10 * time.Millisecond)
	}
	// 300ms after the first message: it ages out in 700ms.
	wantFlood(t, sendText(bot, 1030, "31st"), 1)
	clock.Advance(699 * time.Millisecond)
	wantFlood(t, sendText(bot, 1030, "31st"), 1)
	clock.Advance(time.Millisecond)
	if err := sendText(bot, 1030, "31st"); err != nil {
		t.Fatalf("after the first message aged out: %v", err)
	}
	rej := srv.Rejections()
	if len(rej) != 2 || rej[0].ChatID != 1030 || rej[0].Code != 429 || rej[0].RetryAfter != 1 || rej[0].Method != "sendMessage" {
		t.Errorf("rejections = %+v", rej)
	}
	if n := len(srv.Sent(1030)); n != 1 {
		t.Errorf("chat 1030 has %d messages, want 1", n)
	}
}

func TestChatBurst(t *testing.T) {
	for _, burst := range []int{-1, 1, 3, 5} {
		clock := newFakeClock()
		srv, bot := startBot(t, Options{Now: clock.Now, ChatBurst: burst})
		srv.AddUser(reader)
		srv.AddUser(other)
		allowed := max(burst, 1)
		for i := range allowed {
			if err := sendText(bot, reader.ID, "burst"); err != nil {
				t.Fatalf("burst %d: message %d: %v", burst, i+1, err)
			}
		}
		wantFlood(t, sendText(bot, reader.ID, "one too many"), 1)
		// Other chats are not affected.
		if err := sendText(bot, other.ID, "hi other"); err != nil {
			t.Fatalf("burst %d: other chat: %v", burst, err)
		}
		// One interval later exactly one more message fits.
		clock.Advance(time.Second)
		if err := sendText(bot, reader.ID, "after a second"); err != nil {
			t.Fatalf("burst %d: after the wait: %v", burst, err)
		}
		wantFlood(t, sendText(bot, reader.ID, "again too many"), 1)
	}
}

func TestChatInterval_RetryAfterRoundsUp(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, Options{Now: clock.Now, ChatInterval: 2500 * time.Millisecond, ChatBurst: -1})
	srv.AddUser(reader)
	if err := sendText(bot, reader.ID, "one"); err != nil {
		t.Fatal(err)
	}
	wantFlood(t, sendText(bot, reader.ID, "two"), 3)
	clock.Advance(2 * time.Second)
	wantFlood(t, sendText(bot, reader.ID, "two"), 1)
	clock.Advance(500 * time.Millisecond)
	if err := sendText(bot, reader.ID, "two"); err != nil {
		t.Fatalf("after 2.5s: %v", err)
	}
}

func TestGroupPerMinute_21stMessage(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, Options{Now: clock.Now})
	const group = -1001
	srv.AddGroup(Chat{ID: group, Type: ChatGroup, Title: "Team"})
	for i := range 20 {
		if err := sendText(bot, group, "update"); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		clock.Advance(time.Second) // within the per-chat limit
	}
	// Now 20s after the first message; it leaves the window at 60s.
	clock.Advance(-500 * time.Millisecond)
	wantFlood(t, sendText(bot, group, "21st"), 41)
	clock.Advance(40 * time.Second)
	wantFlood(t, sendText(bot, group, "21st"), 1)
	clock.Advance(500 * time.Millisecond)
	if err := sendText(bot, group, "21st"); err != nil {
		t.Fatalf("after retry_after: %v", err)
	}
	if n := len(srv.Sent(group)); n != 21 {
		t.Errorf("group has %d messages, want 21", n)
	}
}

// TestGroupPerSpan_AScaledSpan: a test world that scales Telegram's limits
// down gets a group limit over its own span, not over a minute.
func TestGroupPerSpan_AScaledSpan(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, Options{Now: clock.Now, ChatInterval: -1, GroupPerSpan: 5, GroupSpan: 3 * time.Second})
	const group = -1002
	srv.AddGroup(Chat{ID: group, Type: ChatSupergroup, Title: "Team"})
	for i := range 5 {
		if err := sendText(bot, group, "update"); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		clock.Advance(100 * time.Millisecond)
	}
	// 500ms after the first message: it leaves the window at 3s.
	wantFlood(t, sendText(bot, group, "6th"), 3)
	clock.Advance(2499 * time.Millisecond)
	wantFlood(t, sendText(bot, group, "6th"), 1)
	clock.Advance(time.Millisecond)
	if err := sendText(bot, group, "6th"); err != nil {
		t.Fatalf("once the first message left the span: %v", err)
	}
	if n := len(srv.Sent(group)); n != 6 {
		t.Errorf("group has %d messages, want 6", n)
	}
}

func TestLimitsCanBeTurnedOff(t *testing.T) {
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddGroup(Chat{ID: -5, Type: ChatSupergroup})
	for i := range 100 {
		if err := sendText(bot, -5, "flood"); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
}

func TestEditsAreNotRateLimited(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, Options{Now: clock.Now, ChatBurst: -1})
	srv.AddUser(reader)
	m, err := bot.Send(tgbotapi.NewMessage(reader.ID, "v0"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := bot.Send(tgbotapi.NewEditMessageText(reader.ID, m.MessageID, "v"+string(rune('1'+i)))); err != nil {
			t.Fatalf("edit %d: %v", i+1, err)
		}
	}
}
