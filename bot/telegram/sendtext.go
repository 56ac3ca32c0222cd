package telegram

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// previewsOff is a LinkPreviewOptions that turns link previews off
// (https://core.telegram.org/bots/api#linkpreviewoptions). A digest lists
// many links; a preview of the first would fill a phone's screen under
// the message. Bot API 7.0 replaced disable_web_page_preview with it, and
// tgbotapi v5.5.1 predates that, so sends (postMessage) and edits go
// through the library's MakeRequest with the parameters written out.
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
