package faketelegram

import (
	"strconv"
	"strings"
)

// method is one Bot API method the fake answers.
type method struct {
	name string // canonical camelCase
	run  func(*Server, *request) reply
}

// methods maps lower-cased names to methods: "All methods in the Bot API
// are case-insensitive." They are the methods wzdaily calls; any other
// gets Telegram's 404 for an unknown method.
var methods = func() map[string]method {
	list := []method{
		{"getMe", (*Server).getMe},
		{"getUpdates", (*Server).getUpdates},
		{"setWebhook", (*Server).setWebhook},
		{"deleteWebhook", (*Server).deleteWebhook},
		{"sendMessage", (*Server).sendMessage},
		{"editMessageText", (*Server).editMessageText},
		{"answerCallbackQuery", (*Server).answerCallbackQuery},
		{"answerInlineQuery", (*Server).answerInlineQuery},
		{"setMyCommands", (*Server).setMyCommands},
		{"getChatMember", (*Server).getChatMember},
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
var sendMethods = map[string]bool{"sendMessage": true, "editMessageText": true}

// https://core.telegram.org/bots/api#getme
func (s *Server) getMe(*request) reply {
	return okReply(meJSON{User: s.bot, CanJoinGroups: true, SupportsInlineQueries: true})
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
