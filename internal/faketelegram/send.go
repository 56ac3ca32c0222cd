package faketelegram

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// maxText is the limit on a message's visible text, in UTF-16 code units:
// "1-4096 characters after entities parsing". Telegram counts entity
// offsets in UTF-16; counting the limit the same way is the conservative
// reading.
const maxText = 4096

// https://core.telegram.org/bots/api#sendmessage
//
// Checks come in Telegram's order: the chat (missing, blocked, bot not a
// member, migrated), the link preview options, the text (empty, entities,
// length), the keyboard, and last the flood limits, which only count
// accepted messages.
func (s *Server) sendMessage(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, rep := s.writableChatLocked(r.params["chat_id"])
	if c == nil {
		return rep
	}
	preview, desc := parseLinkPreview(r.params)
	if desc != "" {
		return badRequest(desc)
	}
	plain, ents, desc := parseText(r.params["text"], r.params["parse_mode"], r.params["entities"])
	if desc != "" {
		return badRequest(desc)
	}
	markup, keyboard, desc := parseMarkup(r.params["reply_markup"], false)
	if desc != "" {
		return badRequest(desc)
	}
	replyTo := 0
	if v := r.params["reply_to_message_id"]; v != "" {
		id, err := strconv.Atoi(v)
		switch {
		case err == nil && c.find(id) != nil:
			replyTo = id
		case r.params["allow_sending_without_reply"] != "true":
			return badRequest("message to be replied not found")
		}
	}
	thread, desc := s.threadLocked(c, r.params["message_thread_id"], replyTo)
	if desc != "" {
		return badRequest(desc)
	}
	if replyTo != 0 && c.find(replyTo).thread != thread {
		// A reply stays in its message's topic.
		if r.params["allow_sending_without_reply"] != "true" {
			return badRequest("message to be replied not found")
		}
		replyTo = 0
	}
	now := s.now()
	if w := s.limits.wait(c.ID, c.groupLike(), now); w > 0 {
		return tooMany(retryAfter(w))
	}
	s.limits.note(c.ID, c.groupLike(), now)
	m := c.add(&message{
		fromBot:   true,
		date:      now,
		text:      r.params["text"],
		plain:     plain,
		parseMode: r.params["parse_mode"],
		entities:  s.fillMentionsLocked(ents),
		markup:    markup,
		keyboard:  keyboard,
		replyTo:   replyTo,
		thread:    thread,
		preview:   preview,
	})
	s.notifyLocked()
	return okReply(s.messageJSONLocked(c, m, true))
}

// https://core.telegram.org/bots/api#editmessagetext
//
// Without reply_markup the edit removes the message's keyboard, as
// Telegram does. Edits are not rate limited by the fake.
func (s *Server) editMessageText(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, rep := s.editableLocked(r.params)
	if m == nil {
		return rep
	}
	preview, desc := parseLinkPreview(r.params)
	if desc != "" {
		return badRequest(desc)
	}
	plain, ents, desc := parseText(r.params["text"], r.params["parse_mode"], r.params["entities"])
	if desc != "" {
		return badRequest(desc)
	}
	markup, _, desc := parseMarkup(r.params["reply_markup"], true)
	if desc != "" {
		return badRequest(desc)
	}
	ents = s.fillMentionsLocked(ents)
	if plain == m.plain && sameJSON(ents, m.entities) && sameMarkup(markup, m.markup) {
		return notModified()
	}
	m.text, m.plain, m.parseMode, m.entities, m.markup, m.preview = r.params["text"], plain, r.params["parse_mode"], ents, markup, preview
	m.edits++
	m.editDate = s.now()
	s.notifyLocked()
	return okReply(s.messageJSONLocked(c, m, true))
}

func notModified() reply {
	return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
}

// writableChatLocked finds the chat a send goes to, or the answer that
// refuses it. Callers hold s.mu.
func (s *Server) writableChatLocked(param string) (*chatState, reply) {
	if param == "" {
		return nil, badRequest("chat_id is empty")
	}
	c := s.resolveChatLocked(param)
	if c == nil {
		return nil, badRequest("chat not found")
	}
	status := c.members[s.bot.ID]
	switch c.Type {
	case ChatPrivate:
		if status == StatusKicked {
			return nil, errorReply(http.StatusForbidden, "Forbidden: bot was blocked by the user")
		}
	case ChatGroup, ChatSupergroup:
		switch status {
		case StatusLeft, "":
			return nil, errorReply(http.StatusForbidden, "Forbidden: bot is not a member of the "+c.Type+" chat")
		case StatusKicked:
			return nil, errorReply(http.StatusForbidden, "Forbidden: bot was kicked from the "+c.Type+" chat")
		case StatusRestricted:
			return nil, badRequest("not enough rights to send text messages to the chat")
		}
	case ChatChannel:
		switch status {
		case StatusLeft, StatusKicked, "":
			return nil, errorReply(http.StatusForbidden, "Forbidden: bot is not a member of the channel chat")
		case StatusMember, StatusRestricted:
			return nil, badRequest("need administrator rights in the channel chat")
		}
	}
	if c.migratedTo != 0 {
		rep := badRequest("group chat was upgraded to a supergroup chat")
		rep.params = &responseParameters{MigrateToChatID: c.migratedTo}
		return nil, rep
	}
	return c, reply{}
}

// editableLocked finds the bot's message an edit names. Callers hold s.mu.
func (s *Server) editableLocked(p map[string]string) (*chatState, *message, reply) {
	c, rep := s.writableChatLocked(p["chat_id"])
	if c == nil {
		return nil, nil, rep
	}
	id, err := strconv.Atoi(p["message_id"])
	if err != nil {
		return nil, nil, badRequest("message identifier is not specified")
	}
	m := c.find(id)
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.fromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, reply{}
}

// parseText validates a message text in its parse mode and returns the
// visible text and entities, or the description of a 400. Explicit
// entities win over parse_mode, as in the Bot API. Markdown and
// MarkdownV2 are accepted but not parsed: their visible text is the text
// as sent.
func parseText(text, mode, entities string) (string, []Entity, string) {
	if text == "" {
		return "", nil, "message text is empty"
	}
	plain := text
	var ents []Entity
	switch {
	case entities != "":
		if err := json.Unmarshal([]byte(entities), &ents); err != nil {
			return "", nil, "can't parse entities JSON object"
		}
		n := utf16Len(text)
		for _, e := range ents {
			if e.Type == "" || e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				return "", nil, "can't parse entities: entity beyond the end of the text"
			}
		}
	case strings.EqualFold(mode, "HTML"):
		var err error
		plain, ents, err = ParseHTML(text)
		if err != nil {
			return "", nil, "can't parse entities: " + err.Error()
		}
	case mode == "", strings.EqualFold(mode, "Markdown"), strings.EqualFold(mode, "MarkdownV2"):
	default:
		return "", nil, "unsupported parse_mode"
	}
	if plain == "" {
		return "", nil, "message text is empty"
	}
	if len(ents) == 0 {
		ents = nil // so that "no entities" compares equal however it was sent
	}
	if utf16Len(plain) > maxText {
		return "", nil, "message is too long"
	}
	return plain, ents, ""
}

// fillMentionsLocked gives text_mention entities the user the fake knows.
func (s *Server) fillMentionsLocked(ents []Entity) []Entity {
	for i, e := range ents {
		if e.Type == "text_mention" && e.User != nil {
			if u, ok := s.users[e.User.ID]; ok {
				c := *u
				ents[i].User = &c
			}
		}
	}
	return ents
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
