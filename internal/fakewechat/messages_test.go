package fakewechat

import (
	"testing"
	"time"
)

// A friend's text reaches MessageHandler with the right sender, and the
// reply is recorded against the friend's stable ID and current UserName.
func TestFriendText_ReplyText(t *testing.T) {
	clock := time.Date(2024, 5, 6, 7, 30, 0, 0, time.UTC)
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	s := startFake(t, opts)
	tb := login(t, s)

	id, err := s.InjectText("reader", "ping <1> & 2\nline two")
	if err != nil {
		t.Fatal(err)
	}
	m := tb.next(t)
	if m.MsgId != id || !m.IsText() || !m.IsSendByFriend() || m.IsSendByGroup() {
		t.Errorf("message %s: text %v, by friend %v, by group %v; want %s, a friend's text", m.MsgId, m.IsText(), m.IsSendByFriend(), m.IsSendByGroup(), id)
	}
	if m.Content != "ping <1> & 2\nline two" {
		t.Errorf("content = %q, want the text as sent", m.Content)
	}
	if m.CreateTime != clock.Unix() {
		t.Errorf("CreateTime = %d, want Options.Now %d", m.CreateTime, clock.Unix())
	}
	sender, err := m.Sender()
	if err != nil {
		t.Fatalf("sender: %v", err)
	}
	if sender.NickName != "Reader" || sender.RemarkName != "reader-remark" || sender.UserName != userName(t, s, "reader") {
		t.Errorf("sender = %q/%q/%s, want Reader/reader-remark/%s", sender.NickName, sender.RemarkName, sender.UserName, userName(t, s, "reader"))
	}

	sent, err := m.ReplyText("pong")
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	got := s.Accepted()
	if len(got) != 1 {
		t.Fatalf("accepted sends = %+v, want the reply", got)
	}
	want := Send{At: clock, To: "reader", UserName: userName(t, s, "reader"), Type: 1, Content: "pong", LocalID: sent.LocalID, MsgID: sent.MsgId}
	if got[0] != want {
		t.Errorf("recorded %+v, want %+v", got[0], want)
	}
}

// A group message with an @-mention of the bot: openwechat splits the
// member off the Content, finds the bot's in-group name and sets IsAt.
func TestGroupText_AtMention(t *testing.T) {
	s := startFake(t, testOptions())
	tb := login(t, s)

	if _, err := s.InjectGroupText("team", "visitor", "digest please", true); err != nil {
		t.Fatal(err)
	}
	m := tb.next(t)
	if !m.IsSendByGroup() || !m.IsComeFromGroup() || !m.IsAt() {
		t.Errorf("by group %v, from group %v, at %v; want all true", m.IsSendByGroup(), m.IsComeFromGroup(), m.IsAt())
	}
	if m.Content != "@digest-bot\u2005digest please" {
		t.Errorf("content = %q, want the mention and text without the sender", m.Content)
	}
	group, err := m.Sender()
	if err != nil {
		t.Fatalf("sender: %v", err)
	}
	if group.NickName != "Team Chat" || group.UserName != userName(t, s, "team") {
		t.Errorf("sender = %q %s, want the group Team Chat", group.NickName, group.UserName)
	}
	member, err := m.SenderInGroup()
	if err != nil {
		t.Fatalf("sender in group: %v", err)
	}
	if member.NickName != "Visitor" || member.UserName != userName(t, s, "visitor") {
		t.Errorf("member = %q %s, want Visitor", member.NickName, member.UserName)
	}
	if _, err := m.ReplyText("on its way"); err != nil {
		t.Fatalf("reply in group: %v", err)
	}
	if got := s.Accepted(); len(got) != 1 || got[0].To != "team" {
		t.Errorf("sends = %+v, want one to team", got)
	}

	// Without the mention IsAt is false; the in-group name is kept.
	if _, err := s.InjectGroupText("team", "reader", "hello all", false); err != nil {
		t.Fatal(err)
	}
	m = tb.next(t)
	if m.IsAt() || m.Content != "hello all" {
		t.Errorf("IsAt %v content %q, want false and the text", m.IsAt(), m.Content)
	}
	if member, err := m.SenderInGroup(); err != nil || member.DisplayName != "reader-in-team" {
		t.Errorf("member = %v, %v; want DisplayName reader-in-team", member, err)
	}
}

// A friend request: IsFriendAdd, the XML content, Agree through
// webwxverifyuser, and the new friend in the list.
func TestFriendRequest_Agree(t *testing.T) {
	s := startFake(t, testOptions())
	tb := login(t, s)

	if _, err := s.InjectFriendRequest("visitor", "hi, I'm Visitor"); err != nil {
		t.Fatal(err)
	}
	m := tb.next(t)
	if !m.IsFriendAdd() {
		t.Fatalf("IsFriendAdd false for %+v", m)
	}
	req, err := m.FriendAddMessageContent()
	if err != nil || req.FromNickName != "Visitor" || req.Content != "hi, I'm Visitor" || req.Ticket != m.RecommendInfo.Ticket {
		t.Errorf("request content = %+v, %v", req, err)
	}
	f, err := m.Agree()
	if err != nil {
		t.Fatalf("agree: %v", err)
	}
	if f.NickName != "Visitor" || f.UserName != userName(t, s, "visitor") {
		t.Errorf("agreed friend = %q %s, want Visitor", f.NickName, f.UserName)
	}
	if c, _ := s.Contact("visitor"); !c.Friend {
		t.Error("the fake does not count visitor as a friend")
	}
	if s.Count("webwxverifyuser") != 1 {
		t.Errorf("%d webwxverifyuser calls, want 1", s.Count("webwxverifyuser"))
	}
	// The service confirms with a system message from the new friend.
	if sys := tb.next(t); !sys.IsSystem() || sys.FromUserName != f.UserName {
		t.Errorf("after agreeing got %v from %s, want a system message from visitor", sys, sys.FromUserName)
	}
	if got := friend(t, tb, "Visitor"); got.UserName != f.UserName {
		t.Errorf("friend list has Visitor as %s, want %s", got.UserName, f.UserName)
	}
	// A second Agree of the same request is refused.
	if _, err := m.Agree(); err == nil {
		t.Error("agreeing twice succeeded")
	}
}
