package faketelegram

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// method is one Bot API method the fake answers.
type method struct {
	name string // canonical camelCase
	run  func(*Server, *request) reply
}

// methods maps lower-cased names to methods: "All methods in the Bot API
// are case-insensitive."
var methods = func() map[string]method {
	list := []method{
		{"getMe", (*Server).getMe},
		{"getUpdates", (*Server).getUpdates},
		{"setWebhook", (*Server).setWebhook},
		{"deleteWebhook", (*Server).deleteWebhook},
		{"getWebhookInfo", (*Server).getWebhookInfo},
		{"sendMessage", (*Server).sendMessage},
		{"editMessageText", (*Server).editMessageText},
		{"editMessageReplyMarkup", (*Server).editMessageReplyMarkup},
		{"deleteMessage", (*Server).deleteMessage},
		{"sendChatAction", (*Server).sendChatAction},
		{"answerCallbackQuery", (*Server).answerCallbackQuery},
		{"answerInlineQuery", (*Server).answerInlineQuery},
		{"setMyCommands", (*Server).setMyCommands},
		{"getMyCommands", (*Server).getMyCommands},
		{"deleteMyCommands", (*Server).deleteMyCommands},
		{"getChat", (*Server).getChat},
		{"getChatMember", (*Server).getChatMember},
		{"getChatAdministrators", (*Server).getChatAdministrators},
		{"getChatMemberCount", (*Server).getChatMemberCount},
		{"getChatMembersCount", (*Server).getChatMemberCount}, // the old name tgbotapi v5 uses
		{"leaveChat", (*Server).leaveChat},
	}
	m := make(map[string]method, len(list))
	for _, x := range list {
		m[strings.ToLower(x.name)] = x
	}
	return m
}()

func lookupMethod(name string) (method, bool) {
	m, ok := methods[strings.ToLower(name)]
	return m, ok
}

// canonicalMethod returns the camelCase name of a method, or name itself
// for one the fake does not know; "*" stays "*".
func canonicalMethod(name string) string {
	if m, ok := lookupMethod(name); ok {
		return m.name
	}
	return name
}

// sendMethods are the calls that Rejections records.
var sendMethods = map[string]bool{"sendMessage": true, "editMessageText": true, "editMessageReplyMarkup": true}

// https://core.telegram.org/bots/api#getme
func (s *Server) getMe(*request) reply {
	return okReply(meJSON{User: s.bot, CanJoinGroups: true, SupportsInlineQueries: true})
}

// https://core.telegram.org/bots/api#getchat
func (s *Server) getChat(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveChatLocked(r.params["chat_id"])
	if c == nil {
		return badRequest("chat not found")
	}
	return okReply(s.chatJSONLocked(c))
}

// https://core.telegram.org/bots/api#getchatmember
//
// A known user who is not in the chat is "left", as Telegram reports.
func (s *Server) getChatMember(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveChatLocked(r.params["chat_id"])
	if c == nil {
		return badRequest("chat not found")
	}
	id, err := strconv.ParseInt(r.params["user_id"], 10, 64)
	if err != nil || id <= 0 {
		return badRequest("invalid user_id specified")
	}
	u := s.bot
	if id != s.bot.ID {
		known, ok := s.users[id]
		if !ok {
			return badRequest("user not found")
		}
		u = *known
	}
	status := c.members[id]
	if status == "" {
		status = StatusLeft
	}
	return okReply(s.memberJSON(u, status))
}

// https://core.telegram.org/bots/api#getchatadministrators
func (s *Server) getChatAdministrators(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveChatLocked(r.params["chat_id"])
	if c == nil {
		return badRequest("chat not found")
	}
	if c.Type == ChatPrivate {
		return badRequest("there are no administrators in the private chat")
	}
	var ids []int64
	for id, st := range c.members {
		if st == StatusCreator || st == StatusAdministrator {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b int64) int {
		// The creator first, then by id, so the answer is stable.
		ca, cb := c.members[a] == StatusCreator, c.members[b] == StatusCreator
		if ca != cb {
			if ca {
				return -1
			}
			return 1
		}
		return compareInt64(a, b)
	})
	out := make([]memberJSON, 0, len(ids))
	for _, id := range ids {
		u := s.bot
		if id != s.bot.ID {
			u = *s.userLocked(id)
		}
		out = append(out, s.memberJSON(u, c.members[id]))
	}
	return okReply(out)
}

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// https://core.telegram.org/bots/api#getchatmembercount
func (s *Server) getChatMemberCount(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveChatLocked(r.params["chat_id"])
	if c == nil {
		return badRequest("chat not found")
	}
	n := 0
	for _, st := range c.members {
		if present(st) {
			n++
		}
	}
	return okReply(n)
}

// https://core.telegram.org/bots/api#leavechat
//
// The bot's status becomes "left". No my_chat_member update is queued.
func (s *Server) leaveChat(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.resolveChatLocked(r.params["chat_id"])
	if c == nil {
		return badRequest("chat not found")
	}
	if c.Type == ChatPrivate {
		return badRequest("chat member status can't be changed in private chats")
	}
	if !present(c.members[s.bot.ID]) {
		return errorReply(http.StatusForbidden, "Forbidden: bot is not a member of the "+c.Type+" chat")
	}
	c.members[s.bot.ID] = StatusLeft
	return okReply(true)
}
