package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// TestRunServesTheFakeAndTheConsole runs the command as the README's try
// does: the bot, through the real library, sees what is typed and is seen
// answering.
func TestRunServesTheFakeAndTheConsole(t *testing.T) {
	in, typing := io.Pipe()
	out := newSyncBuffer()
	var errOut strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"--addr", "127.0.0.1:0", "--token", "77:try", "--name", "阿梧"}, in, out, &errOut)
	}()
	out.waitFor(t, "Chatting with @")
	base := regexp.MustCompile(`Fake Telegram Bot API at (http://127\.0\.0\.1:\d+) \(token "77:try"\)`).FindStringSubmatch(out.String())
	if base == nil {
		t.Fatalf("no address in the output:\n%s", out.String())
	}
	bot, err := tgbotapi.NewBotAPIWithClient("77:try", base[1]+"/bot%s/%s", &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("the bot cannot connect: %v", err)
	}
	if _, err := io.WriteString(typing, "开始\n"); err != nil {
		t.Fatal(err)
	}
	u := nextUpdate(t, bot, 0)
	if u.Message == nil || u.Message.Text != "开始" || u.Message.From.FirstName != "阿梧" || u.Message.From.LanguageCode != "zh-hans" {
		t.Fatalf("update = %+v", u)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(u.Message.Chat.ID, "欢迎")); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "bot:\n    欢迎\n")
	typing.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run at the end of input: %v (stderr %q)", err, errOut.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked: run did not return at the end of input")
	}
}

func TestRunRefusesBadArguments(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"an unknown flag":    {[]string{"--port", "1"}, "flag provided but not defined"},
		"an argument":        {[]string{"serve"}, `unexpected argument "serve"`},
		"no token":           {[]string{"--token", ""}, "--token must not be empty"},
		"a bad address":      {[]string{"--addr", "nowhere"}, "unable to listen on nowhere"},
		"help is not a fail": {[]string{"--help"}, flag.ErrHelp.Error()},
	} {
		var errOut strings.Builder
		err := run(context.Background(), tc.args, strings.NewReader(""), io.Discard, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, tc.want)
		}
		if name == "help is not a fail" && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("--help: %v, want flag.ErrHelp", err)
		}
	}
}
