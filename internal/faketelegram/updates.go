package faketelegram

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// queued is an update waiting for the bot to confirm it.
type queued struct {
	id   int64
	kind string // "message", "callback_query", ...
	body json.RawMessage
}

// heldPoll is a getUpdates request waiting for updates.
type heldPoll struct {
	kick     chan struct{} // closed when a newer poll or a webhook ends it
	conflict string        // the 409 description it then answers
}

// query is a callback or inline query waiting for its answer.
type query struct {
	id       string
	kind     string // "callback_query" or "inline_query"
	from     int64
	answered bool
}

const (
	conflictPoll    = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	conflictWebhook = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

// enqueueLocked queues an update for getUpdates and wakes a held poll.
// update_id counts from 1. Callers hold s.mu.
func (s *Server) enqueueLocked(kind string, payload any) int64 {
	s.lastUpdate++
	body, err := json.Marshal(map[string]any{"update_id": s.lastUpdate, kind: payload})
	if err != nil {
		panic(fmt.Sprintf("faketelegram: unable to encode a %s update: %v", kind, err))
	}
	s.queue = append(s.queue, queued{id: s.lastUpdate, kind: kind, body: body})
	close(s.queued)
	s.queued = make(chan struct{})
	return s.lastUpdate
}

// https://core.telegram.org/bots/api#getupdates
//
// The offset confirms every update below it. Queued updates are answered
// at once; otherwise the request is held until one is queued, for at most
// min(timeout, MaxPoll), or until the client goes away or Close is called.
// A second poll arriving while one is held ends the older one with 409,
// as Telegram does when two bot instances poll.
func (s *Server) getUpdates(r *request) reply {
	offset, _ := strconv.ParseInt(r.params["offset"], 10, 64)
	limit := 100 // the default, also for values out of 1-100
	if v, err := strconv.Atoi(r.params["limit"]); err == nil && v >= 1 && v <= 100 {
		limit = v
	}
	timeout, _ := strconv.Atoi(r.params["timeout"])
	hold := min(time.Duration(max(timeout, 0))*time.Second, max(s.maxPoll, 0))

	s.mu.Lock()
	if s.webhook.url != "" {
		s.mu.Unlock()
		return errorReply(http.StatusConflict, conflictWebhook)
	}
	if old := s.poll; old != nil {
		old.conflict = conflictPoll
		close(old.kick)
		s.poll = nil
	}
	s.confirmLocked(offset)
	if v, ok := r.params["allowed_updates"]; ok {
		kinds := parseStringList(v)
		s.allowed = nil // an empty list restores the default
		if len(kinds) > 0 {
			s.allowed = map[string]bool{}
			for _, k := range kinds {
				s.allowed[k] = true
			}
		}
	}
	p := &heldPoll{kick: make(chan struct{})}
	var timer *time.Timer
	expired := false
	for {
		ups := s.pendingLocked(limit)
		if len(ups) > 0 || hold <= 0 || expired || s.closed() {
			if s.poll == p {
				s.poll = nil
			}
			result := joinUpdates(ups) // before unlocking: ups shares the queue's array
			s.mu.Unlock()
			if timer != nil {
				timer.Stop()
			}
			return reply{status: http.StatusOK, result: result}
		}
		if timer == nil {
			timer = time.NewTimer(hold)
			s.poll = p
			s.notifyLocked() // lets tests see that a poll is held
		}
		wake := s.queued
		s.mu.Unlock()
		select {
		case <-wake:
		case <-timer.C:
			expired = true
		case <-p.kick:
		case <-s.done:
		case <-r.ctx.Done():
		}
		s.mu.Lock()
		if p.conflict != "" {
			s.mu.Unlock()
			timer.Stop()
			return errorReply(http.StatusConflict, p.conflict)
		}
		if r.ctx.Err() != nil {
			if s.poll == p {
				s.poll = nil
			}
			s.mu.Unlock()
			timer.Stop()
			return reply{desc: "no answer: the client gave up"}
		}
	}
}

// confirmLocked forgets the updates the offset confirms. A negative offset
// keeps only the last -offset updates.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
	case offset < 0:
		if n := int(-offset); len(s.queue) > n {
			s.queue = s.queue[len(s.queue)-n:]
		}
	}
}

