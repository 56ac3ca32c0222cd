package fakewechat

import (
	"testing"
)

// SetRemarkName goes through webwxoplog and sticks; after a new login every
// UserName is new, but the remark finds the friend again.
func TestSetRemarkName_SurvivesRelogin(t *testing.T) {
	s := startFake(t, testOptions())
	tb := login(t, s)
	editor := friend(t, tb, "Editor")
	if err := editor.SetRemarkName("wzd-1"); err != nil {
		t.Fatalf("set remark name: %v", err)
	}
	if c, _ := s.Contact("editor"); c.RemarkName != "wzd-1" {
		t.Fatalf("fake has remark %q for editor, want wzd-1", c.RemarkName)
	}
	before := map[string]string{}
	for _, id := range []string{SelfID, "reader", "editor", "visitor", "team"} {
		before[id] = userName(t, s, id)
	}
	tb.cancel()

	again := login(t, s)
	for id, old := range before {
		if now := userName(t, s, id); now == old {
			t.Errorf("%s kept UserName %s across logins", id, old)
		}
	}
	self, _ := again.GetCurrentUser()
	if self.UserName != userName(t, s, SelfID) {
		t.Errorf("self is %s, want the new %s", self.UserName, userName(t, s, SelfID))
	}
	friends, err := self.Friends()
	if err != nil {
		t.Fatalf("friends: %v", err)
	}
	found := friends.SearchByRemarkName(1, "wzd-1")
	if found.Count() != 1 || found.First().NickName != "Editor" || found.First().UserName != userName(t, s, "editor") {
		t.Errorf("search by remark wzd-1 = %v, want Editor as %s", found, userName(t, s, "editor"))
	}
}

// Contact changes on the phone: a rename, a deletion and a new group show
// when the bot reloads its contacts (openwechat ignores ModContactList).
func TestContactChanges(t *testing.T) {
	s := startFake(t, testOptions())
	tb := login(t, s)
	self, _ := tb.GetCurrentUser()
	if _, err := self.Friends(); err != nil {
		t.Fatal(err)
	}

	readerName := userName(t, s, "reader")
	if err := s.Rename("reader", "Reader Renamed"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFriend("editor"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddGroup(Group{ID: "ops", NickName: "Ops", Members: []Member{{ID: "editor"}}}); err != nil {
		t.Fatal(err)
	}
	// The next message arrives after the three changes, so the bot has
	// synced them all by the time the handler sees it.
	if _, err := s.InjectText("reader", "renamed"); err != nil {
		t.Fatal(err)
	}
	tb.next(t)

	friends, err := self.Friends(true)
	if err != nil {
		t.Fatal(err)
	}
	if friends.Count() != 1 || friends.First().NickName != "Reader Renamed" || friends.First().UserName != readerName {
		t.Errorf("friends = %v, want only Reader Renamed, same UserName %s", friends, readerName)
	}
	groups, err := self.Groups(true)
	if err != nil {
		t.Fatal(err)
	}
	ops := groups.GetByNickName("Ops")
	if ops == nil || ops.UserName != userName(t, s, "ops") {
		t.Fatalf("groups = %v, want Ops", groups)
	}
	members, err := ops.Members()
	if err != nil || members.Count() != 2 || members.SearchByNickName(1, "Editor").Count() != 1 {
		t.Errorf("Ops members = %v, %v; want the bot and Editor", members, err)
	}
	// A deleted friend can still be written to, as on the real service.
	if _, err := s.InjectGroupText("ops", "editor", "hi", false); err != nil {
		t.Fatal(err)
	}
	m := tb.next(t)
	if _, err := m.ReplyText("hi editor"); err != nil {
		t.Errorf("reply in Ops: %v", err)
	}
}

// Paged webwxgetcontact: openwechat follows Seq until it is 0.
func TestContactPaging(t *testing.T) {
	opts := testOptions()
	opts.ContactPageSize = 2
	s := startFake(t, opts)
	for _, id := range []string{"sub1", "sub2", "sub3"} {
		if err := s.AddFriend(Person{ID: id, NickName: id}); err != nil {
			t.Fatal(err)
		}
	}
	tb := login(t, s)
	self, _ := tb.GetCurrentUser()
	friends, err := self.Friends()
	if err != nil {
		t.Fatal(err)
	}
	if friends.Count() != 5 {
		t.Errorf("%d friends over pages, want 5: %v", friends.Count(), friends)
	}
	// The file helper, 5 friends and a group: 7 in pages of 2.
	if n := s.Count("webwxgetcontact"); n != 4 {
		t.Errorf("%d webwxgetcontact pages, want 4", n)
	}
}
