package faketelegram

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// The link preview parameters are read as the Bot API server reads them
// (Client::get_link_preview_options): link_preview_options when given,
// else disable_web_page_preview; a malformed object is refused.
func TestSendMessage_LinkPreviewOptions(t *testing.T) {
	tests := map[string]struct {
		params url.Values
		want   *LinkPreviewOptions
		desc   string // the refusal, "" for accepted
	}{
		"none":                   {url.Values{}, nil, ""},
		"off":                    {url.Values{"link_preview_options": {`{"is_disabled":true}`}}, &LinkPreviewOptions{IsDisabled: true}, ""},
		"the older parameter":    {url.Values{"disable_web_page_preview": {"true"}}, &LinkPreviewOptions{IsDisabled: true}, ""},
		"the older one, 1":       {url.Values{"disable_web_page_preview": {"1"}}, &LinkPreviewOptions{IsDisabled: true}, ""},
		"the older one, false":   {url.Values{"disable_web_page_preview": {"false"}}, nil, ""},
		"the new one wins":       {url.Values{"link_preview_options": {`{"is_disabled":false}`}, "disable_web_page_preview": {"true"}}, &LinkPreviewOptions{}, ""},
		"every field":            {url.Values{"link_preview_options": {`{"url":"https://e.com","prefer_small_media":true,"show_above_text":true,"x":1}`}}, &LinkPreviewOptions{URL: "https://e.com", PreferSmallMedia: true, ShowAboveText: true}, ""},
		"a number for the url":   {url.Values{"link_preview_options": {`{"url":12}`}}, &LinkPreviewOptions{URL: "12"}, ""},
		"not JSON":               {url.Values{"link_preview_options": {`{is_disabled:true}`}}, nil, "Bad Request: can't parse link preview options JSON object"},
		"two objects":            {url.Values{"link_preview_options": {`{} {}`}}, nil, "Bad Request: can't parse link preview options JSON object"},
		"not an object":          {url.Values{"link_preview_options": {`true`}}, nil, "Bad Request: object expected as link preview options"},
		"a string for a boolean": {url.Values{"link_preview_options": {`{"is_disabled":"true"}`}}, nil, `Bad Request: field "is_disabled" must be of type Boolean`},
		"an object for the url":  {url.Values{"link_preview_options": {`{"url":{}}`}}, nil, `Bad Request: field "url" must be of type String`},
	}
	o := noLimits(newFakeClock().Now)
	o.Token = testToken
	srv := New(o)
	srv.AddUser(reader)
	hs := serve(t, srv)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			form := url.Values{"chat_id": {strconv.FormatInt(reader.ID, 10)}, "text": {name}}
			for k, v := range tc.params {
				form[k] = v
			}
			status, body := postForm(t, hs, testToken, "sendMessage", form)
			if tc.desc != "" {
				var env envelope
				if json.Unmarshal([]byte(body), &env) != nil || status != http.StatusBadRequest || env.Description != tc.desc {
					t.Fatalf("answer = %d %s, want 400 %q", status, body, tc.desc)
				}
				return
			}
			if status != http.StatusOK {
				t.Fatalf("answer = %d %s", status, body)
			}
			sent := srv.Sent(reader.ID)
			got := sent[len(sent)-1].Preview
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Errorf("preview %+v, want %+v", got, tc.want)
			}
		})
	}
	// An edit is checked the same way, and says how the edited message's
	// preview is made.
	sent := srv.Sent(reader.ID)
	id := strconv.Itoa(sent[0].ID)
	chat := strconv.FormatInt(reader.ID, 10)
	if status, body := postForm(t, hs, testToken, "editMessageText", url.Values{"chat_id": {chat}, "message_id": {id}, "text": {"edited"},
		"link_preview_options": {`[]`}}); status != http.StatusBadRequest {
		t.Errorf("an edit with a bad preview: %d %s", status, body)
	}
	if status, body := postForm(t, hs, testToken, "editMessageText", url.Values{"chat_id": {chat}, "message_id": {id}, "text": {"edited"},
		"link_preview_options": {`{"is_disabled":true}`}}); status != http.StatusOK {
		t.Fatalf("an edit: %d %s", status, body)
	}
	if p := srv.Sent(reader.ID)[0].Preview; p == nil || !p.IsDisabled {
		t.Errorf("after the edit, preview %+v", p)
	}
}

// FuzzLinkPreviewOptions: any parameter gets an answer, never a panic;
// what is accepted reads back the same once written out again.
func FuzzLinkPreviewOptions(f *testing.F) {
	f.Add(`{"is_disabled":true}`, "")
	f.Add(`{"url":12e3,"show_above_text":false}`, "true")
	f.Add(`[`, "1")
	f.Fuzz(func(t *testing.T, options, legacy string) {
		o, desc := parseLinkPreview(map[string]string{"link_preview_options": options, "disable_web_page_preview": legacy})
		if desc != "" {
			if o != nil {
				t.Fatalf("refused (%s) with options %+v", desc, o)
			}
			return
		}
		if o == nil {
			return
		}
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		again, desc := parseLinkPreview(map[string]string{"link_preview_options": string(b)})
		if desc != "" || again == nil || *again != *o {
			t.Fatalf("%s → %+v → %s → %+v (%s)", options, o, b, again, desc)
		}
	})
}
