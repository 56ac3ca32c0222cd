package wechat

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// friend is a friend as one session shows them.
func friend(user, nick, avatar string) identity {
	return identity{UserName: user, Nick: nick, Avatar: avatar}
}

// keptAs is a chat kept with the identity a friend had in an earlier
// session.
func keptAs(key string, was identity) keptChat {
	was.UserName = "@old-" + was.UserName
	return keptChat{key: friendKey(key), id: was}
}

func counter() func() chat.Key {
	n := 0
	return func() chat.Key { n++; return friendKey(fmt.Sprint("wzd-new", n)) }
}

func (r *roster) held() map[string][]string {
	out := map[string][]string{}
	for k, users := range r.doubt {
		out[k.ChatID] = users
	}
	return out
}

func (r *roster) bound() map[string]string {
	out := map[string]string{}
	for k, u := range r.userOf {
		out[k.ChatID] = u
	}
	return out
}

func sameMap[V comparable](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func sameHeld(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestALoginFindsWhoIsWho: a login binds a chat to the friend who is
// clearly its person, and holds the chats it cannot put one friend to.
func TestALoginFindsWhoIsWho(t *testing.T) {
	for _, tc := range []struct {
		name    string
		kept    []keptChat
		friends []identity
		bound   map[string]string
		held    map[string][]string
	}{
		{
			name:    "the avatar and the nickname: found",
			kept:    []keptChat{keptAs("wzd-a", friend("a", "老梧", "601")), keptAs("wzd-b", friend("b", "编辑", "602"))},
			friends: []identity{friend("@b", "编辑", "602"), friend("@a", "老梧", "601"), friend("@c", "路人", "603")},
			bound:   map[string]string{"wzd-a": "@a", "wzd-b": "@b"},
		},
		{
			name:    "a new avatar: held, its one look-alike to ask",
			kept:    []keptChat{keptAs("wzd-a", friend("a", "老梧", "601"))},
			friends: []identity{friend("@a", "老梧", "777")},
			held:    map[string][]string{"wzd-a": {"@a"}},
		},
		{
			name:    "a new nickname: held too",
			kept:    []keptChat{keptAs("wzd-a", friend("a", "老梧", "601"))},
			friends: []identity{friend("@a", "梧州老梧", "601")},
			held:    map[string][]string{"wzd-a": {"@a"}},
		},
		{
			name:    "a new avatar and a new nickname: nobody",
			kept:    []keptChat{keptAs("wzd-a", friend("a", "老梧", "601"))},
			friends: []identity{friend("@a", "梧州老梧", "777")},
		},
		{
			name:    "one of two namesakes changed their avatar: the other is found, and the chat left is held for the friend left",
			kept:    []keptChat{keptAs("wzd-a", friend("a", "阿梧", "601")), keptAs("wzd-b", friend("b", "阿梧", "602"))},
			friends: []identity{friend("@a", "阿梧", "777"), friend("@b", "阿梧", "602")},
			bound:   map[string]string{"wzd-b": "@b"},
			held:    map[string][]string{"wzd-a": {"@a"}},
		},
		{
			name:    "look-alikes, same nickname and avatar, no Uin: both held, each with both to ask",
			kept:    []keptChat{keptAs("wzd-a", friend("a", "阿梧", "601")), keptAs("wzd-b", friend("b", "阿梧", "601"))},
			friends: []identity{friend("@a", "阿梧", "601"), friend("@b", "阿梧", "601")},
			held:    map[string][]string{"wzd-a": {"@a", "@b"}, "wzd-b": {"@a", "@b"}},
		},
		{
			name:    "a look-alike who never subscribed holds the chat too",
			kept:    []keptChat{keptAs("wzd-a", friend("a", "阿梧", "601"))},
			friends: []identity{friend("@a", "阿梧", "601"), friend("@x", "阿梧", "601")},
			held:    map[string][]string{"wzd-a": {"@a", "@x"}},
		},
		{
			name: "namesakes who both changed their avatars, told apart by their regions: each held for its own",
			kept: []keptChat{
				keptAs("wzd-a", identity{UserName: "a", Nick: "阿梧", Avatar: "601", Province: "广西", City: "梧州"}),
				keptAs("wzd-b", identity{UserName: "b", Nick: "阿梧", Avatar: "602", Province: "广东", City: "广州"})},
			friends: []identity{
				{UserName: "@b", Nick: "阿梧", Avatar: "702", Province: "广东", City: "广州"},
				{UserName: "@a", Nick: "阿梧", Avatar: "701", Province: "广西", City: "梧州"}},
			held: map[string][]string{"wzd-a": {"@a"}, "wzd-b": {"@b"}},
		},
		{
			name:    "a Uin is certain, whatever else changed; another Uin is someone else",
			kept:    []keptChat{keptAs("wzd-a", identity{UserName: "a", Uin: 11, Nick: "老梧"}), keptAs("wzd-b", identity{UserName: "b", Uin: 12, Nick: "编辑", Avatar: "602"})},
			friends: []identity{{UserName: "@a", Uin: 11, Nick: "新名字"}, {UserName: "@x", Uin: 99, Nick: "编辑", Avatar: "602"}},
			bound:   map[string]string{"wzd-a": "@a"},
		},
		{
			name:    "a hot login resumes the session, and its UserNames",
			kept:    []keptChat{{key: friendKey("wzd-a"), id: friend("@a", "老梧", "601")}},
			friends: []identity{friend("@a", "老梧", "777"), friend("@x", "老梧", "601")},
			bound:   map[string]string{"wzd-a": "@a"},
		},
		{
			name:    "the owner's remark name, given on the phone, is found alone",
			kept:    []keptChat{keptAs("wzd-a", identity{UserName: "a", Nick: "老梧", Avatar: "601", Remark: "梧州老陈"})},
			friends: []identity{{UserName: "@a", Nick: "改了名", Avatar: "777", Remark: "梧州老陈"}},
			bound:   map[string]string{"wzd-a": "@a"},
		},
		{
			name:    "a remark name of ours names the chat, kept or not; one given twice names none",
			kept:    []keptChat{{key: friendKey("wzd-owner")}},
			friends: []identity{{UserName: "@o", Nick: "群主", Remark: "wzd-owner"}, {UserName: "@n", Remark: "wzd-new"}, {UserName: "@d1", Remark: "wzd-dup"}, {UserName: "@d2", Remark: "wzd-dup"}},
			bound:   map[string]string{"wzd-owner": "@o", "wzd-new": "@n"},
		},
		{
			name:    "a chat kept with no identity is nobody's",
			kept:    []keptChat{{key: friendKey("wzd-a")}},
			friends: []identity{friend("@a", "老梧", "601")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRoster("wzd-", counter(), tc.kept, tc.friends)
			if tc.bound == nil {
				tc.bound = map[string]string{}
			}
			if tc.held == nil {
				tc.held = map[string][]string{}
			}
			if !sameMap(r.bound(), tc.bound) {
				t.Errorf("bound %v, want %v", r.bound(), tc.bound)
			}
			if !sameHeld(r.held(), tc.held) {
				t.Errorf("held %v, want %v", r.held(), tc.held)
			}
			for key, user := range r.userOf {
				if r.kept[key].id != r.seen[user] || !r.kept[key].dirty && r.kept[key].id.UserName != user {
					t.Errorf("%s bound without taking %s's identity: %+v", key, user, r.kept[key])
				}
			}
		})
	}
}

// TestAFriendWhoWritesIsRecognised: a message settles a weak likeness; a
// friend who looks like a chat no more than others do must say which is
// theirs; one who looks like no chat starts a new one.
func TestAFriendWhoWritesIsRecognised(t *testing.T) {
	kept := []keptChat{
		keptAs("wzd-a", friend("a", "阿梧", "601")), keptAs("wzd-b", friend("b", "阿梧", "601")),
		keptAs("wzd-c", friend("c", "老陈", "603")), keptAs("wzd-d", friend("d", "编辑", "604")),
	}
	friends := []identity{friend("@a", "阿梧", "601"), friend("@b", "阿梧", "601"), friend("@c", "老陈", "777"), friend("@d", "编辑", "604"),
		friend("@n", "新读者", "605")}
	r := newRoster("wzd-", counter(), kept, friends)
	if key, _ := r.recognise("@d"); key != friendKey("wzd-d") {
		t.Errorf("a friend found at the login: %v", key)
	}
	if key, like := r.recognise("@c"); key != friendKey("wzd-c") || like != nil {
		t.Errorf("the friend with a new avatar, writing: %v %v", key, like)
	}
	if _, held := r.doubt[friendKey("wzd-c")]; held || !r.kept[friendKey("wzd-c")].dirty || r.kept[friendKey("wzd-c")].id.Avatar != "777" {
		t.Errorf("the chat is still held, or kept the old avatar: %+v", r.kept[friendKey("wzd-c")])
	}
	key, like := r.recognise("@a")
	if key != (chat.Key{}) || !slices.Equal(like, []chat.Key{friendKey("wzd-a"), friendKey("wzd-b")}) {
		t.Fatalf("a look-alike writing: %v %v; want no chat but both to choose from", key, like)
	}
	if key, _ := r.recognise("@n"); key != friendKey("wzd-new1") || r.userOf[key] != "@n" {
		t.Errorf("a new friend: %v", key)
	}
	// Once one look-alike said which is theirs, the other's is plain.
	r.bind(friendKey("wzd-b"), "@a")
	if held := r.held(); !sameHeld(held, map[string][]string{"wzd-a": {"@b"}}) {
		t.Errorf("held after the first look-alike was told apart: %v", held)
	}
	if key, like := r.recognise("@b"); key != friendKey("wzd-a") || like != nil {
		t.Errorf("the second look-alike: %v %v", key, like)
	}
	if len(r.doubt) != 0 {
		t.Errorf("still held: %v", r.held())
	}
	// A friend who looks like a held chat as much as another friend does
	// is not taken for it because they wrote first.
	r = newRoster("wzd-", counter(), []keptChat{keptAs("wzd-a", friend("a", "阿梧", "601"))},
		[]identity{friend("@a", "阿梧", "777"), friend("@x", "阿梧", "888")})
	if key, like := r.recognise("@x"); key != (chat.Key{}) || len(like) != 1 {
		t.Errorf("a namesake writing first: %v %v", key, like)
	}
}

func TestIdentitiesReadTheContactAndFit(t *testing.T) {
	u := &openwechat.User{UserName: "@abc", Uin: 0, NickName: "老梧<span class=\"emoji emoji1f604\"></span>", RemarkName: "梧州老陈",
		HeadImgUrl: "/cgi-bin/mmwebwx-bin/webwxgeticon?seq=620311111&username=@abc&skey=@crypt_1", Sex: 1, Province: "广西", City: "梧州",
		Signature: "每天\n读报\u2028"}
	id := identityOf(u)
	if id.Avatar != "620311111" || id.Nick != u.NickName || id.Signature != "每天读报" || id.Remark != "梧州老陈" {
		t.Errorf("identity %+v", id)
	}
	text := id.encode()
	if strings.Contains(text, `\u003c`) {
		t.Errorf("escaped markup: %s", text)
	}
	back, err := decodeIdentity(text)
	if err != nil || back != id {
		t.Errorf("read back %+v, %v", back, err)
	}
	if _, err := decodeIdentity("{not json"); err == nil {
		t.Error("a broken identity was read")
	}
	if none, err := decodeIdentity(""); err != nil || none.known() {
		t.Errorf("no identity: %+v, %v", none, err)
	}
}

// FuzzIdentityFits: whatever a contact holds, its identity fits the
// subscribers' column and reads back as it was.
func FuzzIdentityFits(f *testing.F) {
	f.Add("@abc", "老梧", "/x?seq=1", "wzd-a", "\x00\"\\<>&", 1, "广西", "梧州", "sig\u2028")
	f.Fuzz(func(t *testing.T, user, nick, head, remark, alias string, sex int, province, city, sig string) {
		long := func(s string) string { return strings.Repeat(s, 1+500/(len(s)+1)) }
		for _, u := range []*openwechat.User{
			{UserName: user, NickName: nick, HeadImgUrl: head, RemarkName: remark, Alias: alias, Sex: sex, Province: province, City: city, Signature: sig},
			{UserName: long(user), NickName: long(nick), HeadImgUrl: "/x?seq=" + long(head), RemarkName: long(remark), Alias: long(alias),
				Province: long(province), City: long(city), Signature: long(sig)},
		} {
			id := identityOf(u)
			text := id.encode()
			if n := utf8.RuneCountInString(text); n > subscribers.MaxIdentityLen {
				t.Fatalf("%d characters", n)
			}
			back, err := decodeIdentity(text)
			if err != nil || back != id {
				t.Fatalf("read back %+v, %v; want %+v", back, err, id)
			}
		}
	})
}
