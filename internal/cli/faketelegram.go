package cli

import (
	"context"
	"fmt"

	"wzdaily/internal/faketelegram"
)

func runFakeTelegram(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "fake-telegram", "", `Runs a fake Telegram Bot API on this machine and lets you chat with the bot
through it, as one user, in this terminal: a try of the Telegram bot with no account.
In another terminal, point serve at it:

  TELEGRAM_BOT_TOKEN=123456:fake wzdaily serve --telegram-api http://127.0.0.1:8081

then type here: 开始, 订阅 工业, 搜索 西江, !press 1 (a button), !inline 西江.
The fake keeps Telegram's limits (30 messages a second, 1 a second per chat, 20 a
minute per group) and refuses bad HTML as Telegram does.`)
	addr := fs.String("addr", "127.0.0.1:8081", "where to listen")
	token := fs.String("token", "123456:fake", "the only bot token the fake accepts")
	name := fs.String("name", "小梧", "your name in the chat")
	lang := fs.String("lang", "zh-hans", "your Telegram client's language (en for English)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	srv := faketelegram.New(faketelegram.Options{Token: *token})
	base, stop, err := faketelegram.Listen(ctx, *addr, srv)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(env.Stdout, "Fake Telegram Bot API at %s (token %q).\n", base, *token)
	return faketelegram.Console(ctx, srv, env.Stdin, env.Stdout, faketelegram.User{ID: 1001, FirstName: *name, LanguageCode: *lang})
}
