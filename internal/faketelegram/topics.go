package faketelegram

import (
	"fmt"
	"strconv"
)

// Forum topics, as the Bot API shows them since 6.3
// (https://core.telegram.org/bots/api#forumtopic): a supergroup with
// is_forum set has topics; a topic's message_thread_id is the id of the
// service message that created it; messages in a topic carry
// message_thread_id and is_topic_message. The General topic is no topic:
// its messages carry neither, and a send with message_thread_id 1 (its
// id in some clients) is refused. A reply in a non-forum supergroup also
// carries a message_thread_id (the reply thread's first message) but no
// is_topic_message; the fake keeps no reply threads and refuses any
// message_thread_id outside a forum.

// GeneralTopic is the id clients give the General topic. Sending to it
// with message_thread_id fails; a send without one goes there.
const GeneralTopic = 1

// topic is one forum topic.
type topic struct {
	name    string
	closed  bool
	deleted bool
}

// Topic descriptions Telegram answers with.
const (
	threadNotFound = "message thread not found"
	topicClosed    = "TOPIC_CLOSED"
)

// CreateTopic opens a topic in the forum chatID, as an admin does in the
// app, and returns its message_thread_id. It panics when chatID is not a
// forum.
func (s *Server) CreateTopic(chatID int64, name string) (threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustForumLocked("CreateTopic", chatID)
	m := c.add(&message{date: s.now(), service: "forum_topic_created"})
	m.thread = m.id
	c.topics[m.id] = &topic{name: name}
	return m.id
}

// CloseTopic closes a topic: only admins may post in it then, the bot
// included when it is one.
func (s *Server) CloseTopic(chatID int64, threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustTopicLocked("CloseTopic", chatID, threadID).closed = true
}

// DeleteTopic deletes a topic: sends to it fail as to a topic that never
// was.
func (s *Server) DeleteTopic(chatID int64, threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustTopicLocked("DeleteTopic", chatID, threadID).deleted = true
}

// UserSaysInTopic is UserSays in a forum topic: the message carries
// message_thread_id and is_topic_message. threadID 0 is the General topic.
func (s *Server) UserSaysInTopic(chatID int64, threadID int, fromUserID int64, text string) (messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if threadID != 0 {
		if t := s.mustTopicLocked("UserSaysInTopic", chatID, threadID); t.deleted {
			panic(fmt.Sprintf("faketelegram: UserSaysInTopic: topic %d of chat %d is deleted", threadID, chatID))
		}
	}
	return s.userSaysLocked(chatID, threadID, fromUserID, text)
}

func (s *Server) mustForumLocked(caller string, chatID int64) *chatState {
	c := s.mustChatLocked(caller, chatID)
	if !c.IsForum {
		panic(fmt.Sprintf("faketelegram: %s: chat %d is not a forum", caller, chatID))
	}
	return c
}

func (s *Server) mustTopicLocked(caller string, chatID int64, threadID int) *topic {
	t, ok := s.mustForumLocked(caller, chatID).topics[threadID]
	if !ok {
		panic(fmt.Sprintf("faketelegram: %s: chat %d has no topic %d", caller, chatID, threadID))
	}
	return t
}

// threadLocked finds the thread a send goes to: the message_thread_id it
// names, or the thread of the message it replies to, or none (0). It
// returns the description of a 400 for a thread Telegram refuses.
// Callers hold s.mu.
func (s *Server) threadLocked(c *chatState, param string, replyTo int) (int, string) {
	if param == "" || param == "0" {
		if r := c.find(replyTo); r != nil {
			return r.thread, "" // a reply goes to its message's topic
		}
		return 0, ""
	}
	id, err := strconv.Atoi(param)
	if err != nil || id <= 0 || !c.IsForum {
		return 0, threadNotFound
	}
	t, ok := c.topics[id]
	switch {
	case !ok || t.deleted:
		return 0, threadNotFound
	case t.closed && !admin(c.members[s.bot.ID]):
		return 0, topicClosed
	}
	return id, ""
}

func admin(status string) bool { return status == StatusAdministrator || status == StatusCreator }
