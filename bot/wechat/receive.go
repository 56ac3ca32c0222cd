package wechat

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"strings"
	"wzdaily/chat"

	"github.com/eatmoreapple/openwechat"
)

// inbound is a message on its way to the bot, with where to answer it.
type inbound struct {
	update   chat.Update
	userName string // the chat's UserName in this session
}

func friendKey(remark string) chat.Key {
	return chat.Key{Platform: Platform, ChatID: remark}
}
func groupKey(name string) chat.Key {
	return chat.Key{Platform: Platform, ChatID: "group:" + name}
}

// loadContacts maps every friend with a remark name of ours, and every
// group, to its UserName in this session. It runs on the polling goroutine.
func (t *Transport) loadContacts(self *openwechat.Self) {
	friends, err := self.Friends(true)
	if err != nil {
		slog.Error("Unable to load WeChat friends", slog.Any("error", err))
	}
	groups, err := self.Groups(true)
	if err != nil {
		slog.Error("Unable to load WeChat groups", slog.Any("error", err))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.self == nil {
		close(t.ready)
	}
	t.self = self
	for _, f := range friends {
		if strings.HasPrefix(f.RemarkName, t.opts.RemarkPrefix) {
			t.names[friendKey(f.RemarkName)] = f.UserName
		}
	}
	for _, g := range groups {
		if g.NickName != "" {
			t.names[groupKey(g.NickName)] = g.UserName
		}
	}
	slog.Info("WeChat logged in", slog.String("account", self.NickName), slog.Int("friends", len(friends)), slog.Int("groups", len(groups)))
}

// receive turns a WeChat message into an update for the bot. It runs on
// the polling goroutine, so it may ask the library about contacts.
func (t *Transport) receive(ctx context.Context, m *openwechat.Message) {
	// This runs on the library's polling goroutine: a panic here would end
	// the process, so a message that cannot be read is dropped and logged.
	defer func() {
		if r := recover(); r != nil {
			slog.Error("Unable to read a WeChat message", slog.String("msg_id", m.MsgId), slog.Any("panic", r))
		}
	}()
	if m.IsSendBySelf() {
		return
	}
	if m.IsFriendAdd() {
		t.friendRequest(m)
		return
	}
	if !m.IsText() {
		return
	}
	var in inbound
	var ok bool
	if m.IsSendByGroup() {
		in, ok = t.fromGroup(m)
	} else {
		in, ok = t.fromFriend(m)
	}
	if !ok {
		return
	}
	t.mu.Lock()
	t.names[in.update.Chat] = in.userName
	delete(t.unresolved, in.update.Chat)
	t.mu.Unlock()
	if data, ok := t.pressed(in.update.Chat, in.update.Text); ok {
		in.update.Text, in.update.Callback = "", data
	}
	select {
	case t.queue <- in:
	case <-ctx.Done():
	}
}

func (t *Transport) fromFriend(m *openwechat.Message) (inbound, bool) {
	user, err := m.Sender()
	if err != nil || user == nil || !user.IsFriend() {
		return inbound{}, false
	}
	remark := user.RemarkName
	if !strings.HasPrefix(remark, t.opts.RemarkPrefix) {
		// Name the friend, so the subscriber can be found again after
		// the next login, when every UserName changes.
		remark = t.opts.RemarkPrefix + newID()
		f, _ := user.AsFriend()
		if err := f.SetRemarkName(remark); err != nil {
			slog.Error("Unable to give a WeChat friend a remark name; they cannot subscribe", slog.Any("error", err))
			return inbound{}, false
		}
	}
	u := chat.Update{Chat: friendKey(remark), Kind: chat.Private, ChatName: user.NickName,
		UserID: remark, UserName: user.NickName, Addressed: true, Text: m.Content, LangHint: "zh"}
	return inbound{update: u, userName: user.UserName}, true
}

func (t *Transport) fromGroup(m *openwechat.Message) (inbound, bool) {
	group, err := m.Sender()
	if err != nil || group == nil || group.NickName == "" {
		return inbound{}, false
	}
	text, addressed := t.addressed(m)
	if !addressed {
		return inbound{}, false
	}
	u := chat.Update{Chat: groupKey(group.NickName), Kind: chat.Group, ChatName: group.NickName,
		Addressed: true, Text: text, LangHint: "zh"}
	if member, err := m.SenderInGroup(); err == nil && member != nil {
		u.UserName = member.DisplayName
		if u.UserName == "" {
			u.UserName = member.NickName
		}
		// A group's member list has no remark names: the member is known
		// by the bot only as a friend.
		if friends, err := m.Owner().Friends(); err == nil {
			if f := friends.SearchByUserName(1, member.UserName); len(f) == 1 {
				u.UserID = f[0].RemarkName
			}
		}
		u.IsAdmin = u.UserID != "" && t.isAdmin(u.UserID)
	}
	return inbound{update: u, userName: group.UserName}, true
}

// addressed says a group message is for the bot (an @-mention, or the
// command prefix) and returns its text without the mention.
func (t *Transport) addressed(m *openwechat.Message) (string, bool) {
	text := strings.TrimSpace(m.Content)
	if m.IsAt() {
		// "@name\u2005搜索 西江": drop the mention up to its separator.
		if strings.HasPrefix(text, "@") {
			if i := strings.IndexAny(text, "\u2005 "); i > 0 {
				text = text[i:]
			} else {
				text = ""
			}
		}
		return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "\u2005")), true
	}
	if rest, ok := strings.CutPrefix(text, t.opts.Prefix); ok && rest != "" {
		if t.opts.Prefix != "/" {
			text = rest
		}
		return text, true
	}
	return "", false
}

func (t *Transport) isAdmin(remark string) bool {
	for _, a := range t.opts.Admins {
		if a == remark || a == Platform+":"+remark {
			return true
		}
	}
	return false
}

func (t *Transport) friendRequest(m *openwechat.Message) {
	if !t.opts.AcceptFriends {
		slog.Info("WeChat friend request left for the account owner", slog.String("from", m.RecommendInfo.NickName))
		return
	}
	if _, err := m.Agree(); err != nil {
		slog.Warn("Unable to accept a WeChat friend request", slog.Any("error", err))
		return
	}
	slog.Info("WeChat friend request accepted", slog.String("from", m.RecommendInfo.NickName))
}

// newID is a short random name part: the remark names several copies of
// the bot give must not collide.
func newID() string {
	var b [5]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}
