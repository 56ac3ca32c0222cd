package telegram_test

import (
	"os"
	"testing"
	"time"

	"wzdaily/bot/telegram"
)

// realLimits says whether the end-to-end worlds run at Telegram's own
// limits: WZDAILY_REAL_LIMITS=1, which a step of .ci/run sets. They take
// minutes then (5,000 digests at 30 a second; a group at 20 a minute).
func realLimits() bool { return os.Getenv("WZDAILY_REAL_LIMITS") == "1" }

// testLimits are the limits of every world: the bot keeps them and the
// fake Telegram enforces them. Unless realLimits, they are Telegram's with
// the chat and group spans twenty times shorter and every count kept, so
// that a test puts each limit to the test in seconds: one message every
// 50 ms to a chat, twenty in any 3 s to a group. The bot's 30 a second
// stays: this machine, shared and under the race detector, sends some 200
// a second, but not always twenty times 30; the morning test sends fewer
// digests instead.
func testLimits() telegram.Limits {
	if realLimits() {
		return telegram.DefaultLimits()
	}
	return telegram.Limits{Rate: 30, ChatEvery: 50 * time.Millisecond, GroupPerSpan: 20, GroupSpan: 3 * time.Second}
}

func TestDefaultLimitsAreTelegrams(t *testing.T) {
	l := telegram.DefaultLimits()
	if l.Rate != 30 || l.ChatEvery != time.Second || l.GroupPerSpan != 20 || l.GroupSpan != time.Minute {
		t.Errorf("DefaultLimits() = %+v, want 30 a second, 1 s per chat, 20 a minute per group", l)
	}
	if got := l.GroupEvery(); got != 3*time.Second {
		t.Errorf("GroupEvery() = %s, want 3s", got)
	}
}

func TestLimits_GroupEvery(t *testing.T) {
	for name, tc := range map[string]struct {
		limits telegram.Limits
		want   time.Duration
	}{
		"Telegram's, from zero":     {telegram.Limits{}, 3 * time.Second},
		"scaled twenty times":       {telegram.Limits{ChatEvery: 50 * time.Millisecond, GroupPerSpan: 20, GroupSpan: 3 * time.Second}, 150 * time.Millisecond},
		"a chat's limit is longer":  {telegram.Limits{ChatEvery: 5 * time.Second}, 5 * time.Second},
		"no group limit":            {telegram.Limits{GroupPerSpan: -1}, time.Second},
		"no limit at all":           {telegram.Limits{ChatEvery: -1, GroupPerSpan: -1}, 0},
		"a span without its number": {telegram.Limits{GroupSpan: -1}, time.Second},
	} {
		if got := tc.limits.GroupEvery(); got != tc.want {
			t.Errorf("%s: GroupEvery() = %s, want %s", name, got, tc.want)
		}
	}
}
