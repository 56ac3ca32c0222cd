package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"wzdaily/internal/fakecmd"
	"wzdaily/internal/faketelegram"
)

const consoleHelp = `Type a message to send it to the bot. Commands:
  !press N      press button N of the latest message with buttons
  !inline TEXT  make an inline query and show the results
  !block        block the bot (!unblock to undo)
  !help         show this help`

// console lets a person chat with the bot by hand, as user, in user's
// private chat: each line read from in is a message to the bot, or one of
// the commands in consoleHelp. Everything the bot sends to that chat is
// printed to out as its visible text, with its buttons numbered as
// "[1] label  [2] label". It returns nil when ctx ends or in reaches EOF.
func runConsole(ctx context.Context, srv *faketelegram.Server, in io.Reader, out io.Writer, user faketelegram.User) error {
	user = srv.AddUser(user) // with the name AddUser made up, if any
	c := &console{
		srv:       srv,
		out:       out,
		user:      user.ID,
		printed:   map[int]int{},
		callbacks: map[string]bool{},
		inlines:   map[string]string{},
	}
	c.printf("Chatting with @%s as %s (id %d).\n%s\n", srv.Bot().Username, user.FirstName, user.ID, consoleHelp)

	lines, readErr := fakecmd.Lines(ctx, in)
	for {
		changed := c.flush()
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				c.flush()
				if err := readErr(); err != nil {
					return fmt.Errorf("fake-telegram: unable to read console input: %w", err)
				}
				return nil
			}
			c.handle(line)
		case <-changed:
		}
	}
}

type console struct {
	srv       *faketelegram.Server
	out       io.Writer
	user      int64
	printed   map[int]int // message id → edits already printed
	answers   int         // answers already looked at
	callbacks map[string]bool
	inlines   map[string]string // query id → query text
}

func (c *console) printf(format string, args ...any) {
	// Output to a terminal; a failed write has nowhere better to go.
	_, _ = fmt.Fprintf(c.out, format, args...)
}

// flush prints what the bot did since the last flush and returns a
// channel that is closed on the next change.
func (c *console) flush() <-chan struct{} {
	changed := c.srv.Changed() // first, so that no change is missed
	sent := c.srv.Sent(c.user)
	all := c.srv.Answers()
	answers := all[min(c.answers, len(all)):]
	c.answers = len(all)

	for _, m := range sent {
		edits, seen := c.printed[m.ID]
		switch {
		case !seen:
			c.printMessage("bot", m)
		case m.Edits > edits:
			c.printMessage(fmt.Sprintf("bot (edited message %d)", m.ID), m)
		}
		c.printed[m.ID] = m.Edits
	}
	for _, a := range answers {
		switch {
		case c.callbacks[a.QueryID] && a.Text != "":
			kind := "notice"
			if a.ShowAlert {
				kind = "alert"
			}
			c.printf("bot (%s): %s\n", kind, a.Text)
		case a.Method == "answerInlineQuery" && c.hasInline(a.QueryID):
			c.printf("inline results for %q:\n", c.inlines[a.QueryID])
			if len(a.Results) == 0 {
				c.printf("  (none)\n")
			}
			for i, r := range a.Results {
				c.printf("  %d. %s\n", i+1, r.Title)
			}
		}
	}
	return changed
}

func (c *console) hasInline(id string) bool {
	_, ok := c.inlines[id]
	return ok
}

func (c *console) printMessage(who string, m faketelegram.Sent) {
	text := strings.ReplaceAll(m.Plain, "\n", "\n    ")
	c.printf("%s:\n    %s\n", who, text)
	if buttons := m.Markup.Buttons(); len(buttons) > 0 {
		labels := make([]string, len(buttons))
		for i, b := range buttons {
			labels[i] = fmt.Sprintf("[%d] %s", i+1, b.Text)
		}
		c.printf("    %s\n", strings.Join(labels, "  "))
	}
}

func (c *console) handle(line string) {
	line = strings.TrimRight(line, "\r")
	cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	switch {
	case strings.TrimSpace(line) == "":
	case !strings.HasPrefix(line, "!"):
		c.srv.UserSays(c.user, c.user, line)
	case cmd == "!press":
		c.press(strings.TrimSpace(arg))
	case cmd == "!inline":
		id := c.srv.InlineQuery(c.user, strings.TrimSpace(arg), "")
		c.inlines[id] = strings.TrimSpace(arg)
	case cmd == "!block":
		c.srv.BlockBot(c.user)
		c.printf("(you blocked the bot)\n")
	case cmd == "!unblock":
		c.srv.UnblockBot(c.user)
		c.printf("(you unblocked the bot)\n")
	default:
		c.printf("%s\n", consoleHelp)
	}
}

// press presses button n (counted from 1 across rows) of the latest
// message that has buttons.
func (c *console) press(arg string) {
	n, err := strconv.Atoi(arg)
	if err != nil {
		c.printf("(usage: !press N)\n")
		return
	}
	sent := c.srv.Sent(c.user)
	for i := len(sent) - 1; i >= 0; i-- {
		m := sent[i]
		buttons := m.Markup.Buttons()
		if len(buttons) == 0 {
			continue
		}
		if n < 1 || n > len(buttons) {
			c.printf("(the latest message with buttons has %d buttons)\n", len(buttons))
			return
		}
		b := buttons[n-1]
		switch {
		case b.CallbackData != "":
			id := c.srv.Press(c.user, m.ID, c.user, b.CallbackData)
			c.callbacks[id] = true
		case b.URL != "":
			c.printf("(button %d opens %s)\n", n, b.URL)
		default:
			c.printf("(button %d has no callback data)\n", n)
		}
		return
	}
	c.printf("(no message with buttons yet)\n")
}
