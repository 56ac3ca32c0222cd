package fakehook

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

func TestServer_AcceptsAndRecords(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now})
	body := `{"chat_id":"42","platform":"webhook","text":"【今日】\n1. 新闻","buttons":[[{"label":"下一页","data":"p:2"}]],"idempotency_key":"digest-12-part-2"}`

	w := serve(t, s, body, map[string]string{"Idempotency-Key": "digest-12-part-2"})
	if w.Code != http.StatusOK || w.Body.String() != `{"ok":true,"message_id":"1"}`+"\n" {
		t.Fatalf("first answer = %d %q, want 200 {\"ok\":true,\"message_id\":\"1\"}", w.Code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	clock.Advance(1)
	w = serve(t, s, msg("7", "second"), nil)
	if got := decodeAnswer(t, w.Body.String())["message_id"]; got != "2" {
		t.Errorf("second message_id = %v, want 2", got)
	}

	want := []Delivery{
		{MessageID: "1", ChatID: "42", Platform: "webhook", Text: "【今日】\n1. 新闻",
			Buttons: [][]Button{{{Label: "下一页", Data: "p:2"}}}, IdempotencyKey: "digest-12-part-2", At: epoch},
		{MessageID: "2", ChatID: "7", Platform: "webhook", Text: "second", At: epoch.Add(1)},
	}
	if got := s.Deliveries(); !reflect.DeepEqual(got, want) {
		t.Errorf("Deliveries() = %+v, want %+v", got, want)
	}
	if got := s.Count(); got != 2 {
		t.Errorf("Count() = %d, want 2", got)
	}
	by := s.ByChat()
	if len(by) != 2 || len(by["42"]) != 1 || by["7"][0].Text != "second" {
		t.Errorf("ByChat() = %+v, want one delivery for each of 42 and 7", by)
	}
	if got := s.Rejections(); len(got) != 0 {
		t.Errorf("Rejections() = %+v, want none", got)
	}
}

func TestServer_DeliveriesIsACopy(t *testing.T) {
	s := New(Options{})
	serve(t, s, `{"chat_id":"1","text":"x","buttons":[[{"label":"a","data":"b"}]]}`, nil)
	got := s.Deliveries()
	got[0].Text = "changed"
	got[0].Buttons[0][0].Label = "changed"
	if d := s.Deliveries()[0]; d.Text != "x" || d.Buttons[0][0].Label != "a" {
		t.Errorf("changing the copy changed the record: %+v", d)
	}
}

func TestServer_IdempotencyKeyFromHeaderOnly(t *testing.T) {
	s := New(Options{})
	serve(t, s, msg("1", "x"), map[string]string{"Idempotency-Key": "k1"})
	if got := s.Deliveries()[0].IdempotencyKey; got != "k1" {
		t.Errorf("IdempotencyKey = %q, want the header's k1", got)
	}
}

func TestServer_Duplicates(t *testing.T) {
	s := New(Options{})
	for _, key := range []string{"a", "b", "a", "", "", "a"} {
		serve(t, s, msg("1", "x"), map[string]string{"Idempotency-Key": key})
	}
	if got, want := s.Duplicates(), map[string]int{"a": 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("Duplicates() = %v, want %v", got, want)
	}
}

func TestServer_RejectsMalformedRequests(t *testing.T) {
	cases := map[string]struct {
		body, contentType, key string
		status                 int
	}{
		"not JSON":                   {body: `chat_id=1`, status: http.StatusBadRequest},
		"truncated JSON":             {body: `{"chat_id":"1"`, status: http.StatusBadRequest},
		"unknown field":              {body: `{"chat_id":"1","text":"x","parse_mode":"HTML"}`, status: http.StatusBadRequest},
		"numeric chat_id":            {body: `{"chat_id":1,"text":"x"}`, status: http.StatusBadRequest},
		"missing chat_id":            {body: `{"text":"x"}`, status: http.StatusBadRequest},
		"empty chat_id":              {body: `{"chat_id":"","text":"x"}`, status: http.StatusBadRequest},
		"two objects":                {body: `{"chat_id":"1"}{"chat_id":"2"}`, status: http.StatusBadRequest},
		"form content type":          {body: msg("1", "x"), contentType: "application/x-www-form-urlencoded", status: http.StatusBadRequest},
		"header and body key differ": {body: `{"chat_id":"1","idempotency_key":"a"}`, key: "b", status: http.StatusBadRequest},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := New(Options{})
			header := map[string]string{"Idempotency-Key": c.key}
			if c.contentType != "" {
				header["Content-Type"] = c.contentType
			}
			w := serve(t, s, c.body, header)
			if w.Code != c.status {
				t.Fatalf("%s: status = %d, want %d (body %q)", name, w.Code, c.status, w.Body.String())
			}
			ans := decodeAnswer(t, w.Body.String())
			if ans["ok"] != false || ans["description"] == "" || ans["description"] == nil {
				t.Errorf("%s: answer = %v, want ok false with a description", name, ans)
			}
			if s.Count() != 0 || len(s.Rejections()) != 1 {
				t.Errorf("%s: %d deliveries and %d rejections recorded, want 0 and 1", name, s.Count(), len(s.Rejections()))
			}
		})
	}
}

func TestServer_RejectsOtherMethods(t *testing.T) {
	s := New(Options{})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != http.MethodPost {
		t.Errorf("GET = %d Allow %q, want 405 Allow POST", w.Code, w.Header().Get("Allow"))
	}
}
