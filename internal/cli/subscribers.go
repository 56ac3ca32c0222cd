package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode"

	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

func runSubscribers(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "subscribers", "", `Lists every chat that follows the paper: its platform and chat (as digest preview
--chat takes it), kind, state, tags and when its next digest is due, in its own time zone.`)
	dbPath := dbFlag(fs, env)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	conn, err := app.Open(ctx, *dbPath, db.ReadOnly)
	if err != nil {
		return err
	}
	defer conn.Close()
	subs, err := subscribers.NewStore(conn, subscribers.Options{}).List(ctx)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		fmt.Fprintln(env.Stdout, "No subscribers yet: a chat becomes one when it sends 开始 (/start) or 订阅 (/sub).")
		return nil
	}
	due, err := digest.NewOutbox(conn).NextDue(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PLATFORM\tCHAT\tKIND\tSTATE\tNEXT DIGEST\tTAGS")
	for _, s := range subs {
		next := "-"
		if at, ok := due[s.ID]; ok {
			next = at.In(digest.ZoneOf(s)).Format("2006-01-02 15:04") + " " + s.Zone
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Key.Platform, cell(s.Key.String()), s.Kind, s.State, next, strings.Join(s.Tags, ","))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\nSubscribers: %d. A digest by hand: wzdaily digest preview --chat %s\n", len(subs), subs[0].Key)
	return nil
}

// cell keeps a value on its line and in its column: a WeChat group's name,
// which keys its chat, may hold tabs or line breaks.
func cell(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
