package fakewechat

import (
	"testing"
)

// As on the service now, SetRemarkName is answered Ret 0 and changes
// nothing: not the contact, not the next contact list.
func TestSetRemarkName_IsAcceptedAndIgnored(t *testing.T) {
	s := startFake(t, testOptions())
	tb := login(t, s)
	editor := friend(t, tb, "Editor")
	if err := editor.SetRemarkName("wzd-1"); err != nil {
		t.Fatalf("set remark name: %v (the service accepts the call)", err)
	}
	if n := s.Count("webwxoplog"); n != 1 {
		t.Fatalf("%d webwxoplog requests, want 1", n)
	}
	if c, _ := s.Contact("editor"); c.RemarkName != "" {
		t.Fatalf("the fake kept remark %q", c.RemarkName)
	}
	self, _ := tb.GetCurrentUser()
	friends, err := self.Friends(true)
	if err != nil {
		t.Fatal(err)
	}
	if f := friends.SearchByRemarkName(1, "wzd-1"); f.Count() != 0 {
		t.Errorf("a friend has the ignored remark name: %v", f)
	}
	if f := friends.SearchByNickName(1, "Editor"); f.Count() != 1 || f.First().RemarkName != "" {
		t.Errorf("editor in the contact list: %v", f)
	}
	// Pinning, the other webwxoplog command, still works.
	if err := editor.Pin(); err != nil {
		t.Fatal(err)
	}
}

// With KeepRemarkNames, SetRemarkName goes through webwxoplog and sticks, as
// it did; after a new login every UserName is new, but the remark finds
// the friend again.
func TestSetRemarkName_KeptSurvivesRelogin(t *testing.T) {
	opts := testOptions()
	opts.KeepRemarkNames = true
	s := startFake(t, opts)
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

// A new avatar is a new avatar seq, which openwechat's AvatarID reads when
// the contact has no Uin (the service gives contacts none); a Uin, when a
// test gives one, is the id instead. Two people may share a seq.
func TestAvatarIDsFollowTheAvatar(t *testing.T) {
	s := startFake(t, testOptions())
	for _, p := range []Person{{ID: "twin1", NickName: "Twin", Avatar: 612345678}, {ID: "twin2", NickName: "Twin", Avatar: 612345678},
		{ID: "numbered", NickName: "Numbered", Uin: 3001}} {
		if err := s.AddFriend(p); err != nil {
			t.Fatal(err)
		}
	}
	tb := login(t, s)
	self, _ := tb.GetCurrentUser()
	ids := func() map[string]string {
		friends, err := self.Friends(true)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range friends {
			id, _ := s.IDOf(f.UserName)
			out[id] = f.AvatarID()
		}
		return out
	}
	before := ids()
	if before["twin1"] != "612345678" || before["twin2"] != "612345678" {
		t.Errorf("twins' avatar ids %q and %q, want the seq both were given", before["twin1"], before["twin2"])
	}
	if before["numbered"] != "3001" || before["reader"] == "" || before["reader"] == before["editor"] {
		t.Errorf("avatar ids %v: want the Uin when there is one, else a seq of each one's own", before)
	}
	if err := s.ChangeAvatar("twin1"); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangeAvatar("nobody"); err == nil {
		t.Error("changed the avatar of nobody")
	}
	after := ids()
	if after["twin1"] == before["twin1"] || after["twin2"] != before["twin2"] || after["reader"] != before["reader"] {
		t.Errorf("after twin1's new avatar: %v, before %v", after, before)
	}
}
