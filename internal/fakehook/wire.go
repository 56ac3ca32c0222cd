package fakehook

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
)

// maxRequest bounds a request body; a digest part is far smaller.
const maxRequest = 1 << 20

// message is the webhook JSON, which is all the fake accepts.
type message struct {
	ChatID         string     `json:"chat_id"`
	Platform       string     `json:"platform"`
	Text           string     `json:"text"`
	Buttons        [][]Button `json:"buttons"`
	IdempotencyKey string     `json:"idempotency_key"`
}

// Button is one button of a delivered message.
type Button struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// answerBody is every JSON answer, shaped like a Bot API result.
type answerBody struct {
	OK          bool        `json:"ok"`
	MessageID   string      `json:"message_id,omitempty"`
	ErrorCode   int         `json:"error_code,omitempty"`
	Description string      `json:"description,omitempty"`
	Parameters  *parameters `json:"parameters,omitempty"`
}

type parameters struct {
	RetryAfter      int    `json:"retry_after,omitempty"`
	MigrateToChatID string `json:"migrate_to_chat_id,omitempty"`
	WindowClosed    bool   `json:"window_closed,omitempty"`
}

// reply is an answer waiting to be written.
type reply struct {
	status     int
	retryAfter int // seconds, for the Retry-After header
	body       answerBody
}

// decode reads the webhook JSON strictly: an unknown field, a wrong type,
// trailing data or a key that disagrees with the header are sender bugs
// the fake should surface. It returns what it could read, for the record.
func decode(w http.ResponseWriter, r *http.Request) (message, error) {
	var m message
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "application/json" {
		return m, fmt.Errorf("content type %q is not application/json", r.Header.Get("Content-Type"))
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("can't parse JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return m, errors.New("can't parse JSON: data after the object")
	}
	if m.ChatID == "" {
		return m, errors.New("chat_id is empty")
	}
	header := r.Header.Get("Idempotency-Key")
	switch {
	case m.IdempotencyKey == "":
		m.IdempotencyKey = header
	case header != "" && header != m.IdempotencyKey:
		return m, fmt.Errorf("Idempotency-Key %q differs from idempotency_key %q", header, m.IdempotencyKey)
	}
	return m, nil
}

func (s *Server) answer(w http.ResponseWriter, a reply) {
	if a.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(a.retryAfter))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	if err := json.NewEncoder(w).Encode(a.body); err != nil {
		slog.Debug("Unable to write fake webhook answer", slog.Any("error", err))
	}
}

// badGateway answers 502 with an HTML page, as a proxy in front of the
// service would: the client gets a body that is not JSON.
func (s *Server) badGateway(w http.ResponseWriter, m message) {
	s.reject(m, http.StatusBadGateway, "Bad Gateway", nil)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	if _, err := io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n"); err != nil {
		slog.Debug("Unable to write fake webhook answer", slog.Any("error", err))
	}
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }
