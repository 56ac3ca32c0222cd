package webhook

import (
	"bytes"
	"encoding/json"
	"strconv"
	"wzdaily/chat"
)

// request is the JSON body of every POST.
type request struct {
	ChatID         string     `json:"chat_id"`
	Platform       string     `json:"platform"`
	Text           string     `json:"text"`
	Buttons        [][]button `json:"buttons,omitempty"`
	IdempotencyKey string     `json:"idempotency_key,omitempty"`
}

type button struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

func newRequest(platform string, to chat.Key, m chat.Message, key string) request {
	r := request{ChatID: to.ChatID, Platform: platform, Text: chat.PlainText(m), IdempotencyKey: key}
	for _, row := range m.Buttons {
		out := make([]button, 0, len(row))
		for _, b := range row {
			out = append(out, button{Label: b.Label, Data: b.Data})
		}
		r.Buttons = append(r.Buttons, out)
	}
	return r
}

// response is any answer's body. retry_after and migrate_to_chat_id are
// read both at the top level and under "parameters", where Telegram puts
// them.
type response struct {
	OK           *bool      `json:"ok"` // nil: the body does not say
	MessageID    flexString `json:"message_id"`
	Description  string     `json:"description"`
	RetryAfter   flexString `json:"retry_after"`
	MigrateTo    flexString `json:"migrate_to_chat_id"`
	WindowClosed flexString `json:"window_closed"`
	Parameters   struct {
		RetryAfter   flexString `json:"retry_after"`
		MigrateTo    flexString `json:"migrate_to_chat_id"`
		WindowClosed flexString `json:"window_closed"`
	} `json:"parameters"`
}

func (r response) migrateTo() string {
	if r.MigrateTo != "" {
		return string(r.MigrateTo)
	}
	return string(r.Parameters.MigrateTo)
}

// windowClosed reports whether the answer says the chat's conversation
// window is closed: window_closed true (or "true", or 1).
func (r response) windowClosed() bool {
	for _, v := range []flexString{r.WindowClosed, r.Parameters.WindowClosed} {
		if v == "true" || v == "1" {
			return true
		}
	}
	return false
}

// flexString takes a JSON string, number or boolean: Telegram sends ids
// and retry_after as numbers, other receivers as strings. Any other value
// leaves it empty rather than failing the whole answer.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	if _, err := strconv.ParseFloat(string(b), 64); err == nil || string(b) == "true" || string(b) == "false" {
		*f = flexString(b)
	}
	return nil
}