// pendingLocked returns up to limit queued updates, dropping those whose
// kind allowed_updates excludes: Telegram never sends them.
func (s *Server) pendingLocked(limit int) []queued {
	if s.allowed != nil {
		kept := s.queue[:0]
		for _, u := range s.queue {
			if s.allowed[u.kind] {
				kept = append(kept, u)
			}
		}
		s.queue = kept
	}
	return s.queue[:min(limit, len(s.queue))]
}

func joinUpdates(ups []queued) json.RawMessage {
	parts := make([]string, len(ups))
	for i, u := range ups {
		parts[i] = string(u.body)
	}
	return json.RawMessage("[" + strings.Join(parts, ",") + "]")
}

// Pending returns how many updates are queued and not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// UserSays queues a message from fromUserID in chatID and returns its
// message_id. Commands ("/cmd", "/cmd@bot") get bot_command entities and
// "@username" mentions get mention entities, with UTF-16 offsets, as
// Telegram adds them. Writing to a bot the user blocked unblocks it. In a
// group the bot has left, the message is kept but not delivered. An
// unknown user is registered with a made-up name; an unknown group
// panics.
func (s *Server) UserSays(chatID, fromUserID int64, text string) (messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userSaysLocked(chatID, 0, fromUserID, text)
}

func (s *Server) userSaysLocked(chatID int64, thread int, fromUserID int64, text string) int {
	s.userLocked(fromUserID)
	c := s.mustChatLocked("UserSays", chatID)
	switch {
	case c.Type == ChatChannel:
		panic("faketelegram: UserSays: use ChannelPost for channel " + strconv.FormatInt(chatID, 10))
	case c.Type == ChatPrivate && chatID != fromUserID:
		panic(fmt.Sprintf("faketelegram: UserSays: user %d cannot write in the private chat of %d", fromUserID, chatID))
	case c.Type == ChatPrivate && c.members[s.bot.ID] == StatusKicked:
		s.botStatusChangedLocked(c, fromUserID, StatusKicked, StatusMember)
	case c.Type != ChatPrivate && !present(c.members[fromUserID]):
		c.members[fromUserID] = StatusMember
	}
	m := c.add(&message{from: fromUserID, date: s.now(), text: text, plain: text, entities: autoEntities(text), thread: thread})
	if present(c.members[s.bot.ID]) {
		s.enqueueLocked("message", s.messageJSONLocked(c, m, true))
	}
	return m.id
}

// ChannelPost queues a channel_post update: a post in channel chatID,
// which the bot sees as a channel member. It returns the message_id.
func (s *Server) ChannelPost(chatID int64, text string) (messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChatLocked("ChannelPost", chatID)
	if c.Type != ChatChannel {
		panic(fmt.Sprintf("faketelegram: ChannelPost: chat %d is a %s, not a channel", chatID, c.Type))
	}
	m := c.add(&message{date: s.now(), text: text, plain: text, entities: autoEntities(text)})
	if present(c.members[s.bot.ID]) {
		s.enqueueLocked("channel_post", s.messageJSONLocked(c, m, true))
	}
	return m.id
}

