package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"wzdaily/bot/console"
	"wzdaily/bot/telegram"
	"wzdaily/bot/wechat"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

func runDigest(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "digest", "preview --chat PLATFORM:ID | run | deadletters", `Digests by hand:

  wzdaily digest preview --chat telegram:12345   what this subscriber would get now (nothing is sent;
                                                 wzdaily subscribers lists the chats)
  wzdaily digest run                             compose every digest that is due into the outbox,
                                                 and say what waits for which platform; serve sends
                                                 them, or, with WZDAILY_WEBHOOK set, this run sends
                                                 the webhook's for at most --within, then says what
                                                 is still pending and why (exit status 1 when any
                                                 part for the webhook is)
  wzdaily digest deadletters                     parts that could not be delivered, newest first
`+webhookContract)
	dbPath := dbFlag(fs, env)
	chatFlag := fs.String("chat", "", "for preview: the subscriber, as platform:chat-id")
	fs.Var(secretFlag{"webhook URL", "WZDAILY_WEBHOOK"}, "webhook", "not a flag: set WZDAILY_WEBHOOK (a secret)")
	within := fs.Duration("within", 5*time.Minute, "run: deliver for at most this long, then stop")
	workers := fs.Int("workers", 8, "webhook: sends in flight at once (a crash can repeat at most this many parts)")
	rate := fs.Float64("rate", 0, "webhook: messages per second at most, 0 for no limit")
	chatInterval := fs.Duration("chat-interval", 0, "webhook: least time between two messages to one chat")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: say preview, run or deadletters", errUsage)
	}
	if *within <= 0 {
		return fmt.Errorf("%w: --within must be more than 0", errUsage)
	}
	hook, err := webhookURL(env)
	if err != nil {
		return err
	}
	// preview and deadletters only read; run writes the outbox, and
	// neither creates nor migrates the database.
	access := db.ReadWrite
	if pos[0] == "preview" || pos[0] == "deadletters" {
		access = db.ReadOnly
	}
	a, err := app.New(ctx, app.Options{Access: access, Settings: app.Settings{DB: *dbPath,
		Webhook: app.WebhookSettings{URL: hook, Workers: *workers, Rate: *rate, ChatInterval: *chatInterval}}})
	if err != nil {
		return err
	}
	defer a.Close()
	switch pos[0] {
	case "preview":
		platform, id, ok := strings.Cut(*chatFlag, ":")
		if !ok {
			return fmt.Errorf("%w: --chat wants platform:id, for example telegram:12345", errUsage)
		}
		sub, err := a.Subscribers.Get(ctx, chat.Key{Platform: platform, ChatID: id})
		if errors.Is(err, subscribers.ErrNotFound) {
			return fmt.Errorf("%w: no subscriber %s (not found): wzdaily subscribers lists them", errUsage, *chatFlag)
		}
		if err != nil {
			return err
		}
		msgs, err := a.Engine.Preview(ctx, sub)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			fmt.Fprintln(env.Stdout, chat.PlainText(m))
			fmt.Fprintln(env.Stdout)
		}
		return nil
	case "run":
		rep, err := a.Engine.RunDue(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "due %d, digests %d, parts %d, empty %d, skipped %d\n", rep.Due, rep.Digests, rep.Parts, rep.Empty, rep.Skipped)
		if hook != "" {
			return sendAll(ctx, env, a, *within)
		}
		_, err = printWaiting(ctx, env.Stdout, a.Outbox, nil)
		return err
	case "deadletters":
		dead, err := a.Outbox.DeadLetters(ctx, 100)
		if err != nil {
			return err
		}
		if len(dead) == 0 {
			fmt.Fprintln(env.Stdout, "No dead letters.")
		}
		for _, d := range dead {
			fmt.Fprintf(env.Stdout, "%s  %s part %d, %d attempts: %s\n", d.Created.Format("2006-01-02 15:04"), d.Chat, d.Part, d.Attempts, d.Error)
		}
		return nil
	}
	return fmt.Errorf("%w: unknown digest command %q", errUsage, pos[0])
}

// printWaiting says what the outbox holds pending: for each platform, how
// many parts and why; for a platform this run does not serve, what sends
// them. It returns how many wait for the served platforms.
func printWaiting(ctx context.Context, w io.Writer, outbox *digest.Outbox, served []string) (int, error) {
	reasons, err := outbox.PendingReasons(ctx, 20)
	if err != nil {
		return 0, err
	}
	mine := 0
	for _, r := range reasons {
		if slices.Contains(served, r.Platform) {
			mine += r.Parts
			fmt.Fprintf(w, "  %d waiting for %s: %s\n", r.Parts, r.Platform, r.Why)
			continue
		}
		fmt.Fprintf(w, "  %d waiting for %s (%s): %s\n", r.Parts, r.Platform, r.Why, whoSends(r.Platform))
	}
	return mine, nil
}

// whoSends says which process delivers a platform's parts.
func whoSends(platform string) string {
	switch platform {
	case telegram.Platform:
		return "wzdaily serve with a Telegram token (TELEGRAM_BOT_TOKEN) sends them"
	case wechat.Platform:
		return "wzdaily serve --wechat sends them"
	case console.Platform:
		return "they are for the terminal chat: wzdaily serve with no platform, or demo --db, shows them"
	case "webhook":
		return "wzdaily digest run or serve with WZDAILY_WEBHOOK set sends them"
	}
	return "no platform of this version sends them"
}
