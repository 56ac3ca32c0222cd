package faketelegram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
)

const (
	maxCallbackData = 64  // bytes, per the InlineKeyboardButton doc
	maxButtons      = 100 // per keyboard
)

// buttonJSON is a button as received: pointers tell an empty value from
// a missing one.
type buttonJSON struct {
	Text                         *string         `json:"text"`
	URL                          *string         `json:"url"`
	CallbackData                 *string         `json:"callback_data"`
	SwitchInlineQuery            *string         `json:"switch_inline_query"`
	SwitchInlineQueryCurrentChat *string         `json:"switch_inline_query_current_chat"`
	LoginURL                     json.RawMessage `json:"login_url"`
	CallbackGame                 json.RawMessage `json:"callback_game"`
	WebApp                       json.RawMessage `json:"web_app"`
	Pay                          bool            `json:"pay"`
}

// parseMarkup reads a reply_markup parameter. It returns the inline
// keyboard (nil when there is none or it has no buttons), or, for another
// kind of keyboard, its JSON as sent. inlineOnly is for edits, which take
// only inline keyboards. A refusal is a description for a 400.
func parseMarkup(s string, inlineOnly bool) (*InlineKeyboardMarkup, []byte, string) {
	if s == "" {
		return nil, nil, ""
	}
	const cantParse = "can't parse reply keyboard markup JSON object"
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &obj); err != nil {
		return nil, nil, cantParse
	}
	rows, ok := obj["inline_keyboard"]
	if !ok {
		_, kb := obj["keyboard"]
		_, rm := obj["remove_keyboard"]
		_, fr := obj["force_reply"]
		if inlineOnly || !(kb || rm || fr) {
			return nil, nil, cantParse
		}
		return nil, []byte(s), ""
	}
	var in [][]buttonJSON
	if err := json.Unmarshal(rows, &in); err != nil {
		return nil, nil, cantParse
	}
	m := &InlineKeyboardMarkup{}
	count := 0
	for _, row := range in {
		var out []InlineKeyboardButton
		for _, b := range row {
			btn, desc := checkButton(b)
			if desc != "" {
				return nil, nil, desc
			}
			out = append(out, btn)
		}
		count += len(out)
		if len(out) > 0 {
			m.InlineKeyboard = append(m.InlineKeyboard, out)
		}
	}
	if count > maxButtons {
		return nil, nil, "reply markup is too long"
	}
	if count == 0 {
		return nil, nil, ""
	}
	return m, nil, ""
}

func checkButton(b buttonJSON) (InlineKeyboardButton, string) {
	btn := InlineKeyboardButton{
		SwitchInlineQuery:            b.SwitchInlineQuery,
		SwitchInlineQueryCurrentChat: b.SwitchInlineQueryCurrentChat,
		LoginURL:                     b.LoginURL,
		CallbackGame:                 b.CallbackGame,
		WebApp:                       b.WebApp,
		Pay:                          b.Pay,
	}
	if b.Text == nil {
		return btn, `can't parse inline keyboard button: Field "text" must be of type String`
	}
	if strings.TrimSpace(*b.Text) == "" {
		return btn, "BUTTON_TEXT_INVALID"
	}
	btn.Text = *b.Text
	actions := 0
	if b.CallbackData != nil {
		if n := len(*b.CallbackData); n == 0 || n > maxCallbackData {
			return btn, "BUTTON_DATA_INVALID"
		}
		btn.CallbackData = *b.CallbackData
		actions++
	}
	if b.URL != nil {
		if desc := checkButtonURL(*b.URL); desc != "" {
			return btn, desc
		}
		btn.URL = *b.URL
		actions++
	}
	for _, present := range []bool{b.SwitchInlineQuery != nil, b.SwitchInlineQueryCurrentChat != nil,
		isSet(b.LoginURL), isSet(b.CallbackGame), isSet(b.WebApp), b.Pay} {
		if present {
			actions++
		}
	}
	if actions == 0 {
		return btn, "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
	}
	return btn, ""
}

func isSet(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// checkButtonURL refuses what Telegram refuses in a URL button: no host,
// a scheme other than http, https or tg, or a local host name.
func checkButtonURL(s string) string {
	u, err := url.Parse(s)
	if err == nil && u.Scheme == "" {
		u, err = url.Parse("http://" + s) // Telegram takes a bare host name
	}
	wrong := fmt.Sprintf("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", s)
	switch {
	case err != nil || s == "":
		return wrong
	case u.Scheme == "tg":
		return ""
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("inline keyboard button URL '%s' is invalid: Unsupported URL protocol", s)
	}
	host := u.Hostname()
	if host == "" || strings.EqualFold(host, "localhost") {
		return wrong
	}
	if net.ParseIP(host) == nil && !strings.Contains(host, ".") {
		return wrong
	}
	return ""
}

// sameMarkup reports whether two keyboards are the same for "message is
// not modified".
func sameMarkup(a, b *InlineKeyboardMarkup) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
