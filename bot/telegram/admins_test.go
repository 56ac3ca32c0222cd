package telegram_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wzdaily/internal/faketelegram"
)

// TestAFailingAdminCheckIsRetriedThenReported: getChatMember failing is
// not an answer. Failing once, it is asked again and the admin's change
// goes through; failing twice, the admin is told the check failed (not
// that they are no admin), nothing changes, and nothing is remembered.
func TestAFailingAdminCheckIsRetriedThenReported(t *testing.T) {
	t.Parallel()
	const admin2, admin3, admin4 = int64(2011), int64(2012), int64(2013)
	w := newWorld(t, worldOptions{})
	w.fake.AddGroup(faketelegram.Chat{ID: team, Type: faketelegram.ChatSupergroup, Title: "梧州街坊"})
	for _, id := range []int64{admin, admin2, admin3, admin4} {
		w.fake.SetMember(team, id, faketelegram.StatusAdministrator)
	}
	w.fake.SetMember(team, member, faketelegram.StatusMember)
	at := "@" + w.tg.Username()
	if got := w.say(t, team, admin, "/start"+at); !strings.Contains(got.Plain, "欢迎") {
		t.Fatalf("admin /start: %q", got.Plain)
	}
	calls := func(user int64) int {
		n := 0
		for _, c := range w.fake.CallsTo("getChatMember") {
			if c.Params["user_id"] == strconvI(user) {
				n++
			}
		}
		return n
	}
	tags := func() []string {
		sub, err := w.subs.Get(context.Background(), key(team))
		if err != nil {
			t.Fatal(err)
		}
		return sub.Tags
	}

	// Once: a 500, then the answer.
	w.fake.FailNext("getChatMember", 1, http.StatusInternalServerError, "Internal Server Error", 0)
	if got := w.say(t, team, admin2, "/sub"+at+" 工业"); !strings.Contains(got.Plain, "已订阅：工业") {
		t.Errorf("an admin's /sub after one failed check: %q", got.Plain)
	}
	if n := calls(admin2); n != 2 {
		t.Errorf("%d getChatMember calls, want 2 (one retry)", n)
	}

	// Twice: a proxy's 502 page, then a 500.
	w.fake.FailNextRaw("getChatMember", 1, http.StatusBadGateway, "<html>502 Bad Gateway</html>")
	w.fake.FailNext("getChatMember", 1, http.StatusInternalServerError, "Internal Server Error", 0)
	got := w.say(t, team, admin3, "/sub"+at+" 交通")
	if !strings.Contains(got.Plain, "暂时无法确认你是不是本群的管理员") || strings.Contains(got.Plain, "只有群管理员") {
		t.Errorf("an admin's /sub when the check fails twice: %q", got.Plain)
	}
	if n := calls(admin3); n != 2 {
		t.Errorf("%d getChatMember calls, want 2 (one retry, no more)", n)
	}
	if slices.Contains(tags(), "交通") {
		t.Errorf("a failed check changed the group: %v", tags())
	}
	// Not remembered: the next try asks again and goes through.
	if got := w.say(t, team, admin3, "/sub"+at+" 交通"); !strings.Contains(got.Plain, "已订阅：交通") {
		t.Errorf("the same admin once Telegram answers: %q", got.Plain)
	}
	if n := calls(admin3); n != 3 {
		t.Errorf("%d getChatMember calls, want 3: a failed check must not be cached", n)
	}

	// A short flood wait is waited out.
	w.fake.FailNext("getChatMember", 1, http.StatusTooManyRequests, "Too Many Requests: retry after 1", 1)
	if got := w.say(t, team, admin4, "/unsub"+at+" 交通"); !strings.Contains(got.Plain, "已退订：交通") {
		t.Errorf("an admin's /unsub after a 429: %q", got.Plain)
	}

	// A member is still told no, and a search asks nothing.
	if got := w.say(t, team, member, "/sub"+at+" 教育"); !strings.Contains(got.Plain, "只有群管理员") {
		t.Errorf("a member's /sub: %q", got.Plain)
	}
	before := len(w.fake.CallsTo("getChatMember"))
	w.fake.FailNext("getChatMember", 5, http.StatusInternalServerError, "Internal Server Error", 0)
	if got := w.say(t, team, 2099, at+" 搜索 西江"); !strings.Contains(got.Plain, "西江") {
		t.Errorf("a search while getChatMember fails: %q", got.Plain)
	}
	if n := len(w.fake.CallsTo("getChatMember")) - before; n != 0 {
		t.Errorf("a search made %d getChatMember calls", n)
	}
}

// TestAGroupMembersDigestIsRefused: on Telegram too, /digest in a group
// is for its admins; a member is told when the next digest comes.
func TestAGroupMembersDigestIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	w.fake.AddGroup(faketelegram.Chat{ID: team, Type: faketelegram.ChatSupergroup, Title: "梧州街坊"})
	w.fake.SetMember(team, admin, faketelegram.StatusAdministrator)
	w.fake.SetMember(team, member, faketelegram.StatusMember)
	at := "@" + w.tg.Username()
	w.say(t, team, admin, "/start"+at)
	n := len(w.fake.Sent(team))
	got := w.say(t, team, member, "/digest"+at)
	if !strings.Contains(got.Plain, "只有群管理员可以立即获取本群的摘要") || !strings.Contains(got.Plain, "07:30（北京时间）") {
		t.Errorf("a member's /digest: %q", got.Plain)
	}
	if sent := w.fake.Sent(team); len(sent) != n+1 {
		t.Errorf("a member's /digest sent %d messages, want the one refusal", len(sent)-n)
	}
	if got := w.say(t, team, admin, "/digest"+at); strings.Contains(got.Plain, "只有群管理员") {
		t.Errorf("the admin's /digest: %q", got.Plain)
	}
}

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }
