// Package console is the terminal transport: a chat on standard input and
// output, the bot's built-in default that needs no account. It works
// typed by hand and in a pipe.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"wzdaily/chat"
)

// Platform names this transport in subscriber keys.
const Platform = "console"

// maxLine bounds one input line; the rest of a longer line is dropped.
const maxLine = 64 << 10

// Console is one terminal chat.
type Console struct {
	In      io.Reader
	Out     io.Writer
	Handler chat.Handler
	ChatID  string // default "local"
	Name    string // the person's display name
	// Prompt prints "> " before each line is read: for a person at a
	// terminal, not for a script.
	Prompt bool

	mu      sync.Mutex // Out is shared with digests sent while the chat runs
	buttons []chat.Button
	sent    int
}

// Key is the subscriber key of this chat.
func (c *Console) Key() chat.Key {
	id := c.ChatID
	if id == "" {
		id = "local"
	}
	return chat.Key{Platform: Platform, ChatID: id}
}

// Run reads lines until the input ends, "quit" or "exit" is typed, or ctx
// is done. A number typed after a message with buttons presses that button.
func (c *Console) Run(ctx context.Context) error {
	r := bufio.NewReaderSize(c.In, 4096)
	for {
		if err := ctx.Err(); err != nil {
			return nil
		}
		if c.Prompt {
			c.write("> ")
		}
		line, err := readLine(r)
		if errors.Is(err, io.EOF) && line == "" {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("console: unable to read input: %w", err)
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "quit" || trimmed == "exit" {
			return nil
		}
		u := chat.Update{Chat: c.Key(), Kind: chat.Private, ChatName: c.Name, UserID: c.Key().ChatID,
			UserName: c.Name, IsAdmin: true, Addressed: true, Text: line}
		if n, err := strconv.Atoi(trimmed); err == nil && n >= 1 && n <= len(c.pressable()) {
			u.Text, u.Callback = "", c.pressable()[n-1].Data
		}
		for _, m := range c.Handler.Handle(ctx, u) {
			c.Show(m)
		}
	}
}

// Show prints a message and makes its buttons the ones a number presses.
func (c *Console) Show(m chat.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := chat.PlainText(m)
	c.buttons = chat.Numbered(m.Buttons)
	if len(c.buttons) > 0 {
		out += "\n" + chat.NumberedButtons(m)
	}
	fmt.Fprint(c.Out, out+"\n\n")
}

func (c *Console) pressable() []chat.Button {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buttons
}

func (c *Console) write(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprint(c.Out, s)
}

// readLine reads one line of at most maxLine bytes, dropping the rest.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, isPrefix, err := r.ReadLine()
		if b.Len() < maxLine {
			b.Write(chunk[:min(len(chunk), maxLine-b.Len())])
		}
		if err != nil {
			return b.String(), err
		}
		if !isPrefix {
			return b.String(), nil
		}
	}
}

// Send shows a message sent to this chat from outside the conversation,
// such as a digest; it implements chat.Sender.
func (c *Console) Send(_ context.Context, to chat.Key, m chat.Message) (string, error) {
	if to != c.Key() {
		return "", &chat.SendError{Permanent: true, Err: fmt.Errorf("console: no chat %s here", to)}
	}
	c.Show(m)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent++
	return strconv.Itoa(c.sent), nil
}
