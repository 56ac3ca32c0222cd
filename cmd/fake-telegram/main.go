// Command fake-telegram runs a fake of the Telegram Bot API on this
// machine and lets you chat with the bot through it, as one user, in the
// terminal: a try of the Telegram bot with no account. It is a command of
// its own so that the wzdaily binary links no test double.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"wzdaily/internal/fakecmd"
	"wzdaily/internal/faketelegram"
)

const about = `Runs a fake Telegram Bot API on this machine and lets you chat with the bot
through it, as one user, in this terminal: a try of the Telegram bot with no account.
In another terminal, point serve at it:

  TELEGRAM_BOT_TOKEN=123456:fake go run -tags sqlite_fts5 . serve --telegram-api http://127.0.0.1:8081

then type here: 开始, 订阅 工业, 搜索 西江, !press 1 (a button), !inline 西江.
The fake keeps Telegram's limits (30 messages a second, 1 a second per chat, 20 a
minute per group) and refuses bad HTML as Telegram does.`

func main() { fakecmd.Main("fake-telegram", run) }

// run serves the fake until ctx ends or stdin does.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := fakecmd.Flags("fake-telegram", about, stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "where to listen")
	token := fs.String("token", "123456:fake", "the only bot token the fake accepts")
	name := fs.String("name", "小梧", "your name in the chat")
	lang := fs.String("lang", "zh-hans", "your Telegram client's language (en for English)")
	if err := fakecmd.Parse(fs, args); err != nil {
		return err
	}
	if *token == "" {
		return errors.New("--token must not be empty")
	}
	srv := faketelegram.New(faketelegram.Options{Token: *token})
	base, stopServer, err := faketelegram.Listen(ctx, *addr, srv)
	if err != nil {
		return err
	}
	defer stopServer()
	fmt.Fprintf(stdout, "Fake Telegram Bot API at %s (token %q).\n", base, *token)
	return runConsole(ctx, srv, stdin, stdout, faketelegram.User{ID: 1001, FirstName: *name, LanguageCode: *lang})
}
