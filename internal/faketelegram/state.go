package faketelegram

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// chatState is one chat with its members and messages.
type chatState struct {
	Chat
	user       *User            // the other party of a private chat
	members    map[int64]string // status by user id, the bot included
	messages   []*message       // in order of message_id
	lastID     int              // message_id increments per chat
	migratedTo int64
	topics     map[int]*topic // a forum's, by message_thread_id
}

// message is one message in a chat, from the bot or from a user.
type message struct {
	id        int
	fromBot   bool
	from      int64 // the user, when not from the bot; 0 for a channel post
	date      time.Time
	text      string // as sent
	plain     string
	parseMode string
	entities  []Entity
	markup    *InlineKeyboardMarkup
	keyboard  []byte
	replyTo   int
	thread    int    // the forum topic, or 0
	service   string // a service message's kind (forum_topic_created), or ""
	preview   *LinkPreviewOptions
	edits     int
	editDate  time.Time
}

func (c *chatState) groupLike() bool {
	return c.Type == ChatGroup || c.Type == ChatSupergroup || c.Type == ChatChannel
}

func (c *chatState) add(m *message) *message {
	c.lastID++
	m.id = c.lastID
	c.messages = append(c.messages, m)
	return m
}

func (c *chatState) find(id int) *message {
	for _, m := range c.messages {
		if m.id == id {
			return m
		}
	}
	return nil
}