// Press queues a callback_query: fromUserID pressed a button with data on
// message messageID of chatID. The message is attached as the fake has it
// now (text, keyboard, edit date); for a message the fake does not know,
// a minimal one with the id and chat. It returns the query id for
// answerCallbackQuery.
func (s *Server) Press(chatID int64, messageID int, fromUserID int64, data string) (callbackID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(fromUserID)
	c := s.mustChatLocked("Press", chatID)
	q := s.newQueryLocked("callback_query", fromUserID)
	cq := callbackQueryJSON{ID: q.id, From: *u, ChatInstance: chatInstance(chatID), Data: data}
	if m := c.find(messageID); m != nil {
		cq.Message = s.messageJSONLocked(c, m, true)
	} else {
		cq.Message = &messageJSON{MessageID: messageID, Date: s.now().Unix(), Chat: s.chatJSONLocked(c)}
	}
	s.enqueueLocked("callback_query", cq)
	return q.id
}

// InlineQuery queues an inline_query from fromUserID and returns its id
// for answerInlineQuery.
func (s *Server) InlineQuery(fromUserID int64, query, offset string) (queryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(fromUserID)
	q := s.newQueryLocked("inline_query", fromUserID)
	s.enqueueLocked("inline_query", inlineQueryJSON{ID: q.id, From: *u, Query: query, Offset: offset, ChatType: "sender"})
	return q.id
}

// ChatMemberChanged queues a my_chat_member update: fromUserID changed the
// bot's status in chatID from oldStatus to newStatus (e.g. "left" →
// "member" when the bot is added to a group). The member table follows.
func (s *Server) ChatMemberChanged(chatID, fromUserID int64, oldStatus, newStatus string) {
	if !validStatus(oldStatus) || !validStatus(newStatus) {
		panic(fmt.Sprintf("faketelegram: ChatMemberChanged: unknown status %q or %q", oldStatus, newStatus))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(fromUserID)
	c := s.mustChatLocked("ChatMemberChanged", chatID)
	s.botStatusChangedLocked(c, fromUserID, oldStatus, newStatus)
}

func (s *Server) newQueryLocked(kind string, from int64) *query {
	s.lastQuery++
	// Real query ids are long decimal strings.
	q := &query{id: strconv.FormatInt(4_000_000_000_000_000+s.lastQuery, 10), kind: kind, from: from}
	s.queries[q.id] = q
	return q
}

// present reports whether a member status means being in the chat.
func present(status string) bool {
	return status != "" && status != StatusLeft && status != StatusKicked
}

// chatInstance is a stable opaque id for a chat, like Telegram's.
func chatInstance(chatID int64) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(strconv.FormatInt(chatID, 10))) // never fails
	return "-" + strconv.FormatUint(h.Sum64()>>1, 10)
}

// autoEntities finds what Telegram marks in a user's text: bot commands
// ("/start", "/start@bot") after a space or at the start, and "@username"
// mentions. Offsets and lengths are in UTF-16 code units.
func autoEntities(text string) []Entity {
	var out []Entity
	add := func(kind string, i, j int) {
		out = append(out, Entity{Type: kind, Offset: utf16Len(text[:i]), Length: utf16Len(text[i:j])})
	}
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == '/' && afterSpace(text, i):
			j := scanWord(text, i+1, 32)
			if j == i+1 {
				break
			}
			if j < len(text) && text[j] == '@' {
				if k := scanWord(text, j+1, 32); k-j-1 >= 3 {
					j = k
				}
			}
			add("bot_command", i, j)
			i = j
			continue
		case c == '@' && (i == 0 || !isWordByte(text[i-1])):
			j := scanWord(text, i+1, 32)
			if j-i-1 >= 5 {
				add("mention", i, j)
				i = j
				continue
			}
		}
		i++
	}
	return out
}

func afterSpace(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsSpace(r)
}

// scanWord returns the end of the run of [A-Za-z0-9_] at i, at most n long.
func scanWord(text string, i, n int) int {
	j := i
	for j < len(text) && j-i < n && isWordByte(text[j]) {
		j++
	}
	return j
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// parseStringList reads a JSON array of strings; anything else is empty,
// which Telegram treats as the default.
func parseStringList(v string) []string {
	var out []string
	if json.Unmarshal([]byte(v), &out) != nil {
		return nil
	}
	return out
}
