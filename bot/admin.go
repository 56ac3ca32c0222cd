package bot

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/health"
)

// commandName names the handled update for Observe.
func (c *call) commandName() string {
	switch {
	case c.u.Callback != "":
		return "button"
	case c.kept:
		return "keep"
	case c.p.name == "":
		if c.p.rest == "" {
			return "help"
		}
		return "search"
	}
	cmd, ok := c.commands[c.p.name]
	if !ok {
		cmd, ok = c.commands["/"+c.p.name]
	}
	if !ok {
		return "unknown"
	}
	return strings.TrimPrefix(cmd.names[0], "/")
}

// sources lists each source: its last run, last success, last new
// article, and errors, for admins.
func (c *call) sources(ctx context.Context) []chat.Message {
	if !c.isAdmin() {
		return []chat.Message{say(c.lang.T("admin only"))}
	}
	list, err := c.opts.Articles.Sources(ctx)
	if err != nil {
		return c.fail(err)
	}
	m := msg(heading(bold(c.lang.T("sources title"))))
	if len(list) == 0 {
		m.Blocks = append(m.Blocks, para(text(c.lang.T("sources none"))))
	}
	for _, s := range list {
		line := c.lang.T("sources line", s.Name, when(s.LastRun), when(s.LastSuccess), when(s.LastNew), s.ArticlesNew)
		if s.LastError != "" {
			line += c.lang.T("sources error", s.Errors, truncate(s.LastError, 120))
		}
		m.Blocks = append(m.Blocks, item(text(line)))
	}
	return []chat.Message{m}
}

// health shows the bot's parts, for admins.
func (c *call) health(ctx context.Context) []chat.Message {
	if !c.isAdmin() {
		return []chat.Message{say(c.lang.T("admin only"))}
	}
	if c.opts.Health == nil {
		return []chat.Message{say(c.lang.T("health none"))}
	}
	r := c.opts.Health.Check(ctx)
	title := c.lang.T("health ok")
	if !r.Healthy {
		title = c.lang.T("health bad")
	}
	m := msg(heading(bold(title)))
	for _, p := range r.Parts {
		mark := "✅"
		if !p.OK {
			mark = "❌"
		}
		m.Blocks = append(m.Blocks, item(text(mark+" "+c.lang.T("labelled", c.partName(p.Name), c.partDetail(p)))))
	}
	if o := r.Outbox; o != nil {
		m.Blocks = append(m.Blocks, item(text("✅ "+c.lang.T("labelled", c.lang.T("part outbox"), c.lang.T("health outbox", o.Pending, o.Sent, o.Dead, o.Held)))))
	}
	m.Blocks = append(m.Blocks, c.windowCounts(r.Windows)...)
	return []chat.Message{m}
}

// windowCounts says, for each platform with a conversation window or held
// parts, how many windows are open and closed and what waits for readers.
func (c *call) windowCounts(windows map[string]digest.WindowCounts) []chat.Block {
	var out []chat.Block
	for _, name := range slices.Sorted(maps.Keys(windows)) {
		w := windows[name]
		out = append(out, item(text(c.lang.T("stats window", name, w.Open, w.Closed, w.HeldParts, w.HeldChats))))
	}
	return out
}

// partName names a part of the bot in the admin's language.
func (c *call) partName(name string) string {
	switch {
	case name == "database":
		return c.lang.T("part database")
	case name == "delivery":
		return c.lang.T("part delivery")
	case name == "sources":
		return c.lang.T("part sources")
	case name == "outbox":
		return c.lang.T("part outbox")
	case name == "wechat":
		return c.lang.T("part wechat")
	case strings.HasPrefix(name, "source "):
		return c.lang.T("part source", strings.TrimPrefix(name, "source "))
	}
	return name // telegram, a name of its own
}

// partDetail says a part's state in the admin's language where it is a
// common one; anything else (an error) is shown as the checker wrote it.
func (c *call) partDetail(p health.Part) string {
	switch p.Say {
	case health.SayWritable:
		return c.lang.T("health writable")
	case health.SayDelivering:
		return c.lang.T("health delivering")
	case health.SayLastSuccess:
		if t, ok := p.Args[0].(time.Time); ok {
			return c.lang.T("health last success", when(t))
		}
	case health.SayConnected:
		if t, ok := p.Args[1].(time.Time); ok {
			return c.lang.T("health connected", p.Args[0], when(t))
		}
	}
	return p.Detail
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("01-02 15:04")
}
