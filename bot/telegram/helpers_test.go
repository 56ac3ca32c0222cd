package telegram

import (
	"context"

	"wzdaily/bot"
	"wzdaily/subscribers"
)

// nopConversation answers nothing, for tests of the transport alone.
type nopConversation struct{}

func (nopConversation) Handle(context.Context, bot.Update) []bot.Message { return nil }
func (nopConversation) Inline(context.Context, string, string) ([]bot.InlineResult, string, error) {
	return nil, "", nil
}
func (nopConversation) ChatGone(context.Context, subscribers.Key, subscribers.State) error {
	return nil
}
func (nopConversation) ChatBack(context.Context, subscribers.Key) error          { return nil }
func (nopConversation) ChatMoved(context.Context, subscribers.Key, string) error { return nil }
