package telegram

import (
	"context"
	"errors"
	"log/slog"
	"time"
	"wzdaily/chat"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the update kinds the bot reads; the rest are not sent.
var allowedUpdates = []string{"message", "channel_post", "callback_query", "inline_query", "my_chat_member"}

// Run long-polls for updates and answers them until ctx ends. It sets the
// command menu first and removes any webhook, which would make getUpdates
// fail.
func (t *Transport) Run(ctx context.Context) error {
	if err := t.SetCommands(ctx); err != nil {
		slog.Warn("Unable to set the Telegram command menu", slog.Any("error", err))
	}
	if _, err := t.call(ctx).Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		slog.Warn("Unable to remove the Telegram webhook", slog.Any("error", t.wrap("deleteWebhook", err)))
	}
	return t.serve(ctx, t.poll)
}

// serve runs the dispatcher while feed puts updates in, until ctx ends.
func (t *Transport) serve(ctx context.Context, feed func(ctx context.Context)) error {
	started := false
	t.runOnce.Do(func() { started = true })
	if !started {
		return errors.New("telegram: the transport is already running")
	}
	// Updates taken from Telegram have been confirmed to it by the next
	// poll: they are answered before the transport stops (for at most
	// drainFor), so a restart loses none. Their replies use a context that
	// outlives ctx for that long.
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	d := &chat.Dispatcher{Handler: t.opts.Bot, Workers: t.opts.Workers, Reply: t.reply}
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(dctx, t.updates)
	}()
	feed(ctx)
	t.closeUpdates()
	stop := time.AfterFunc(drainFor, cancel)
	defer stop.Stop()
	<-done
	t.pending.Wait()
	return nil
}

// drainFor bounds how long a stopping transport answers what it has.
const drainFor = 10 * time.Second

// closeUpdates ends the dispatcher's input; later updates are dropped
// (unconfirmed ones Telegram sends again; a webhook's get a 503).
func (t *Transport) closeUpdates() {
	t.feedMu.Lock()
	defer t.feedMu.Unlock()
	if !t.fed {
		t.fed = true
		close(t.updates)
	}
}

// poll reads updates with getUpdates. Errors never stop it: it waits,
// longer each time, as long as Telegram asks or 30 s at most, and goes on.
func (t *Transport) poll(ctx context.Context) {
	offset, failures := 0, 0
	for ctx.Err() == nil {
		ups, err := t.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			t.polled(t.wrap("getUpdates", err))
			wait := min(time.Second<<min(failures-1, 5), 30*time.Second)
			if se := classify(err); se.RetryAfter > 0 {
				wait = se.RetryAfter
			}
			slog.Warn("Unable to get Telegram updates", slog.Any("error", t.wrap("getUpdates", err)), slog.Duration("retry_in", wait))
			sleep(ctx, wait)
			continue
		}
		failures = 0
		t.polled(nil)
		for _, raw := range ups {
			in, err := decodeUpdate(raw)
			if in.UpdateID >= offset {
				offset = in.UpdateID + 1
			}
			if err != nil {
				slog.Error("Unable to read a Telegram update", slog.Any("error", err))
				continue
			}
			t.route(ctx, in)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
	case <-tm.C:
	}
}