// AddUser registers u (or updates it) and returns it as kept, with a
// made-up name when it had none. A private chat with id == u.ID exists
// from then on, with the bot in it: the user has started the bot.
func (s *Server) AddUser(u User) User {
	if u.ID == 0 {
		panic("faketelegram: AddUser needs a user id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addUserLocked(u)
}

func (s *Server) addUserLocked(u User) *User {
	if u.FirstName == "" {
		u.FirstName = "User " + strconv.FormatInt(u.ID, 10)
	}
	p := &u
	s.users[u.ID] = p
	if c, ok := s.chats[u.ID]; ok {
		c.user = p
		return p
	}
	s.chats[u.ID] = &chatState{
		Chat:    Chat{ID: u.ID, Type: ChatPrivate, Username: u.Username},
		user:    p,
		members: map[int64]string{u.ID: StatusMember, s.bot.ID: StatusMember},
	}
	return p
}

// userLocked returns the user with id, registering one with a made-up
// name if the test never added it.
func (s *Server) userLocked(id int64) *User {
	if u, ok := s.users[id]; ok {
		return u
	}
	return s.addUserLocked(User{ID: id})
}

// AddGroup registers a group, supergroup or channel (or updates its title,
// username and forum mode, keeping members and messages). The bot is a
// member of a new group or supergroup and an administrator of a new
// channel, since it could not post there otherwise; change that with
// SetMember. Only a supergroup can be a forum.
func (s *Server) AddGroup(c Chat) {
	switch c.Type {
	case ChatGroup, ChatSupergroup, ChatChannel:
	default:
		panic(fmt.Sprintf("faketelegram: AddGroup: chat type %q is not group, supergroup or channel", c.Type))
	}
	if c.IsForum && c.Type != ChatSupergroup {
		panic(fmt.Sprintf("faketelegram: AddGroup: a %s cannot be a forum", c.Type))
	}
	c.Username = strings.TrimPrefix(c.Username, "@")
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.chats[c.ID]; ok {
		if old.Type == ChatPrivate {
			panic(fmt.Sprintf("faketelegram: AddGroup: chat %d is a user's private chat", c.ID))
		}
		old.Chat = c
		old.makeForum()
		return
	}
	status := StatusMember
	if c.Type == ChatChannel {
		status = StatusAdministrator
	}
	cs := &chatState{Chat: c, members: map[int64]string{s.bot.ID: status}}
	cs.makeForum()
	s.chats[c.ID] = cs
}

// makeForum gives a forum its topic table once. Message id 1 is taken,
// as the General topic's id is in Telegram, so that no topic gets it.
func (c *chatState) makeForum() {
	if !c.IsForum || c.topics != nil {
		return
	}
	c.topics = map[int]*topic{}
	if c.lastID < GeneralTopic {
		c.lastID = GeneralTopic
	}
}

// SetMember sets userID's status in chatID: creator, administrator,
// member, restricted, left or kicked. userID may be the bot's. In a
// private chat, the bot "kicked" means the user blocked it.
func (s *Server) SetMember(chatID, userID int64, status string) {
	if !validStatus(status) {
		panic(fmt.Sprintf("faketelegram: SetMember: unknown status %q", status))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChatLocked("SetMember", chatID)
	if userID != s.bot.ID {
		s.userLocked(userID)
	}
	c.members[userID] = status
}

func validStatus(s string) bool {
	switch s {
	case StatusCreator, StatusAdministrator, StatusMember, StatusRestricted, StatusLeft, StatusKicked:
		return true
	}
	return false
}

// BlockBot makes userID block the bot: later sends to their private chat
// get 403, and a my_chat_member update (member → kicked) is queued, as
// Telegram sends one.
func (s *Server) BlockBot(userID int64) {
	s.setBotInPrivate(userID, StatusKicked)
}

// UnblockBot undoes BlockBot (the user pressed Restart), queueing a
// my_chat_member update (kicked → member). UserSays in a private chat
// unblocks too.
func (s *Server) UnblockBot(userID int64) {
	s.setBotInPrivate(userID, StatusMember)
}

func (s *Server) setBotInPrivate(userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(userID)
	c := s.chats[userID]
	if old := c.members[s.bot.ID]; old != status {
		s.botStatusChangedLocked(c, userID, old, status)
	}
}

// botStatusChangedLocked sets the bot's status in c and queues the
// my_chat_member update telling the bot. Callers hold s.mu.
func (s *Server) botStatusChangedLocked(c *chatState, by int64, old, status string) {
	c.members[s.bot.ID] = status
	s.enqueueLocked("my_chat_member", memberUpdatedJSON{
		Chat:          s.chatJSONLocked(c),
		From:          *s.userLocked(by),
		Date:          s.now().Unix(),
		OldChatMember: s.memberJSON(s.bot, old),
		NewChatMember: s.memberJSON(s.bot, status),
	})
}

// Migrate upgrades the group groupID to the supergroup newSupergroupID:
// sends to the old id get 400 with migrate_to_chat_id. The supergroup is
// created with the group's title and members if the fake does not know it.
func (s *Server) Migrate(groupID, newSupergroupID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.mustChatLocked("Migrate", groupID)
	old.migratedTo = newSupergroupID
	if _, ok := s.chats[newSupergroupID]; ok {
		return
	}
	members := make(map[int64]string, len(old.members))
	for id, st := range old.members {
		members[id] = st
	}
	s.chats[newSupergroupID] = &chatState{
		Chat:    Chat{ID: newSupergroupID, Type: ChatSupergroup, Title: old.Title},
		members: members,
	}
}

func (s *Server) mustChatLocked(caller string, id int64) *chatState {
	c, ok := s.chats[id]
	if !ok {
		panic(fmt.Sprintf("faketelegram: %s: unknown chat %d; add it with AddUser or AddGroup", caller, id))
	}
	return c
}

// resolveChatLocked finds the chat a chat_id parameter names: a number or
// "@username" of a public chat.
func (s *Server) resolveChatLocked(param string) *chatState {
	if name, ok := strings.CutPrefix(param, "@"); ok {
		for _, c := range s.chats {
			if c.Type != ChatPrivate && c.Username != "" && strings.EqualFold(c.Username, name) {
				return c
			}
		}
		return nil
	}
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return nil
	}
	return s.chats[id]
}

func (s *Server) chatJSONLocked(c *chatState) chatJSON {
	j := chatJSON{ID: c.ID, Type: c.Type, Title: c.Title, Username: c.Username, IsForum: c.IsForum}
	if c.user != nil {
		j.Title = ""
		j.Username = c.user.Username
		j.FirstName = c.user.FirstName
		j.LastName = c.user.LastName
	}
	return j
}

// messageJSONLocked renders m as Telegram does, with one level of
// reply_to_message. Callers hold s.mu.
func (s *Server) messageJSONLocked(c *chatState, m *message, withReply bool) *messageJSON {
	j := &messageJSON{
		MessageID:   m.id,
		Date:        m.date.Unix(),
		Chat:        s.chatJSONLocked(c),
		Text:        m.plain,
		Entities:    m.entities,
		ReplyMarkup: m.markup,
	}
	if c.IsForum && m.thread != 0 {
		j.MessageThreadID, j.IsTopicMessage = m.thread, true
	}
	if m.service == "forum_topic_created" {
		j.ForumTopicCreated = &forumTopicJSON{Name: c.topics[m.id].name, IconColor: 0x6FB9F0}
	}
	switch {
	case c.Type == ChatChannel, m.from == 0 && !m.fromBot:
		// Posts in a channel are signed by the channel, not by a user,
		// and so is a service message the fake made up.
		j.SenderChat = ptr(s.chatJSONLocked(c))
	case m.fromBot:
		j.From = ptr(s.bot)
	default:
		j.From = s.userLocked(m.from)
	}
	if !m.editDate.IsZero() {
		j.EditDate = m.editDate.Unix()
	}
	if withReply && m.replyTo != 0 {
		if r := c.find(m.replyTo); r != nil {
			j.ReplyToMessage = s.messageJSONLocked(c, r, false)
		}
	}
	return j
}

// memberJSON renders u's membership with status.
func (s *Server) memberJSON(u User, status string) memberJSON {
	j := memberJSON{User: u, Status: status}
	switch status {
	case StatusAdministrator:
		j.CanBeEdited = ptr(false)
		j.CanManageChat = ptr(true)
		j.CanPostMessages = ptr(true)
		j.CanEditMessages = ptr(true)
		j.CanDeleteMessages = ptr(true)
	case StatusRestricted:
		j.IsMember = ptr(true)
		j.CanSendMessages = ptr(false)
		j.UntilDate = ptr(int64(0))
	case StatusKicked:
		j.UntilDate = ptr(int64(0))
	}
	return j
}
