package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/bot/console"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/subscribers"
)

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "", `Starts the bot at once, with no account and no network: a fresh database (in a
temporary folder unless --db is given) holding the real posts built into the program, and
a chat in this terminal. Type 帮助 or /help for the commands; buttons show as numbered
choices that you type. It works in a pipe too: one message a line. Digests come into the
chat at your delivery time (/time), or at once with 今日摘要.`)
	dbPath := fs.String("db", "", "keep the demo database in this file instead of a temporary one")
	webAddr := fs.String("web", "", "serve the reader's web on this address too (e.g. 127.0.0.1:8080); the chat's links then open its pages")
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
	interactive := isTerminal(env.Stdout) && isTerminal(env.Stdin)
	chat := &console.Console{In: env.Stdin, Out: env.Stdout, Name: "demo", Prompt: interactive}
	// The demo delivers only to its own chat, and only from a database no
	// other process delivers from: a live bot's outbox is not its to touch,
	// nor its articles to fill with the sample.
	lock, err := digest.AcquireLock(path)
	live := errors.Is(err, digest.ErrLocked)
	if err != nil && !live {
		return err
	}
	if lock != nil {
		defer lock.Release()
	}
	o := app.Options{Settings: app.Settings{DB: path}, Console: chat}
	var ln net.Listener
	if *webAddr != "" {
		if ln, err = net.Listen("tcp", *webAddr); err != nil {
			return fmt.Errorf("demo: the reader's web: %w", err)
		}
		defer ln.Close()
		o.Settings.Web = app.WebSettings{Listen: ln.Addr().String(), BaseURL: "http://" + ln.Addr().String()}
	}
	if live {
		// The chat talks to the bot, but is no platform to deliver to.
		o = app.Options{Settings: app.Settings{DB: path, Admins: []string{chat.Key().String()}, Web: o.Settings.Web}}
		fmt.Fprintf(env.Stdout, "Another process delivers from %s: this demo chats on its articles and subscribers, "+
			"but delivers no digests and adds no sample articles.\n", path)
	}
	a, err := app.New(ctx, o)
	if err != nil {
		return err
	}
	defer a.Close()
	if !live {
		rep, err := a.Articles.Ingest(ctx, sampleSource(DefaultSite), articles.IngestOptions{})
		if err != nil {
			return err
		}
		if interactive {
			printReport(env.Stdout, rep)
		}
		if err := describeSample(ctx, env.Stdout, a.Articles); err != nil {
			return err
		}
	}
	if ln != nil {
		fmt.Fprintf(env.Stdout, "The reader's web: %s/\n", o.Settings.Web.BaseURL)
	}
	if interactive {
		fmt.Fprintln(env.Stdout, "\nA chat with the bot. Try: 订阅 工业 · 搜索 梧州 · /list · 今日摘要 · 帮助 · quit to leave.")
	}
	bg, stop := context.WithCancel(ctx)
	defer stop()
	if ln != nil {
		defer a.ServeWeb(bg, ln)()
		defer stop()
	}
	if live {
		chat.Handler = a.Bot
		return chat.Run(ctx)
	}
	wait := a.Background(bg, 30*time.Second)
	err = chat.Run(ctx)
	stop()
	wait()
	return err
}

// describeSample says first what the demo's articles are, so that nobody
// takes the sample's digests for 梧州日报's: the sample is real posts of
// the site as they were, most of them another paper's wire flashes.
func describeSample(ctx context.Context, w io.Writer, store *articles.Store) error {
	tags, err := store.Tags(ctx)
	if err != nil {
		return err
	}
	st, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	var papers []string
	var top articles.TagCount
	home := 0
	for _, t := range tags { // the most used first
		if t.Topic {
			continue
		}
		papers = append(papers, fmt.Sprintf("%d %s", t.Count, t.Tag))
		if top.Tag == "" {
			top = t
		}
		if t.Tag == subscribers.DefaultTag {
			home = t.Count
		}
	}
	fmt.Fprintf(w, "The sample: %d real posts copied unchanged from finews.withounder.com (%s).\n", st.Articles, strings.Join(papers, ", "))
	if top.Tag != subscribers.DefaultTag {
		fmt.Fprintf(w, "Most (%d) are wire flashes of %s and %d from %s, so digests here are mostly wire news;\n"+
			"a running bot reads %s's own category.\n", top.Count, top.Tag, home, articles.HomePaper, articles.HomePaper)
	}
	return nil
}
