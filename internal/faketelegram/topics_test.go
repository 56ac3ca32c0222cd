package faketelegram

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

const forumID = -1009001

// forumServer is a fake with a forum, two topics (one closed) and a
// deleted third, served with no flood limits.
func forumServer(t *testing.T) (srv *Server, hs *httptest.Server, news, closed, deleted int) {
	t.Helper()
	opts := noLimits(newFakeClock().Now)
	opts.Token = testToken
	srv = New(opts)
	hs = serve(t, srv)
	srv.AddUser(reader)
	srv.AddGroup(Chat{ID: forumID, Type: ChatSupergroup, Title: "梧州读者", IsForum: true})
	news = srv.CreateTopic(forumID, "新闻")
	closed = srv.CreateTopic(forumID, "公告")
	deleted = srv.CreateTopic(forumID, "旧话题")
	srv.CloseTopic(forumID, closed)
	srv.DeleteTopic(forumID, deleted)
	return srv, hs, news, closed, deleted
}

func TestSendMessage_ForumTopics(t *testing.T) {
	srv, hs, news, closed, deleted := forumServer(t)
	if news == GeneralTopic || news <= 0 {
		t.Fatalf("the first topic got id %d: it must be a message id other than General's", news)
	}
	tests := map[string]struct {
		chat   int64
		thread string
		want   string // "" when accepted, else the description
		in     int    // the topic the message lands in, when accepted
	}{
		"a topic":                     {forumID, strconv.Itoa(news), "", news},
		"no thread: General":          {forumID, "", "", 0},
		"zero is no thread":           {forumID, "0", "", 0},
		"General's id 1":              {forumID, "1", "Bad Request: message thread not found", 0},
		"an unknown topic":            {forumID, "999", "Bad Request: message thread not found", 0},
		"a deleted topic":             {forumID, strconv.Itoa(deleted), "Bad Request: message thread not found", 0},
		"a closed topic":              {forumID, strconv.Itoa(closed), "Bad Request: TOPIC_CLOSED", 0},
		"not a number":                {forumID, "news", "Bad Request: message thread not found", 0},
		"a thread in a private chat":  {reader.ID, strconv.Itoa(news), "Bad Request: message thread not found", 0},
		"a thread in a chat no forum": {reader.ID, "1", "Bad Request: message thread not found", 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			form := url.Values{"chat_id": {strconv.FormatInt(tc.chat, 10)}, "text": {"摘要"}}
			if tc.thread != "" {
				form.Set("message_thread_id", tc.thread)
			}
			status, body := postForm(t, hs, testToken, "sendMessage", form)
			if tc.want != "" {
				if status != http.StatusBadRequest || !strings.Contains(body, `"description":"`+tc.want+`"`) {
					t.Errorf("answer %d %s, want 400 %q", status, body, tc.want)
				}
				return
			}
			var env struct {
				Result struct {
					MessageID int  `json:"message_id"`
					Thread    int  `json:"message_thread_id"`
					IsTopic   bool `json:"is_topic_message"`
					Chat      struct {
						IsForum bool `json:"is_forum"`
					} `json:"chat"`
				} `json:"result"`
			}
			if status != http.StatusOK || json.Unmarshal([]byte(body), &env) != nil {
				t.Fatalf("answer %d %s", status, body)
			}
			r := env.Result
			if r.Thread != tc.in || r.IsTopic != (tc.in != 0) || !r.Chat.IsForum {
				t.Errorf("answer %s: want message_thread_id %d, is_topic_message %v, is_forum", body, tc.in, tc.in != 0)
			}
			if got := find(srv.Sent(forumID), r.MessageID); got.Thread != tc.in {
				t.Errorf("recorded in topic %d, want %d", got.Thread, tc.in)
			}
		})
	}
	// The refusals are recorded as such, with the thread sent.
	var refusedThreads []string
	for _, c := range srv.CallsTo("sendMessage") {
		if c.Status == http.StatusBadRequest {
			refusedThreads = append(refusedThreads, c.Params["message_thread_id"])
		}
	}
	if len(refusedThreads) != 7 {
		t.Errorf("%d refused calls recorded (%q), want 7", len(refusedThreads), refusedThreads)
	}
}

