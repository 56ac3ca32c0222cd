package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"wzdaily/articles"
)

// staleWatch tells the admins, once, when a source has produced nothing
// new for longer than after: the most common complaint about news bots is
// "it stopped pushing", and a quiet source is how it starts.
type staleWatch struct {
	after  time.Duration
	now    func() time.Time
	alert  func(ctx context.Context, text string)
	warned map[string]time.Time // source → the last-new time it was warned about
}

// check looks at the sources once.
func (w *staleWatch) check(ctx context.Context, sources []articles.SourceStatus) {
	if w.warned == nil {
		w.warned = map[string]time.Time{}
	}
	now := w.now()
	for _, s := range sources {
		last := s.LastNew
		if last.IsZero() {
			last = s.LastSuccess
		}
		if last.IsZero() || now.Sub(last) <= w.after {
			delete(w.warned, s.Name) // producing again: warn again next time
			continue
		}
		if w.warned[s.Name].Equal(last) {
			continue // told already about this silence
		}
		w.warned[s.Name] = last
		text := fmt.Sprintf("来源 %s 已经 %s 没有新文章了（最后一篇 %s；上次错误：%s）。Source %s has had nothing new for %s.",
			s.Name, now.Sub(last).Round(time.Minute), last.Format("2006-01-02 15:04"), orDash(s.LastError), s.Name, now.Sub(last).Round(time.Minute))
		slog.Warn("Source stale", slog.String("source", s.Name), slog.Time("last_new", last), slog.String("last_error", s.LastError))
		w.alert(ctx, text)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
