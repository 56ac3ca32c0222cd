package faketelegram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// maxBody bounds a request body. Telegram takes uploads of up to 50 MB;
// the fake keeps no file contents, so it reads less.
const maxBody = 10 << 20

// readParams reads the parameters of a call the ways the Bot API accepts
// them: the query string, then an urlencoded, multipart or JSON body.
// Values are kept as received; nested objects arrive as JSON text.
func readParams(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		out[k] = v[0]
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return out, errors.New("can't parse request body")
		}
		for k, v := range r.PostForm {
			out[k] = v[0]
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return out, errors.New("can't parse request body")
		}
		for k, v := range r.MultipartForm.Value {
			out[k] = v[0]
		}
		// The fake keeps no files; it notes which part held one.
		for k, v := range r.MultipartForm.File {
			out[k] = "file:" + v[0].Filename
		}
	case "application/json":
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return out, errors.New("can't parse JSON request body")
		}
		for k, v := range body {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
			} else {
				out[k] = string(v) // numbers, booleans and nested objects
			}
		}
	}
	for k, v := range out {
		if !utf8.ValidString(v) {
			return out, fmt.Errorf("strings must be encoded in UTF-8 (parameter %q)", k)
		}
	}
	return out, nil
}

// withoutNull drops the parameters whose value is the JSON literal null:
// tgbotapi sends a nil slice that way, and Telegram treats it as absent.
func withoutNull(raw map[string]string) map[string]string {
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if v != "null" {
			out[k] = v
		}
	}
	return out
}

// reply is an answer waiting to be written.
type reply struct {
	status int // 0: write nothing, the client is gone
	result json.RawMessage
	desc   string
	params *responseParameters
	// raw, when set, is written as is with rawType instead of the JSON
	// envelope (FailNextRaw).
	raw     []byte
	rawType string
}

type responseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// envelope is every JSON answer of the Bot API.
type envelope struct {
	OK          bool                `json:"ok"`
	Result      json.RawMessage     `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

func okReply(v any) reply {
	b, err := json.Marshal(v)
	if err != nil {
		// Only the fake's own types are marshalled; this is a bug.
		return errorReply(http.StatusInternalServerError, "Internal Server Error: "+err.Error())
	}
	return reply{status: http.StatusOK, result: b}
}

func errorReply(status int, desc string) reply {
	return reply{status: status, desc: desc}
}

// badRequest is the common 400 answer; desc goes after "Bad Request: ".
func badRequest(desc string) reply {
	return errorReply(http.StatusBadRequest, "Bad Request: "+desc)
}

// tooMany answers as flood control does: whole seconds, rounded up, at
// least one.
func tooMany(secs int) reply {
	r := errorReply(http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", secs))
	r.params = &responseParameters{RetryAfter: secs}
	return r
}

// writeReply writes r with its status, as Telegram does, although
// tgbotapi reads only the body.
func writeReply(w http.ResponseWriter, r reply) {
	if r.raw != nil {
		w.Header().Set("Content-Type", r.rawType)
		w.WriteHeader(r.status)
		if _, err := w.Write(r.raw); err != nil {
			slog.Debug("Unable to write fake Telegram answer", slog.Any("error", err))
		}
		return
	}
	env := envelope{OK: r.status == http.StatusOK, Result: r.result}
	if !env.OK {
		env = envelope{ErrorCode: r.status, Description: r.desc, Parameters: r.params}
		if r.params != nil && r.params.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(r.params.RetryAfter))
		}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(env); err != nil {
		slog.Debug("Unable to encode fake Telegram answer", slog.Any("error", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(r.status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		slog.Debug("Unable to write fake Telegram answer", slog.Any("error", err))
	}
}

// chatJSON is the Bot API's Chat object.
type chatJSON struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// messageJSON is the Bot API's Message object, as far as the fake fills it.
type messageJSON struct {
	MessageID         int                   `json:"message_id"`
	MessageThreadID   int                   `json:"message_thread_id,omitempty"`
	From              *User                 `json:"from,omitempty"`
	SenderChat        *chatJSON             `json:"sender_chat,omitempty"`
	Date              int64                 `json:"date"`
	Chat              chatJSON              `json:"chat"`
	ReplyToMessage    *messageJSON          `json:"reply_to_message,omitempty"`
	EditDate          int64                 `json:"edit_date,omitempty"`
	Text              string                `json:"text,omitempty"`
	Entities          []Entity              `json:"entities,omitempty"`
	ReplyMarkup       *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
	IsTopicMessage    bool                  `json:"is_topic_message,omitempty"`
	ForumTopicCreated *forumTopicJSON       `json:"forum_topic_created,omitempty"`
}

// forumTopicJSON is the Bot API's ForumTopicCreated object.
type forumTopicJSON struct {
	Name      string `json:"name"`
	IconColor int    `json:"icon_color"`
}

// meJSON is getMe's answer.
type meJSON struct {
	User
	CanJoinGroups           bool `json:"can_join_groups"`
	CanReadAllGroupMessages bool `json:"can_read_all_group_messages"`
	SupportsInlineQueries   bool `json:"supports_inline_queries"`
}

// memberJSON is the Bot API's ChatMember object.
type memberJSON struct {
	User   User   `json:"user"`
	Status string `json:"status"`
	// Administrators only; enough for a bot to check its own rights.
	CanBeEdited       *bool `json:"can_be_edited,omitempty"`
	CanManageChat     *bool `json:"can_manage_chat,omitempty"`
	CanPostMessages   *bool `json:"can_post_messages,omitempty"`
	CanEditMessages   *bool `json:"can_edit_messages,omitempty"`
	CanDeleteMessages *bool `json:"can_delete_messages,omitempty"`
	// Restricted only.
	IsMember        *bool  `json:"is_member,omitempty"`
	CanSendMessages *bool  `json:"can_send_messages,omitempty"`
	UntilDate       *int64 `json:"until_date,omitempty"`
}

// memberUpdatedJSON is the Bot API's ChatMemberUpdated object.
type memberUpdatedJSON struct {
	Chat          chatJSON   `json:"chat"`
	From          User       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember memberJSON `json:"old_chat_member"`
	NewChatMember memberJSON `json:"new_chat_member"`
}

type callbackQueryJSON struct {
	ID           string       `json:"id"`
	From         User         `json:"from"`
	Message      *messageJSON `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type inlineQueryJSON struct {
	ID       string `json:"id"`
	From     User   `json:"from"`
	Query    string `json:"query"`
	Offset   string `json:"offset"`
	ChatType string `json:"chat_type,omitempty"`
}

func ptr[T any](v T) *T { return &v }
