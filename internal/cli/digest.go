package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
)

func runDigest(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "digest", "preview --chat PLATFORM:ID | run | deadletters", `Digests by hand:

  wzdaily digest preview --chat telegram:12345   what this subscriber would get now (nothing is sent)
  wzdaily digest run                             compose every digest that is due into the outbox;
                                                 serve sends them, or, with WZDAILY_WEBHOOK set,
                                                 this run sends them to the webhook for at most
                                                 --within, then says what is still pending and why
                                                 (exit status 1 when anything is)
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
