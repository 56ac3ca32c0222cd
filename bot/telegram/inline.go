package telegram

import (
	"context"
	"log/slog"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// answerInline answers "@bot 关键词" typed in any chat with matching
// articles. At most a few run at once; a query arriving when all are busy
// waits, as Telegram will show the answer whenever it comes.
func (t *Transport) answerInline(ctx context.Context, q *tgbotapi.InlineQuery) {
	select {
	case t.inline <- struct{}{}:
	case <-ctx.Done():
		return
	}
	t.pending.Add(1)
	go func() {
		defer t.pending.Done()
		defer func() { <-t.inline }()
		results, next, err := t.opts.Bot.Inline(ctx, q.Query, q.Offset)
		if err != nil {
			slog.Error("Unable to search for an inline query", slog.Any("error", err))
			return
		}
		items := make([]any, 0, len(results))
		for _, res := range results {
			r := render(res.Message)
			a := tgbotapi.NewInlineQueryResultArticleHTML(res.ID, clean(res.Title), r.HTML)
			a.Description = clean(res.Description)
			if safeURL(res.URL) {
				a.URL = res.URL
			}
			items = append(items, a)
		}
		cfg := tgbotapi.InlineConfig{InlineQueryID: q.ID, Results: items, CacheTime: 60, NextOffset: next}
		if _, err := t.call(ctx).Request(cfg); err != nil {
			slog.Warn("Unable to answer an inline query", slog.Any("error", t.wrap("answerInlineQuery", err)))
		}
	}()
}
