package fakeoa

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/officialaccount/menu"
	"github.com/silenceper/wechat/v2/util"
)

// theMenu is the bot's default menu, built with silenceper's Button.
func theMenu() []*menu.Button {
	return []*menu.Button{
		new(menu.Button).SetClickButton("今日摘要", "DIGEST"),
		new(menu.Button).SetClickButton("搜索", "SEARCH"),
		new(menu.Button).SetSubButton("我的", []*menu.Button{
			new(menu.Button).SetClickButton("我的订阅", "MINE"),
			new(menu.Button).SetViewButton("梧州日报", "https://finews.withounder.com/"),
		}),
	}
}

// setMenu installs theMenu through the API.
func setMenu(t *testing.T, s *Server) {
	t.Helper()
	ce := apiCall(t, s, http.MethodPost, "/cgi-bin/menu/create", getToken(t, s), map[string]any{"button": theMenu()})
	if ce.ErrCode != 0 {
		t.Fatalf("menu/create: %d %s", ce.ErrCode, ce.ErrMsg)
	}
}

func TestMenuRoundTripsThroughTheLibrary(t *testing.T) {
	s, _ := start(t, Options{})
	token := getToken(t, s)
	if ce := apiCall(t, s, http.MethodGet, "/cgi-bin/menu/get", token, nil); ce.ErrCode != errMenuNone {
		t.Errorf("menu/get with no menu: %d, want 46003", ce.ErrCode)
	}
	setMenu(t, s)
	if got, ok := s.Menu(); !ok || len(got) != 3 || got[2].SubButtons[1].URL != "https://finews.withounder.com/" {
		t.Errorf("Menu() = %+v, %v", got, ok)
	}

	raw, err := util.HTTPGetContext(context.Background(), s.URL()+"/cgi-bin/menu/get?access_token="+token)
	if err != nil {
		t.Fatal(err)
	}
	var res menu.ResMenu
	if err := json.Unmarshal(raw, &res); err != nil || res.ErrCode != 0 {
		t.Fatalf("menu/get = %s, %v", raw, err)
	}
	if b := res.Menu.Button; len(b) != 3 || b[0].Key != "DIGEST" || b[2].Name != "我的" || b[2].SubButtons[0].Key != "MINE" {
		t.Errorf("menu/get read back %+v", b)
	}

	raw, err = util.HTTPGetContext(context.Background(), s.URL()+"/cgi-bin/get_current_selfmenu_info?access_token="+token)
	if err != nil {
		t.Fatal(err)
	}
	var info menu.ResSelfMenuInfo
	if err := json.Unmarshal(raw, &info); err != nil {
		t.Fatalf("selfmenu = %s: %v", raw, err)
	}
	if b := info.SelfMenuInfo.Button; info.IsMenuOpen != 1 || len(b) != 3 || b[2].SubButton.List[1].URL != "https://finews.withounder.com/" {
		t.Errorf("selfmenu read back %s", raw)
	}

	if ce := apiCall(t, s, http.MethodGet, "/cgi-bin/menu/delete", token, nil); ce.ErrCode != 0 {
		t.Errorf("menu/delete: %d", ce.ErrCode)
	}
	if _, ok := s.Menu(); ok {
		t.Error("a menu is left after menu/delete")
	}
	if ce := apiCall(t, s, http.MethodGet, "/cgi-bin/menu/get", token, nil); ce.ErrCode != errMenuNone {
		t.Errorf("menu/get after delete: %d, want 46003", ce.ErrCode)
	}
}

func TestMenuLimits(t *testing.T) {
	click := func(name, key string) menu.Button { return menu.Button{Type: "click", Name: name, Key: key} }
	sub := func(subs ...menu.Button) menu.Button {
		b := menu.Button{Name: "更多"}
		for i := range subs {
			b.SubButtons = append(b.SubButtons, &subs[i])
		}
		return b
	}
	cases := map[string]struct {
		buttons []menu.Button
		want    int
	}{
		"one button":                      {[]menu.Button{click("摘要", "D")}, 0},
		"no button":                       {nil, errButtonSize},
		"four buttons":                    {[]menu.Button{click("a", "a"), click("b", "b"), click("c", "c"), click("d", "d")}, errButtonSize},
		"a name of 16 bytes":              {[]menu.Button{click(strings.Repeat("x", 16), "D")}, 0},
		"a name of 17 bytes":              {[]menu.Button{click("今日摘要新闻x", "D")}, errButtonName},
		"a key of 128 bytes":              {[]menu.Button{click("a", strings.Repeat("k", 128))}, 0},
		"a key of 129 bytes":              {[]menu.Button{click("a", strings.Repeat("k", 129))}, errButtonKey},
		"a click without key":             {[]menu.Button{click("a", "")}, errButtonKey},
		"a link of 1,024 bytes":           {[]menu.Button{{Type: "view", Name: "a", URL: "https://x/" + strings.Repeat("p", 1014)}}, 0},
		"a link of 1,025 bytes":           {[]menu.Button{{Type: "view", Name: "a", URL: "https://x/" + strings.Repeat("p", 1015)}}, errButtonURL},
		"an unknown type":                 {[]menu.Button{{Type: "tap", Name: "a", Key: "k"}}, errButtonType},
		"five sub-buttons":                {[]menu.Button{sub(click("1", "1"), click("2", "2"), click("3", "3"), click("4", "4"), click("5", "5"))}, 0},
		"six sub-buttons":                 {[]menu.Button{sub(click("1", "1"), click("2", "2"), click("3", "3"), click("4", "4"), click("5", "5"), click("6", "6"))}, errSubButtonSize},
		"a sub-button name of 60 bytes":   {[]menu.Button{sub(click(strings.Repeat("梧", 20), "1"))}, 0},
		"a sub-button name of 61 bytes":   {[]menu.Button{sub(click(strings.Repeat("梧", 20)+"x", "1"))}, errSubButtonName},
		"a sub-button key of 129 bytes":   {[]menu.Button{sub(click("1", strings.Repeat("k", 129)))}, errSubButtonKey},
		"a sub-button link without URL":   {[]menu.Button{sub(menu.Button{Type: "view", Name: "1"})}, errSubButtonURL},
		"a sub-button with sub-buttons":   {[]menu.Button{sub(sub(click("1", "1")))}, errSubButtonType},
		"a media button without media id": {[]menu.Button{{Type: "media_id", Name: "a"}}, errMediaID},
	}
	s, _ := start(t, Options{})
	token := getToken(t, s)
	for name, tc := range cases {
		ce := apiCall(t, s, http.MethodPost, "/cgi-bin/menu/create", token, map[string]any{"button": tc.buttons})
		if int(ce.ErrCode) != tc.want {
			t.Errorf("%s: errcode %d %q, want %d", name, ce.ErrCode, ce.ErrMsg, tc.want)
		}
	}
	if ce := apiCall(t, s, http.MethodPost, "/cgi-bin/menu/create", token, "not a menu"); ce.ErrCode != errDataFormat {
		t.Errorf("a menu that is a string: %d, want 47001", ce.ErrCode)
	}
}