func TestAnAdminBotPostsInAClosedTopic(t *testing.T) {
	srv, hs, _, closed, _ := forumServer(t)
	srv.SetMember(forumID, srv.Bot().ID, StatusAdministrator)
	status, body := postForm(t, hs, testToken, "sendMessage",
		url.Values{"chat_id": {strconv.FormatInt(forumID, 10)}, "text": {"x"}, "message_thread_id": {strconv.Itoa(closed)}})
	if status != http.StatusOK {
		t.Errorf("an admin's post in a closed topic: %d %s", status, body)
	}
}

func TestAReplyStaysInItsTopic(t *testing.T) {
	srv, hs, news, _, _ := forumServer(t)
	asked := srv.UserSaysInTopic(forumID, news, reader.ID, "/search 西江")
	general := srv.UserSays(forumID, reader.ID, "/help")
	chat := strconv.FormatInt(forumID, 10)

	// A reply without message_thread_id goes to the replied message's topic.
	if status, body := postForm(t, hs, testToken, "sendMessage", url.Values{"chat_id": {chat}, "text": {"a"}, "reply_to_message_id": {strconv.Itoa(asked)}}); status != http.StatusOK {
		t.Fatalf("reply: %d %s", status, body)
	}
	// A reply to a message of another topic is refused, unless it may go
	// without the reply.
	status, body := postForm(t, hs, testToken, "sendMessage", url.Values{"chat_id": {chat}, "text": {"b"}, "reply_to_message_id": {strconv.Itoa(general)},
		"message_thread_id": {strconv.Itoa(news)}})
	if status != http.StatusBadRequest || !strings.Contains(body, "message to be replied not found") {
		t.Errorf("a reply across topics: %d %s", status, body)
	}
	if status, body := postForm(t, hs, testToken, "sendMessage", url.Values{"chat_id": {chat}, "text": {"c"}, "reply_to_message_id": {strconv.Itoa(general)},
		"message_thread_id": {strconv.Itoa(news)}, "allow_sending_without_reply": {"true"}}); status != http.StatusOK {
		t.Fatalf("a reply across topics allowed without it: %d %s", status, body)
	}
	sent := srv.Sent(forumID)
	if len(sent) != 2 || sent[0].Thread != news || sent[0].ReplyTo != asked || sent[1].Thread != news || sent[1].ReplyTo != 0 {
		t.Errorf("sent %+v, want both in topic %d, the first replying to %d", sent, news, asked)
	}
}

func TestUserSaysInTopicQueuesATopicMessage(t *testing.T) {
	srv, hs, news, _, _ := forumServer(t)
	srv.UserSaysInTopic(forumID, news, reader.ID, "/start")
	srv.UserSaysInTopic(forumID, 0, reader.ID, "/help")
	status, body := postForm(t, hs, testToken, "getUpdates", url.Values{})
	var env struct {
		Result []struct {
			Message struct {
				Text    string `json:"text"`
				Thread  int    `json:"message_thread_id"`
				IsTopic bool   `json:"is_topic_message"`
				Chat    struct {
					IsForum bool `json:"is_forum"`
				} `json:"chat"`
			} `json:"message"`
		} `json:"result"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &env) != nil || len(env.Result) != 2 {
		t.Fatalf("getUpdates: %d %s", status, body)
	}
	inTopic, inGeneral := env.Result[0].Message, env.Result[1].Message
	if inTopic.Thread != news || !inTopic.IsTopic || !inTopic.Chat.IsForum {
		t.Errorf("a topic's message: %+v, want thread %d and is_topic_message in a forum", inTopic, news)
	}
	if inGeneral.Thread != 0 || inGeneral.IsTopic {
		t.Errorf("General's message: %+v, want no thread", inGeneral)
	}
}

func TestOnlyASupergroupCanBeAForum(t *testing.T) {
	srv := New(Options{Token: testToken})
	defer func() {
		if recover() == nil {
			t.Error("AddGroup made a forum of a basic group")
		}
	}()
	srv.AddGroup(Chat{ID: -5, Type: ChatGroup, IsForum: true})
}

func find(sent []Sent, id int) Sent {
	for _, s := range sent {
		if s.ID == id {
			return s
		}
	}
	return Sent{}
}
