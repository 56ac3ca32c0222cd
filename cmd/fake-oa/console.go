package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"wzdaily/internal/fakecmd"
	"wzdaily/internal/fakeoa"
)

const consoleHelp = `Type a message to send it to the bot as a follower. Commands:
  !follow       follow the account (the bot's welcome comes back)
  !unfollow     stop following it
  !menu         show the menu the bot installed, its buttons numbered
  !click N      press button N of the menu (!click KEY works too)
  !verify       check the server URL as WeChat does when it is configured
  !expire       end every access token now, as 7,200 s would
  !help         show this help`

// console prints to out from the actions and from the goroutine that
// waits for customer-service messages.
type console struct {
	srv    *fakeoa.Server
	openID string
	mu     sync.Mutex
	out    io.Writer
}

func (c *console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, format, args...)
}

// runConsole lets a person act as the follower openID: each line read from
// in is a message to the bot, or one of the commands in consoleHelp. The
// passive reply of each push is printed when the push ends, and every
// customer-service message as it comes. It returns when ctx ends or in
// does.
func runConsole(ctx context.Context, srv *fakeoa.Server, in io.Reader, out io.Writer, openID string) error {
	c := &console{srv: srv, openID: openID, out: out}
	c.printf("%s\n", consoleHelp)
	var wg sync.WaitGroup
	defer wg.Wait() // after cancel, which ends printLater
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() { c.printLater(ctx) })

	lines, readErr := fakecmd.Lines(ctx, in)
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := readErr(); err != nil {
					return fmt.Errorf("unable to read console input: %w", err)
				}
				return nil
			}
			if err := c.handle(ctx, strings.TrimSpace(line)); err != nil {
				c.printf("fake-oa: %v\n", err)
			}
		}
	}
}

func (c *console) handle(ctx context.Context, line string) error {
	var (
		p   fakeoa.Push
		err error
	)
	switch {
	case line == "":
		return nil
	case line == "!help":
		c.printf("%s\n", consoleHelp)
		return nil
	case line == "!menu":
		c.printMenu()
		return nil
	case line == "!verify":
		if err := c.srv.Verify(ctx); err != nil {
			return err
		}
		c.printf("WeChat: the server URL answered the check.\n")
		return nil
	case line == "!expire":
		c.srv.ExpireTokens()
		c.printf("WeChat: every access token has expired.\n")
		return nil
	case line == "!follow":
		p, err = c.srv.Follow(ctx, c.openID)
	case line == "!unfollow":
		p, err = c.srv.Unfollow(ctx, c.openID)
	case strings.HasPrefix(line, "!click "):
		key, kerr := c.clickKey(strings.TrimSpace(strings.TrimPrefix(line, "!click ")))
		if kerr != nil {
			return kerr
		}
		p, err = c.srv.Click(ctx, c.openID, key)
	case strings.HasPrefix(line, "!"):
		return fmt.Errorf("unknown command %q (!help lists them)", line)
	default:
		p, err = c.srv.Say(ctx, c.openID, line)
	}
	if err != nil {
		return err
	}
	c.printPush(p)
	return nil
}

// printPush shows what the follower saw of a push, and how it went when
// WeChat had to retry or refused the answer.
func (c *console) printPush(p fakeoa.Push) {
	if p.Retried() {
		c.printf("(WeChat pushed this %d times: the bot did not answer within the deadline)\n", len(p.Attempts))
	}
	switch p.Outcome {
	case fakeoa.Replied:
		if p.Kind == fakeoa.KindUnsubscribe {
			return // nobody sees it
		}
		if p.ReplyType != "text" {
			c.printf("bot: [%s]\n\n", p.ReplyType)
			return
		}
		c.printf("bot:\n%s\n\n", indent(p.Reply))
	case fakeoa.TimedOut, fakeoa.Invalid, fakeoa.Refused:
		if p.Problem != "" {
			c.printf("(WeChat refused the answer: %s)\n", p.Problem)
		}
		if p.Kind != fakeoa.KindUnsubscribe {
			c.printf("WeChat: %s\n\n", fakeoa.Notice)
		}
	}
}

// printLater prints customer-service messages as they come, until ctx
// ends.
func (c *console) printLater(ctx context.Context) {
	for {
		m, err := c.srv.WaitMessage(ctx, c.openID)
		if err != nil {
			return
		}
		c.printf("bot (customer-service message):\n%s\n\n", indent(m.Text))
	}
}

// clickable are the menu's click buttons, in the order shown.
func (c *console) clickable() []fakeoa.Button {
	menu, _ := c.srv.Menu()
	var out []fakeoa.Button
	for _, b := range menu {
		for _, x := range append([]fakeoa.Button{b}, b.SubButtons...) {
			if x.Type == "click" {
				out = append(out, x)
			}
		}
	}
	return out
}

func (c *console) printMenu() {
	buttons := c.clickable()
	if len(buttons) == 0 {
		c.printf("The bot has installed no menu with buttons to press.\n")
		return
	}
	var b strings.Builder
	for i, x := range buttons {
		fmt.Fprintf(&b, "  [%d] %s (%s)\n", i+1, x.Name, x.Key)
	}
	c.printf("Menu:\n%s", b.String())
}

// clickKey reads "!click N" or "!click KEY".
func (c *console) clickKey(arg string) (string, error) {
	buttons := c.clickable()
	if n, err := strconv.Atoi(arg); err == nil {
		if n < 1 || n > len(buttons) {
			return "", fmt.Errorf("no button %d: the menu has %d (!menu shows them)", n, len(buttons))
		}
		return buttons[n-1].Key, nil
	}
	for _, b := range buttons {
		if b.Key == arg {
			return arg, nil
		}
	}
	return "", errors.New("no such button (!menu shows them)")
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
