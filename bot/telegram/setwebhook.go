package telegram

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// setWebhook registers link as the webhook, with secret as its
// secret_token and the update kinds the bot reads. tgbotapi v5.5.1's
// WebhookConfig predates secret_token (Bot API 6.1) and its Chattable
// cannot be implemented outside the library, so the call goes through
// MakeRequest with the parameters the method takes.
//
// https://core.telegram.org/bots/api#setwebhook
func (t *Transport) setWebhook(ctx context.Context, link, secret string) error {
	params := tgbotapi.Params{"url": link, "secret_token": secret}
	if err := params.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return t.wrap("setWebhook", err)
	}
	if _, err := t.call(ctx).MakeRequest("setWebhook", params); err != nil {
		return t.wrap("setWebhook", err)
	}
	return nil
}
