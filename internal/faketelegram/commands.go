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

// https://core.telegram.org/bots/api#setmycommands
//
// An empty list deletes the list, as in the Bot API. Only the default
// scope is kept: wzdaily sets no other, and a scope is refused rather
// than taken for the default.
func (s *Server) setMyCommands(r *request) reply {
	lang, desc := readCommandLanguage(r.params)
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
		delete(s.commands, lang)
	} else {
		s.commands[lang] = cmds
	}
	s.notifyLocked()
	return okReply(true)
}

// readCommandLanguage reads the language_code parameter ("" for all
// languages), refusing a scope other than the default.
func readCommandLanguage(p map[string]string) (string, string) {
	lang := p["language_code"]
	if lang != "" && (len(lang) != 2 || !isLower(lang)) {
		return "", "invalid language code specified"
	}
	if v := p["scope"]; v != "" {
		var sc struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal([]byte(v), &sc); err != nil {
			return "", "can't parse BotCommandScope JSON object"
		}
		if sc.Type != "default" {
			return "", "unsupported bot command scope type"
		}
	}
	return lang, ""
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

// Commands returns the command lists set with setMyCommands, by
// language_code ("" for all languages).
func (s *Server) Commands() map[string][]BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]BotCommand{}
	for lang, cmds := range s.commands {
		out[lang] = slices.Clone(cmds)
	}
	return out
}
