package faketelegram

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	maxCommands    = 100
	maxCommandName = 32
	maxCommandDesc = 256
)

// commandKey is where a command list is stored: a scope ("default",
// "all_private_chats", "chat:<id>", ...) and a language code ("" for all).
type commandKey struct {
	scope string
	lang  string
}

// https://core.telegram.org/bots/api#setmycommands
//
// An empty list deletes the list, as in the Bot API.
func (s *Server) setMyCommands(r *request) reply {
	key, desc := readCommandKey(r.params)
	if desc != "" {
		return badRequest(desc)
	}
	v, ok := r.params["commands"]
	if !ok {
		return badRequest(`parameter "commands" is required`)
	}
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(v), &cmds); err != nil {
		return badRequest("can't parse commands JSON object")
	}
	if len(cmds) > maxCommands {
		return badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(c.Description)); n < 1 || n > maxCommandDesc {
			return badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	s.notifyLocked()
	return okReply(true)
}

// https://core.telegram.org/bots/api#getmycommands
func (s *Server) getMyCommands(r *request) reply {
	key, desc := readCommandKey(r.params)
	if desc != "" {
		return badRequest(desc)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := s.commands[key]
	if cmds == nil {
		cmds = []BotCommand{} // [] rather than null
	}
	return okReply(cmds)
}

// https://core.telegram.org/bots/api#deletemycommands
func (s *Server) deleteMyCommands(r *request) reply {
	key, desc := readCommandKey(r.params)
	if desc != "" {
		return badRequest(desc)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return okReply(true)
}

// readCommandKey reads the scope and language_code parameters.
func readCommandKey(p map[string]string) (commandKey, string) {
	key := commandKey{scope: "default", lang: p["language_code"]}
	if l := key.lang; l != "" && (len(l) != 2 || !isLower(l)) {
		return key, "invalid language code specified"
	}
	v := p["scope"]
	if v == "" {
		return key, ""
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID json.RawMessage `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(v), &sc); err != nil {
		return key, "can't parse BotCommandScope JSON object"
	}
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		key.scope = sc.Type
	case "chat", "chat_administrators", "chat_member":
		if !isSet(sc.ChatID) {
			return key, "chat_id is empty"
		}
		key.scope = sc.Type + ":" + strings.Trim(string(sc.ChatID), `"`)
		if sc.Type == "chat_member" {
			key.scope += ":" + string(sc.UserID)
		}
	default:
		return key, "unsupported bot command scope type"
	}
	return key, ""
}

func validCommand(c string) bool {
	if c == "" || len(c) > maxCommandName {
		return false
	}
	for i := 0; i < len(c); i++ {
		if b := c[i]; b != '_' && (b < 'a' || b > 'z') && (b < '0' || b > '9') {
			return false
		}
	}
	return true
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// Commands returns the default-scope command lists set with
// setMyCommands, by language_code ("" for all languages).
func (s *Server) Commands() map[string][]BotCommand {
	return s.ScopedCommands("default")
}

// ScopedCommands returns the command lists of one scope, by language
// code. scope is a BotCommandScope type, followed for chat scopes by
// ":<chat_id>" and for chat_member by ":<chat_id>:<user_id>".
func (s *Server) ScopedCommands(scope string) map[string][]BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]BotCommand{}
	for k, v := range s.commands {
		if k.scope == scope {
			out[k.lang] = slices.Clone(v)
		}
	}
	return out
}
