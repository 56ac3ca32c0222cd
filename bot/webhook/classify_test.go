package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
	"wzdaily/chat"
)

func TestSender_ClassifiesAnswers(t *testing.T) {
	now := time.Date(2024, 5, 6, 7, 30, 0, 0, time.UTC)
	type want struct {
		id         string
		permanent  bool
		retryAfter time.Duration
		migratedTo string
		// misconfigured: the endpoint, not the chat
		misconfigured bool
		closed        bool // the chat's conversation window
		sentinel      error
	}
	cases := map[string]struct {
		status int
		header map[string]string
		body   string
		want   want
	}{
		"confirmed":          {200, nil, `{"ok":true,"message_id":"17"}`, want{id: "17"}},
		"numeric message id": {200, nil, `{"ok":true,"message_id":17}`, want{id: "17"}},
		// Any 2xx is delivered, unless its body says {"ok": false}.
		"200 not JSON":             {200, nil, `<html>ok</html>`, want{}},
		"200 empty":                {200, nil, ``, want{}},
		"204":                      {204, nil, ``, want{}},
		"201 with id":              {201, nil, `{"message_id":"9"}`, want{id: "9"}},
		"200 without id":           {200, nil, `{"ok":true}`, want{}},
		"200 ok false":             {200, nil, `{"ok":false,"message_id":"1"}`, want{sentinel: ErrNotAccepted}},
		"200 ok false with a wait": {200, nil, `{"ok":false,"retry_after":4}`, want{retryAfter: 4 * time.Second, sentinel: ErrNotAccepted}},
		// A redirect is never followed: the endpoint is wrong for every chat.
		"302":                   {302, map[string]string{"Location": "https://elsewhere.example/x?token=s3cret"}, ``, want{misconfigured: true, sentinel: ErrRedirected}},
		"307":                   {307, map[string]string{"Location": "/other"}, ``, want{misconfigured: true, sentinel: ErrRedirected}},
		"429 Retry-After":       {429, map[string]string{"Retry-After": "7"}, ``, want{retryAfter: 7 * time.Second, sentinel: ErrRateLimited}},
		"429 Retry-After date":  {429, map[string]string{"Retry-After": now.Add(30 * time.Second).Format(http.TimeFormat)}, ``, want{retryAfter: 30 * time.Second, sentinel: ErrRateLimited}},
		"429 retry_after":       {429, nil, `{"ok":false,"retry_after":5}`, want{retryAfter: 5 * time.Second, sentinel: ErrRateLimited}},
		"429 parameters":        {429, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`, want{retryAfter: 3 * time.Second, sentinel: ErrRateLimited}},
		"429 longest hint wins": {429, map[string]string{"Retry-After": "2"}, `{"parameters":{"retry_after":9}}`, want{retryAfter: 9 * time.Second, sentinel: ErrRateLimited}},
		// A 429 always asks for some wait, so it never reads as "transient".
		"429 without a hint": {429, nil, `Too Many Requests`, want{retryAfter: time.Second, sentinel: ErrRateLimited}},
		"429 retry after 0":  {429, map[string]string{"Retry-After": "0"}, ``, want{retryAfter: time.Second, sentinel: ErrRateLimited}},
		"403 blocked":        {403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`, want{permanent: true, sentinel: ErrBlocked}},
		"404 chat not found": {404, nil, `{"ok":false,"description":"chat not found"}`, want{permanent: true, sentinel: ErrChatNotFound}},
		"404 without body":   {404, nil, ``, want{permanent: true, sentinel: ErrChatNotFound}},
		"400 migrated":       {400, nil, `{"ok":false,"migrate_to_chat_id":"-100042"}`, want{migratedTo: "-100042", sentinel: ErrMigrated}},
		"400 migrated in parameters": {400, nil, `{"ok":false,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-100042}}`,
			want{migratedTo: "-100042", sentinel: ErrMigrated}},
		"400 chat not found": {400, nil, `{"ok":false,"description":"Bad Request: chat not found"}`, want{permanent: true, sentinel: ErrRejected}},
		"400 not JSON":       {400, nil, `bad`, want{permanent: true, sentinel: ErrRejected}},
		"500 JSON":           {500, nil, `{"ok":false,"description":"Internal Server Error"}`, want{sentinel: ErrUnavailable}},
		"502 HTML":           {502, nil, `<html><h1>502 Bad Gateway</h1></html>`, want{sentinel: ErrUnavailable}},
		"503 Retry-After":    {503, map[string]string{"Retry-After": "5"}, ``, want{retryAfter: 5 * time.Second, sentinel: ErrUnavailable}},
		"503":                {503, nil, ``, want{sentinel: ErrUnavailable}},
		// A wrong token is the operator's problem, not the chat's.
		"401": {401, nil, `{"ok":false,"description":"Unauthorized"}`, want{sentinel: ErrUnavailable}},
		// A relay to a platform with conversation windows: the part waits
		// for the reader, whatever the status.
		"409 window closed":          {409, nil, `{"ok":false,"description":"Conflict: the window is closed","window_closed":true}`, want{closed: true, sentinel: ErrWindowClosed}},
		"403 window closed":          {403, nil, `{"ok":false,"parameters":{"window_closed":true}}`, want{closed: true, sentinel: ErrWindowClosed}},
		"200 ok false window closed": {200, nil, `{"ok":false,"window_closed":"true"}`, want{closed: true, sentinel: ErrNotAccepted}},
		"409 window not closed":      {409, nil, `{"ok":false,"window_closed":false}`, want{sentinel: ErrUnavailable}},
		"200 window closed but ok":   {200, nil, `{"ok":true,"message_id":"3","window_closed":true}`, want{id: "3"}},
		"302 window closed":          {302, map[string]string{"Location": "/x"}, `{"window_closed":true}`, want{misconfigured: true, sentinel: ErrRedirected}},
		"429 window closed":          {429, nil, `{"window_closed":1}`, want{closed: true, sentinel: ErrWindowClosed}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range c.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(c.status)
				fmt.Fprint(w, c.body)
			}))
			defer srv.Close()
			s := New(Options{URL: srv.URL})
			s.now = func() time.Time { return now }

			id, err := s.Send(context.Background(), reader, digestPart)
			if c.want.sentinel == nil {
				if err != nil || id != c.want.id {
					t.Fatalf("%s: Send() = %q, %v, want %q, nil", name, id, err, c.want.id)
				}
				return
			}
			var se *chat.SendError
			if !errors.As(err, &se) {
				t.Fatalf("%s: error = %v (%T), want a *chat.SendError", name, err, err)
			}
			if se.Permanent != c.want.permanent || se.RetryAfter != c.want.retryAfter || se.MigratedTo != c.want.migratedTo ||
				se.Misconfigured != c.want.misconfigured || se.Closed != c.want.closed {
				t.Errorf("%s: got Permanent %v RetryAfter %v MigratedTo %q Misconfigured %v Closed %v, want %v %v %q %v %v", name,
					se.Permanent, se.RetryAfter, se.MigratedTo, se.Misconfigured, se.Closed,
					c.want.permanent, c.want.retryAfter, c.want.migratedTo, c.want.misconfigured, c.want.closed)
			}
			if !errors.Is(err, c.want.sentinel) {
				t.Errorf("%s: error = %v, want it to wrap %v", name, err, c.want.sentinel)
			}
			if id != "" {
				t.Errorf("%s: id = %q with an error", name, id)
			}
		})
	}
}

func TestSender_ErrorCarriesDescription(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"ok":false,"description":"Bad Request: message is too long"}`)
	}))
	defer srv.Close()
	_, err := New(Options{URL: srv.URL}).Send(context.Background(), reader, digestPart)
	want := "permanent: webhook: unable to send message to webhook:42: rejected (status 400): Bad Request: message is too long"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}
