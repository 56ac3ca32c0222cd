// Package chat is the contract every part of the bot shares about chats:
// who a chat is, the platform-neutral message model, what a transport
// hands the bot (Update) and what it must do with the answers (Sender,
// SendError). It imports nothing of the project, so the conversation, the
// digest engine, the transports and the metrics can all depend on it.
package chat

// Kind is the kind of chat.
type Kind string

const (
	Private Kind = "private"
	Group   Kind = "group"
	Channel Kind = "channel"
)

// Key identifies a chat on a platform.
type Key struct {
	Platform string // console, telegram, wechat, webhook
	ChatID   string
}

func (k Key) String() string { return k.Platform + ":" + k.ChatID }
