package officialaccount

import (
	"context"
	"fmt"

	"github.com/silenceper/wechat/v2/officialaccount/menu"
)

// MenuButton is one button of the account's menu: its label, and the
// command a click sends the bot as if typed.
type MenuButton struct {
	Label, Command string
}

// The menu's limits (Custom_Menus/Creating_Custom-Defined_Menu.html:
// 一级菜单数组，个数应为1~3个 … 菜单标题，不超过16个字节 … 菜单KEY值，用于消息
// 接口推送，不超过128字节).
const (
	maxMenuButtons = 3
	maxMenuLabel   = 16
	maxMenuKey     = 128
)

// InstallMenu replaces the account's menu with one click button for each
// entry. WeChat clients fetch a new menu within minutes; following the
// account again shows it at once.
func (t *Transport) InstallMenu(ctx context.Context, buttons []MenuButton) error {
	if len(buttons) == 0 || len(buttons) > maxMenuButtons {
		return fmt.Errorf("officialaccount: a menu has 1 to %d buttons, not %d", maxMenuButtons, len(buttons))
	}
	var out []*menu.Button
	for _, b := range buttons {
		if b.Label == "" || len(b.Label) > maxMenuLabel {
			return fmt.Errorf("officialaccount: a menu label has 1 to %d bytes (5 Chinese characters): %q", maxMenuLabel, b.Label)
		}
		if b.Command == "" || len(b.Command) > maxMenuKey {
			return fmt.Errorf("officialaccount: a menu command has 1 to %d bytes: %q", maxMenuKey, b.Command)
		}
		out = append(out, menu.NewClickButton(b.Label, b.Command))
	}
	body := struct {
		Button []*menu.Button `json:"button"`
	}{out}
	if err := t.post(ctx, "installing the menu", "/cgi-bin/menu/create", body); err != nil {
		return err
	}
	return nil
}
