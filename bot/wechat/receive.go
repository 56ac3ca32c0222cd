package wechat

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"log/slog"
	"strings"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/chat"
)

// inbound is a message on its way to the bot, with where to answer it.
type inbound struct {
	update   chat.Update
	userName string // the chat's UserName in this session
	// vetting: the sender is a friend the transport cannot yet tell from
	// others; it answers them itself (vet). roster is their session's.
	vetting bool
	roster  *roster
}

func friendKey(id string) chat.Key {
	return chat.Key{Platform: Platform, ChatID: id}
}
func groupKey(name string) chat.Key {
	return chat.Key{Platform: Platform, ChatID: "group:" + name}
}
func isGroupKey(k chat.Key) bool { return strings.HasPrefix(k.ChatID, "group:") }

// newKey is a new friend's chat key: the prefix and a short random part,
// which several copies of the bot must not repeat.
func (t *Transport) newKey() chat.Key {
	var b [5]byte
	rand.Read(b[:])
	return friendKey(t.opts.KeyPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])))
}

// loadContacts reads the account's friends and groups and the identities
// kept with the subscribers, and finds who is who (roster). It runs on the
// polling goroutine; an error leaves the session not ready, to try again.
func (t *Transport) loadContacts(ctx context.Context, self *openwechat.Self) error {
	friends, err := self.Friends(true)
	if err != nil {
		return fmt.Errorf("wechat: unable to load friends: %w", err)
	}
	groups, err := self.Groups(true)
	if err != nil {
		return fmt.Errorf("wechat: unable to load groups: %w", err)
	}
	chats, err := t.keptChats(ctx)
	if err != nil {
		return err
	}
	seen := make([]identity, 0, len(friends))
	for _, f := range friends {
		seen = append(seen, identityOf(f.User))
	}
	r := newRoster(t.opts.KeyPrefix, t.newKey, chats, seen)
	t.mu.Lock()
	if t.self == nil {
		close(t.ready)
	}
	t.self, t.roster = self, r
	for _, g := range groups {
		if g.NickName != "" {
			t.groups[groupKey(g.NickName)] = g.UserName
		}
	}
	bound, held, dirty := len(r.keyOf), len(r.doubt), r.dirty()
	t.mu.Unlock()
	slog.Info("WeChat logged in", slog.String("account", self.NickName), slog.Int("friends", len(friends)), slog.Int("groups", len(groups)),
		slog.Int("chats", len(chats)), slog.Int("recognised", bound), slog.Int("held", held))
	t.bg.Go(func() { t.keepIdentities(context.WithoutCancel(ctx), r, dirty) })
	return nil
}

// keptChats reads the friends' chats and the identities kept for them.
func (t *Transport) keptChats(ctx context.Context) ([]keptChat, error) {
	ids, err := t.opts.Subscribers.Identities(ctx, Platform)
	if err != nil {
		return nil, fmt.Errorf("wechat: unable to read the friends' identities: %w", err)
	}
	var out []keptChat
	for _, c := range ids {
		if c.Kind != chat.Private || isGroupKey(c.Key) {
			continue
		}
		id, err := decodeIdentity(c.Text)
		if err != nil {
			slog.Error("A WeChat chat's kept identity is unreadable", slog.String("chat", c.Key.String()), slog.Any("error", err))
		}
		if !id.known() {
			// A chat from before identities were kept, or whose identity
			// is lost: the nickname it was saved with is a weak likeness,
			// which holds it for a friend of that name until they write.
			id = identity{Nick: trait(c.Name, 100)}
		}
		out = append(out, keptChat{key: c.Key, id: id, lang: c.Lang})
	}
	return out, nil
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
	if data, ok := t.pressed(in.update.Chat, in.update.Text); ok {
		in.update.Text, in.update.Callback = "", data
	}
	select {
	case t.queue <- in:
	case <-ctx.Done():
	}
}

// fromFriend finds the chat of a friend who writes: their message proves
// who they are, so a chat held for them is theirs again (roster.recognise).
// A friend who looks like others as much is vetted instead.
func (t *Transport) fromFriend(m *openwechat.Message) (inbound, bool) {
	user, err := m.Sender()
	if err != nil || user == nil || !user.IsFriend() {
		return inbound{}, false
	}
	u := chat.Update{Kind: chat.Private, ChatName: user.NickName, UserName: user.NickName, Addressed: true, Text: m.Content, LangHint: "zh"}
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.roster
	if r == nil {
		slog.Warn("A WeChat message came before the contacts were read; dropped")
		return inbound{}, false
	}
	_, wasBound := r.keyOf[user.UserName]
	r.see(identityOf(user))
	key, _ := r.recognise(user.UserName)
	if key == (chat.Key{}) {
		u.Chat = friendKey("vetting:" + user.UserName) // never reaches the bot
		return inbound{update: u, userName: user.UserName, vetting: true, roster: r}, true
	}
	if !wasBound {
		slog.Info("WeChat friend recognised", slog.String("chat", key.String()))
	}
	delete(t.unresolved, key)
	u.Chat, u.UserID = key, key.ChatID
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
	member, err := m.SenderInGroup()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.groups[u.Chat] = group.UserName
	delete(t.unresolved, u.Chat)
	if err == nil && member != nil {
		u.UserName = member.DisplayName
		if u.UserName == "" {
			u.UserName = member.NickName
		}
		// A member is known only as a friend whose chat is known.
		if t.roster != nil {
			if key, ok := t.roster.keyOf[member.UserName]; ok {
				u.UserID = key.ChatID
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

func (t *Transport) isAdmin(id string) bool {
	for _, a := range t.opts.Admins {
		if a == id || a == Platform+":"+id {
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
