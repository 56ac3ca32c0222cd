package faketelegram

import (
	"encoding/json"
	"slices"
	"time"
)

// User is a Telegram user. Its JSON form is the Bot API's User object.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"` // without "@"
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a group, supergroup or channel. Private chats exist implicitly
// for every user, with the user's id.
type Chat struct {
	ID       int64
	Type     string // "group", "supergroup", "channel" (or "private")
	Title    string
	Username string // for public supergroups and channels, without "@"
	// IsForum makes a supergroup a forum, with topics (CreateTopic).
	IsForum bool
}

// Chat types.
const (
	ChatPrivate    = "private"
	ChatGroup      = "group"
	ChatSupergroup = "supergroup"
	ChatChannel    = "channel"
)

// Member statuses, as getChatMember reports them.
const (
	StatusCreator       = "creator"
	StatusAdministrator = "administrator"
	StatusMember        = "member"
	StatusRestricted    = "restricted"
	StatusLeft          = "left"
	StatusKicked        = "kicked"
)

// BotCommand is one entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// InlineKeyboardMarkup is an inline keyboard, as sent in reply_markup.
type InlineKeyboardMarkup struct {
	InlineKeyboard [][]InlineKeyboardButton `json:"inline_keyboard"`
}

// InlineKeyboardButton is one button of an inline keyboard. The fake
// accepts a button only if it has an action: a URL, callback data or one
// of the others.
type InlineKeyboardButton struct {
	Text                         string          `json:"text"`
	URL                          string          `json:"url,omitempty"`
	CallbackData                 string          `json:"callback_data,omitempty"`
	SwitchInlineQuery            *string         `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat *string         `json:"switch_inline_query_current_chat,omitempty"`
	LoginURL                     json.RawMessage `json:"login_url,omitempty"`
	CallbackGame                 json.RawMessage `json:"callback_game,omitempty"`
	WebApp                       json.RawMessage `json:"web_app,omitempty"`
	Pay                          bool            `json:"pay,omitempty"`
}

// Buttons returns the keyboard's buttons row after row, or nil.
func (m *InlineKeyboardMarkup) Buttons() []InlineKeyboardButton {
	if m == nil {
		return nil
	}
	var out []InlineKeyboardButton
	for _, row := range m.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

func (m *InlineKeyboardMarkup) clone() *InlineKeyboardMarkup {
	if m == nil {
		return nil
	}
	c := &InlineKeyboardMarkup{InlineKeyboard: make([][]InlineKeyboardButton, len(m.InlineKeyboard))}
	for i, row := range m.InlineKeyboard {
		c.InlineKeyboard[i] = slices.Clone(row)
	}
	return c
}

// Entity is a formatting entity of a message text. Offset and Length are
// in UTF-16 code units, as Telegram counts them.
type Entity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`             // text_link
	User          *User  `json:"user,omitempty"`            // text_mention
	Language      string `json:"language,omitempty"`        // pre
	CustomEmojiID string `json:"custom_emoji_id,omitempty"` // custom_emoji
}

// Call is one request the fake received.
type Call struct {
	Time   time.Time         // by Options.Now, when it arrived
	Method string            // canonical camelCase name
	Params map[string]string // as received, "null" values included
	// Status is the HTTP status answered; 0 while the call is running and
	// when no answer was written (the client gave up, or a hang ended).
	Status int
	Error  string // the description of an error answer
}

// Sent is one message the bot sent and the fake accepted.
type Sent struct {
	ID        int
	ChatID    int64
	Time      time.Time // by Options.Now
	Text      string    // as sent (HTML source in HTML mode)
	Plain     string    // the visible text: tags removed, entities decoded
	ParseMode string
	Entities  []Entity
	Markup    *InlineKeyboardMarkup // nil without an inline keyboard
	// Keyboard is a reply_markup that is not an inline keyboard (a reply
	// keyboard, its removal or force_reply), as sent.
	Keyboard json.RawMessage
	ReplyTo  int // reply_to_message_id, or 0
	Thread   int // the forum topic it went to (message_thread_id), or 0
	// Preview is how the message's link preview is made, as the last send
	// or edit asked (disable_web_page_preview reads as IsDisabled); nil
	// when it asked nothing, and a preview of the first link is shown.
	Preview  *LinkPreviewOptions
	Edits    int       // successful edits of text or markup
	EditTime time.Time // of the last edit
}

// Rejection is one refused send (sendMessage, editMessageText): by validation, chat state, flood limits or an
// injected fault.
type Rejection struct {
	Time            time.Time
	Method          string
	ChatID          int64 // 0 when chat_id was missing or not numeric
	Code            int   // the HTTP status and error_code
	Description     string
	RetryAfter      int   // seconds, for 429
	MigrateToChatID int64 // for a migrated group
}

// Answer is one accepted answerCallbackQuery or answerInlineQuery.
type Answer struct {
	Time       time.Time
	Method     string // "answerCallbackQuery" or "answerInlineQuery"
	QueryID    string
	FromUserID int64 // who pressed the button or typed the inline query
	// answerCallbackQuery
	Text      string
	ShowAlert bool
	URL       string
	// both
	CacheTime int
	// answerInlineQuery
	Results    []InlineResult
	NextOffset string
	IsPersonal bool
}

// InlineResult is one decoded result of answerInlineQuery.
type InlineResult struct {
	Type        string
	ID          string
	Title       string
	Description string
	// From input_message_content, for text results.
	MessageText string
	ParseMode   string
	Plain       string // MessageText's visible text
	Markup      *InlineKeyboardMarkup
	Raw         json.RawMessage // the result as sent
}
