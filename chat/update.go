package chat

import (
	"context"
)

// Update is one thing a chat sent: a message or a button press. The
// transport fills in what only it can know.
type Update struct {
	Chat     Key
	Kind     Kind
	ChatName string // the group's title, or the person's display name
	UserID   string // who sent it, on the platform
	UserName string
	// IsAdmin says the sender administers the group or channel, when the
	// transport knows it already (configured admins, a channel's own
	// post). Ignored in private chats.
	IsAdmin bool
	// AskAdmin, when set and IsAdmin is false, asks the platform whether
	// the sender administers the group. The bot calls it only for what is
	// for admins, so a search costs no call. An error means the platform
	// could not say (a failing API): the sender is told the check failed,
	// not that they are no admin, and nothing changes.
	AskAdmin func(ctx context.Context) (bool, error)
	// Addressed says a group message is meant for the bot (/cmd@bot, an
	// @-mention, a reply to the bot, or a command prefix); the transport
	// strips the mention. Group messages not addressed are ignored.
	Addressed bool
	Text      string
	Callback  string // a pressed button's Data, instead of Text
	LangHint  string // the client's language, used for a new chat
	// Thread is the part of the chat the update came from, where the
	// platform has them (a Telegram forum topic); "" for the chat's main
	// one. The transport answers there by itself.
	Thread string
	// Ref is the transport's own record of the update (which message a
	// button was on, say). The bot does not look at it; a Dispatcher hands
	// it back with the replies.
	Ref any
}

// Handler answers updates; Bot is one. Transports depend on this, not on
// the bot's internals.
type Handler interface {
	Handle(ctx context.Context, u Update) []Message
}
