package bot

import (
	"context"
	"time"

	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/subscribers"
)

// A platform with a conversation window (WeChat's Official Account) lets
// the bot write to a reader only for a while after the reader last wrote.
// Each digest there ends by inviting a one-word reply, digest.KeepWord,
// which the reader may send to keep the window open; the bot answers it
// with when the next digest comes.

// keepsWindow reports whether the update is that reply: a subscriber on a
// platform with a window sent the word alone. A transport that offers
// numbered choices turns a number into the choice's button while one is
// pending, so a bare 1 reaching the bot is this reply; a digest offers no
// numbered choice (its buttons are words).
func (c *call) keepsWindow() bool {
	c.kept = c.sub != nil && c.p.rest == digest.KeepWord && c.opts.Delivery != nil && c.opts.Delivery.WindowOf(c.u.Chat.Platform) != nil
	return c.kept
}

// keepWindow confirms the reply, naming when the next digest comes.
func (c *call) keepWindow() chat.Message {
	if c.sub.State != subscribers.Active {
		return say(c.lang.T("kept paused"))
	}
	return say(c.lang.T("kept", c.next(c.sub), zoneName(c.sub.Zone, c.lang)))
}

// windowLines tell a reader on a platform with a window until when the bot
// may write, and a reader anywhere how many digests wait for them to write
// (the platform said the window was closed).
func (c *call) windowLines(ctx context.Context) ([]chat.Block, error) {
	if c.opts.Delivery == nil {
		return nil, nil
	}
	rw, err := c.opts.Delivery.ReaderWindow(ctx, c.sub)
	if err != nil {
		return nil, err
	}
	var out []chat.Block
	if rw.Windowed {
		line := c.lang.T("list window closed")
		if rw.Open {
			line = c.lang.T("list window open", c.at(rw.Until))
			if rw.Left > 0 {
				line = c.lang.T("list window open count", c.at(rw.Until), rw.Left)
			}
		}
		out = append(out, item(text(line)))
	}
	if rw.HeldDigests > 0 {
		out = append(out, item(text(c.lang.T("list held", rw.HeldDigests))))
	}
	return out, nil
}

// at says a time as the reader would: 明天 07:30, in the reader's zone.
func (c *call) at(t time.Time) string {
	loc := digest.ZoneOf(c.sub)
	t = t.In(loc)
	return c.day(c.opts.Now().In(loc), t) + " " + t.Format("15:04")
}
