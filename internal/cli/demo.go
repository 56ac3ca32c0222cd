package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"wzdaily/articles"
	"wzdaily/bot"
	"wzdaily/bot/console"
	"wzdaily/subscribers"
)

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "", `Starts the bot at once, with no account and no network: a fresh database (in a
temporary folder unless --db is given) holding the real posts built into the program, and
a chat in this terminal. Type 帮助 or /help for the commands; buttons show as numbered
choices that you type. It works in a pipe too: one message a line.`)
	dbPath := fs.String("db", "", "keep the demo database in this file instead of a temporary one")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	path := *dbPath
	if path == "" {
		dir, err := os.MkdirTemp("", "wzdaily-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	}
	conn, store, err := openStore(ctx, path, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	rep, err := store.Ingest(ctx, sampleSource(DefaultSite), articles.IngestOptions{})
	if err != nil {
		return err
	}
	interactive := isTerminal(env.Stdout) && isReaderTerminal(env.Stdin)
	if interactive {
		printReport(env.Stdout, rep)
		fmt.Fprintln(env.Stdout, "\nA chat with the bot. Try: 订阅 工业 · 搜索 梧州 · /list · 帮助 · quit to leave.")
	}
	chat := &console.Console{In: env.Stdin, Out: env.Stdout, Name: "demo", Prompt: interactive}
	b := bot.New(bot.Options{
		Articles:    store,
		Subscribers: subscribers.NewStore(conn, time.Now),
		Admins:      []string{chat.Key().String()},
	})
	chat.Handler = b
	return chat.Run(ctx)
}
