package telegram

import (
	"context"

	"wzdaily/bot"
	"wzdaily/chat"
	"wzdaily/subscribers"
)

// nopConversation answers nothing, for tests of the transport alone.
type nopConversation struct{}

func (nopConversation) Handle(context.Context, chat.Update) []chat.Message { return nil }
func (nopConversation) Inline(context.Context, string, string) ([]bot.InlineResult, string, error) {
	return nil, "", nil
}
func (nopConversation) ChatGone(context.Context, chat.Key, subscribers.State) error {
	return nil
}
func (nopConversation) ChatBack(context.Context, chat.Key) error           { return nil }
func (nopConversation) ChatMoved(context.Context, chat.Key, string) error  { return nil }
func (nopConversation) ThreadGone(context.Context, chat.Key, string) error { return nil }
