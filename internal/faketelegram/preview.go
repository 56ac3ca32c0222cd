package faketelegram

import (
	"encoding/json"
	"strings"
)

// LinkPreviewOptions is how a message's link preview is made
// (https://core.telegram.org/bots/api#linkpreviewoptions).
type LinkPreviewOptions struct {
	IsDisabled       bool   `json:"is_disabled,omitempty"`
	URL              string `json:"url,omitempty"`
	PreferSmallMedia bool   `json:"prefer_small_media,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
	ShowAboveText    bool   `json:"show_above_text,omitempty"`
}

// parseLinkPreview reads the link preview parameters of sendMessage and
// editMessageText as the Bot API server does (Client::get_link_preview_options):
// link_preview_options (Bot API 7.0) when given, else the older
// disable_web_page_preview. It returns nil when neither asks for anything,
// or the description of a 400: the options must be a JSON object, and its
// flags booleans (a url may be a string or a number).
func parseLinkPreview(p map[string]string) (*LinkPreviewOptions, string) {
	raw, ok := p["link_preview_options"]
	if !ok || raw == "" {
		switch strings.ToLower(strings.TrimSpace(p["disable_web_page_preview"])) {
		case "true", "yes", "1":
			return &LinkPreviewOptions{IsDisabled: true}, ""
		}
		return nil, ""
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, "can't parse link preview options JSON object"
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, "object expected as link preview options"
	}
	var o LinkPreviewOptions
	for name, flag := range map[string]*bool{"is_disabled": &o.IsDisabled, "prefer_small_media": &o.PreferSmallMedia,
		"prefer_large_media": &o.PreferLargeMedia, "show_above_text": &o.ShowAboveText} {
		f, ok := obj[name]
		if !ok {
			continue
		}
		b, isBool := f.(bool)
		if !isBool {
			return nil, `field "` + name + `" must be of type Boolean`
		}
		*flag = b
	}
	switch u := obj["url"].(type) {
	case nil:
	case string:
		o.URL = u
	case json.Number:
		o.URL = string(u)
	default:
		return nil, `field "url" must be of type String`
	}
	return &o, ""
}

func (o *LinkPreviewOptions) clone() *LinkPreviewOptions {
	if o == nil {
		return nil
	}
	c := *o
	return &c
}
