package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// newLogger makes the process's logger: text or JSON, at a level, with
// every secret (bot tokens) replaced wherever it would appear, in messages
// and in attributes, errors included: a library error can carry a request
// URL with the token in it.
func newLogger(w io.Writer, format, level string, secrets []string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: must be one of debug, info, warn, error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler
	switch format {
	case "text", "":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("log format %q: must be text or json", format)
	}
	var keep []string
	for _, s := range secrets {
		if len(s) >= 4 { // a shorter "secret" would redact ordinary words
			keep = append(keep, s, "<redacted>")
		}
	}
	if len(keep) > 0 {
		h = redacting{next: h, r: strings.NewReplacer(keep...)}
	}
	return slog.New(h), nil
}

// redacting removes secrets from records before the next handler sees them.
type redacting struct {
	next slog.Handler
	r    *strings.Replacer
}

func (h redacting) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h redacting) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.Replace(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redacting) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.Replace(v.String()))
	case slog.KindGroup:
		var as []any
		for _, g := range v.Group() {
			as = append(as, h.attr(g))
		}
		return slog.Group(a.Key, as...)
	case slog.KindAny:
		// Errors and anything else printable: their text, redacted.
		return slog.String(a.Key, h.r.Replace(fmt.Sprint(v.Any())))
	}
	return a
}

func (h redacting) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.attr(a)
	}
	return redacting{next: h.next.WithAttrs(red), r: h.r}
}

func (h redacting) WithGroup(name string) slog.Handler {
	return redacting{next: h.next.WithGroup(name), r: h.r}
}
