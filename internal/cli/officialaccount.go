package cli

import (
	"context"
	"fmt"
	"strings"

	"wzdaily/bot"
	"wzdaily/bot/officialaccount"
)

const officialAccountAbout = `Sets up the WeChat Official Account (公众号):

  wzdaily officialaccount menu    install the account's menu: 今日摘要 · 搜索 · 我的订阅, each
                                  button sending its command to the bot as if typed

It reads the account's settings as serve does (WECHAT_OA_APP_ID, WECHAT_OA_APP_SECRET,
WECHAT_OA_TOKEN, or the config file). WeChat clients show a new menu within minutes;
following the account again shows it at once.`

func runOfficialAccount(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintln(env.Stderr, "Usage: wzdaily officialaccount menu [flags]\n\n"+officialAccountAbout)
			return nil
		}
		return fmt.Errorf("%w: say menu", errUsage)
	}
	if args[0] != "menu" {
		return fmt.Errorf("%w: unknown subcommand %q; say menu", errUsage, args[0])
	}
	cfg, err := loadConfig(env, "officialaccount menu", officialAccountAbout, args[1:])
	if err != nil {
		return err
	}
	s := settings(cfg).OfficialAccount
	if s.AppID == "" {
		return fmt.Errorf("%w: set the account's AppID (WECHAT_OA_APP_ID), AppSecret and server token first", errUsage)
	}
	tr, err := officialaccount.New(officialaccount.Options{AppID: s.AppID, AppSecret: s.AppSecret, Token: s.Token,
		EncodingAESKey: s.AESKey, API: s.API})
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	var buttons []officialaccount.MenuButton
	var labels []string
	for _, m := range bot.Menu("zh") {
		buttons = append(buttons, officialaccount.MenuButton{Label: m.Label, Command: m.Command})
		labels = append(labels, m.Label)
	}
	if err := tr.InstallMenu(ctx, buttons); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "The menu of %s is %s.\n", s.AppID, strings.Join(labels, " · "))
	return nil
}
