package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"wzdaily/internal/fakecmd"
	"wzdaily/internal/fakewechat"
)

const consoleHelp = `Type a message to send it to the bot as your friend. Commands:
  !group TEXT   say TEXT in the group, @-mentioning the bot
  !scan         scan and confirm the QR code the bot shows
  !expire       end the bot's session, as WeChat does after a while
  !avatar       change your avatar: after the next login the bot must recognise you anew
  !help         show this help`

// runConsole lets a person chat with the bot by hand as the friend friendID,
// and in groupID as a member: each line read from in is a message to the
// bot, or one of the commands in consoleHelp. What the bot sends to the
// friend or the group is printed to out. It returns when ctx ends or in
// reaches its end.
func runConsole(ctx context.Context, s *fakewechat.Server, in io.Reader, out io.Writer, friendID, groupID string) error {
	fmt.Fprintln(out, consoleHelp)
	lines, _ := fakecmd.Lines(ctx, in)
	shown := len(s.Accepted())
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case line, ok := <-lines:
			if !ok {
				time.Sleep(time.Second) // let the last answer arrive
				printSends(s, out, shown, friendID, groupID)
				return nil
			}
			if err := consoleLine(s, out, strings.TrimSpace(line), friendID, groupID); err != nil {
				fmt.Fprintln(out, "fake-wechat:", err)
			}
		}
		shown = printSends(s, out, shown, friendID, groupID)
	}
}

func consoleLine(s *fakewechat.Server, out io.Writer, line, friendID, groupID string) error {
	switch {
	case line == "":
		return nil
	case line == "!help":
		_, err := fmt.Fprintln(out, consoleHelp)
		return err
	case line == "!scan":
		return s.ScanAndConfirm()
	case line == "!expire":
		return s.Expire()
	case line == "!avatar":
		if err := s.ChangeAvatar(friendID); err != nil {
			return err
		}
		_, err := fmt.Fprintln(out, "fake-wechat: you have a new avatar")
		return err
	case strings.HasPrefix(line, "!group "):
		_, err := s.InjectGroupText(groupID, friendID, strings.TrimPrefix(line, "!group "), true)
		return err
	}
	_, err := s.InjectText(friendID, line)
	return err
}

func printSends(s *fakewechat.Server, out io.Writer, shown int, friendID, groupID string) int {
	sends := s.Accepted()
	for _, m := range sends[shown:] {
		switch m.To {
		case friendID:
			fmt.Fprintf(out, "bot:\n%s\n\n", indent(m.Content))
		case groupID:
			fmt.Fprintf(out, "bot in the group:\n%s\n\n", indent(m.Content))
		}
	}
	return len(sends)
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
