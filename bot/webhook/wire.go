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
	OK          *bool      `json:"ok"` // nil: the body does not say
	MessageID   flexString `json:"message_id"`
	Description string     `json:"description"`
	RetryAfter  flexString `json:"retry_after"`
	MigrateTo   flexString `json:"migrate_to_chat_id"`
	Parameters  struct {
		RetryAfter flexString `json:"retry_after"`
		MigrateTo  flexString `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

func (r response) migrateTo() string {
	if r.MigrateTo != "" {
		return string(r.MigrateTo)
	}
	return string(r.Parameters.MigrateTo)
}

// flexString takes a JSON string or number: Telegram sends ids and
// retry_after as numbers, other receivers as strings. Any other value
// leaves it empty rather than failing the whole answer.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	if _, err := strconv.ParseFloat(string(b), 64); err == nil {
		*f = flexString(b)
	}
	return nil
}
