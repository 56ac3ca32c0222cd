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
	fs := newFlags(env, "digest", "preview --chat PLATFORM:ID | run | heard --chat PLATFORM:ID | deadletters", `Digests by hand:

  wzdaily digest preview --chat telegram:12345   what this subscriber would get now (nothing is sent;
                                                 wzdaily subscribers lists the chats)
  wzdaily digest run                             compose every digest that is due into the outbox,
                                                 and say what waits for which platform; serve sends
                                                 them, or, with WZDAILY_WEBHOOK set, this run sends
                                                 the webhook's for at most --within, then says what
                                                 is still pending and why (exit status 1 when any
                                                 part for the webhook is)
  wzdaily digest heard --chat webhook:42         this chat's reader wrote, for a webhook with a
                                                 conversation window (--window): its window opens,
                                                 and the digests held for it are merged into one,
                                                 which the process that delivers the webhook sends
  wzdaily digest deadletters                     parts that could not be delivered, newest first
`+webhookContract)
	dbPath := dbFlag(fs, env)
	chatFlag := fs.String("chat", "", "for preview and heard: the subscriber, as platform:chat-id")
	fs.Var(secretFlag{"webhook URL", "WZDAILY_WEBHOOK"}, "webhook", "not a flag: set WZDAILY_WEBHOOK (a secret)")
	within := fs.Duration("within", 5*time.Minute, "run: deliver for at most this long, then stop")
	workers := fs.Int("workers", 8, "webhook: sends in flight at once (a crash can repeat at most this many parts)")
	rate := fs.Float64("rate", 0, "webhook: messages per second at most, 0 for no limit")
	chatInterval := fs.Duration("chat-interval", 0, "webhook: least time between two messages to one chat")
	window := fs.Duration("window", 0, "webhook: the receiver's conversation window; parts for a chat whose reader has not written within it are held (0: none)")
	windowMessages := fs.Int("window-messages", 0, "webhook: with --window, messages a chat may get per message of its reader (0: no count)")
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
	if *window < 0 || *windowMessages < 0 {
		return fmt.Errorf("%w: --window and --window-messages must not be negative", errUsage)
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
		Webhook: app.WebhookSettings{URL: hook, Workers: *workers, Rate: *rate, ChatInterval: *chatInterval, Window: *window,
			WindowMessages: *windowMessages}}})
	if err != nil {
		return err
	}
	defer a.Close()
	switch pos[0] {
	case "preview":
		sub, err := chatOf(ctx, a, *chatFlag)
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
	case "heard":
		sub, err := chatOf(ctx, a, *chatFlag)
		if err != nil {
			return err
		}
		if a.Deliverer.WindowOf(sub.Key.Platform) == nil {
			return fmt.Errorf("%w: %s has no conversation window here: for the webhook, set WZDAILY_WEBHOOK and give --window as serve has it", errUsage, sub.Key)
		}
		parts, err := a.Deliverer.Wrote(ctx, sub)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s wrote: %d parts of held digests released\n", sub.Key, parts)
		return nil
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

// chatOf is the subscriber --chat names.
func chatOf(ctx context.Context, a *app.App, key string) (*subscribers.Subscriber, error) {
	platform, id, ok := strings.Cut(key, ":")
	if !ok {
		return nil, fmt.Errorf("%w: --chat wants platform:id, for example telegram:12345", errUsage)
	}
	sub, err := a.Subscribers.Get(ctx, chat.Key{Platform: platform, ChatID: id})
	if errors.Is(err, subscribers.ErrNotFound) {
		return nil, fmt.Errorf("%w: no subscriber %s (not found): wzdaily subscribers lists them", errUsage, key)
	}
	return sub, err
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
