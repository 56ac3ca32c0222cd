package fakeoa

import "slices"

// Button is one button of the custom menu, as /cgi-bin/menu/create takes it
// and /cgi-bin/menu/get returns it.
// https://developers.weixin.qq.com/doc/service/api/custommenu/api_createcustommenu
type Button struct {
	Type       string   `json:"type,omitempty"`
	Name       string   `json:"name"`
	Key        string   `json:"key,omitempty"`
	URL        string   `json:"url,omitempty"`
	MediaID    string   `json:"media_id,omitempty"`
	AppID      string   `json:"appid,omitempty"`
	PagePath   string   `json:"pagepath,omitempty"`
	ArticleID  string   `json:"article_id,omitempty"`
	SubButtons []Button `json:"sub_button,omitempty"`
}

// The menu's limits, from the same page: 1 to 3 buttons, each with 0 or
// 1 to 5 sub-buttons, one level deep; a name of at most 16 bytes (60 for a
// sub-button); a key of at most 128 bytes for the click-like types; a URL
// of at most 1,024 bytes for view and miniprogram.
const (
	maxButtons    = 3
	maxSubButtons = 5
	maxName       = 16
	maxSubName    = 60
	maxKey        = 128
	maxURL        = 1024
)

// The button types, by what each needs.
var (
	keyTypes   = map[string]bool{"click": true, "scancode_push": true, "scancode_waitmsg": true, "pic_sysphoto": true, "pic_photo_or_album": true, "pic_weixin": true, "location_select": true}
	urlTypes   = map[string]bool{"view": true, "miniprogram": true}
	mediaTypes = map[string]bool{"media_id": true, "view_limited": true}
	articles   = map[string]bool{"article_id": true, "article_view_limited": true}
)

// Menu returns the menu the bot set, and whether there is one.
func (s *Server) Menu() ([]Button, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneButtons(s.menu), s.menu != nil
}

func cloneButtons(bs []Button) []Button {
	out := slices.Clone(bs)
	for i := range out {
		out[i].SubButtons = cloneButtons(out[i].SubButtons)
	}
	return out
}

func (s *Server) menuCreateLocked(ex *exchange) (any, int) {
	var req struct {
		Button []Button `json:"button"`
	}
	if code := decodeJSON(ex.body, &req); code != 0 {
		return nil, code
	}
	if code := checkMenu(req.Button); code != 0 {
		return nil, code
	}
	s.menu = cloneButtons(req.Button)
	return nil, 0
}

func (s *Server) menuGetLocked(*exchange) (any, int) {
	if s.menu == nil {
		return nil, errMenuNone
	}
	type menu struct {
		Button []Button `json:"button"`
	}
	return struct {
		Menu menu `json:"menu"`
	}{menu{cloneButtons(s.menu)}}, 0
}

func (s *Server) menuDeleteLocked(*exchange) (any, int) {
	s.menu = nil
	return nil, 0
}

// selfMenuInfoLocked is /cgi-bin/get_current_selfmenu_info, whose
// sub-buttons sit in {"sub_button":{"list":[…]}} (silenceper/wechat's
// menu.SelfMenuButton reads the same shape).
func (s *Server) selfMenuInfoLocked(*exchange) (any, int) {
	type subList struct {
		List []Button `json:"list"`
	}
	type selfButton struct {
		Button
		SubButtons *subList `json:"sub_button,omitempty"`
	}
	var out struct {
		IsMenuOpen int `json:"is_menu_open"`
		Info       struct {
			Button []selfButton `json:"button"`
		} `json:"selfmenu_info"`
	}
	if s.menu != nil {
		out.IsMenuOpen = 1
	}
	for _, b := range s.menu {
		sb := selfButton{Button: b}
		sb.Button.SubButtons = nil
		if len(b.SubButtons) > 0 {
			sb.SubButtons = &subList{cloneButtons(b.SubButtons)}
		}
		out.Info.Button = append(out.Info.Button, sb)
	}
	return out, 0
}

// checkMenu returns the errcode for the first rule the menu breaks, or 0.
func checkMenu(bs []Button) int {
	if len(bs) == 0 || len(bs) > maxButtons {
		return errButtonSize
	}
	for _, b := range bs {
		if b.Name == "" || len(b.Name) > maxName {
			return errButtonName
		}
		if len(b.SubButtons) == 0 {
			if code := checkAction(b, false); code != 0 {
				return code
			}
			continue
		}
		if len(b.SubButtons) > maxSubButtons {
			return errSubButtonSize
		}
		for _, sb := range b.SubButtons {
			switch {
			case len(sb.SubButtons) > 0:
				return errSubButtonType // menus are two levels deep
			case sb.Name == "" || len(sb.Name) > maxSubName:
				return errSubButtonName
			}
			if code := checkAction(sb, true); code != 0 {
				return code
			}
		}
	}
	return 0
}

// checkAction checks what a button does: its type and the field the type
// needs.
func checkAction(b Button, sub bool) int {
	typ, key, link := errButtonType, errButtonKey, errButtonURL
	if sub {
		typ, key, link = errSubButtonType, errSubButtonKey, errSubButtonURL
	}
	switch {
	case keyTypes[b.Type]:
		if b.Key == "" || len(b.Key) > maxKey {
			return key
		}
	case urlTypes[b.Type]:
		if b.URL == "" || len(b.URL) > maxURL {
			return link
		}
	case mediaTypes[b.Type]:
		if b.MediaID == "" {
			return errMediaID
		}
	case articles[b.Type]:
		if b.ArticleID == "" {
			return typ
		}
	default:
		return typ
	}
	return 0
}

// menuHasLocked reports whether the menu has a button of type typ whose
// key (click) or URL (view) is value. Callers hold s.mu.
func (s *Server) menuHasLocked(typ, value string) bool {
	match := func(b Button) bool {
		return b.Type == typ && (typ == "click" && b.Key == value || typ == "view" && b.URL == value)
	}
	for _, b := range s.menu {
		if len(b.SubButtons) == 0 && match(b) || slices.ContainsFunc(b.SubButtons, match) {
			return true
		}
	}
	return false
}
