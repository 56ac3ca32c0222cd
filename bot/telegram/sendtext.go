package telegram

import (
	"context"
	"encoding/json"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// previewsOff is a LinkPreviewOptions that turns link previews off
// (https://core.telegram.org/bots/api#linkpreviewoptions). A digest lists
// many links; a preview of the first would fill a phone's screen under
// the message. Bot API 7.0 replaced disable_web_page_preview with it, and
// tgbotapi v5.5.1 predates that, so the calls below go through the
// library's MakeRequest with the parameters written out.
const previewsOff = `{"is_disabled":true}`

// htmlText is a message's text in Telegram HTML, with its inline keyboard (nil
// for none).
type htmlText struct {
	html     string
	keyboard *tgbotapi.InlineKeyboardMarkup
}

func (x htmlText) params() (tgbotapi.Params, error) {
	p := tgbotapi.Params{"text": x.html, "parse_mode": tgbotapi.ModeHTML, "link_preview_options": previewsOff}
	return p, p.AddInterface("reply_markup", x.keyboard)
}

// sendText sends a message.
// https://core.telegram.org/bots/api#sendmessage
func (t *Transport) sendText(ctx context.Context, base tgbotapi.BaseChat, x htmlText) (tgbotapi.Message, error) {
	p, err := x.params()
	if err != nil {
		return tgbotapi.Message{}, err
	}
	if err := p.AddFirstValid("chat_id", base.ChatID, base.ChannelUsername); err != nil {
		return tgbotapi.Message{}, err
	}
	p.AddNonZero("reply_to_message_id", base.ReplyToMessageID)
	p.AddBool("allow_sending_without_reply", base.AllowSendingWithoutReply)
	p.AddBool("disable_notification", base.DisableNotification)
	resp, err := t.call(ctx).MakeRequest("sendMessage", p)
	if err != nil {
		return tgbotapi.Message{}, err
	}
	var m tgbotapi.Message
	if err := json.Unmarshal(resp.Result, &m); err != nil {
		return tgbotapi.Message{}, fmt.Errorf("unable to read the sent message: %w", err)
	}
	return m, nil
}

// editText replaces the text and keyboard of a message the bot sent; no
// keyboard removes the one it had.
// https://core.telegram.org/bots/api#editmessagetext
func (t *Transport) editText(ctx context.Context, chatID int64, messageID int, x htmlText) error {
	p, err := x.params()
	if err != nil {
		return err
	}
	p.AddNonZero64("chat_id", chatID)
	p.AddNonZero("message_id", messageID)
	_, err = t.call(ctx).MakeRequest("editMessageText", p)
	return err
}
