// Package health answers "is the bot working?": the database takes writes,
// the sources succeed, the chat platforms are connected, and the outbox is
// not piling up. It serves the answer, with the metrics, on an optional
// HTTP listener for a supervisor or a monitoring system.
package health

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wzdaily/articles"
	"wzdaily/bot"
	"wzdaily/digest"
	"wzdaily/internal/db"
)

// Part is one component's state.
type Part struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Report is the whole bot's state.
type Report struct {
	Healthy bool           `json:"healthy"`
	Parts   []Part         `json:"parts"`
	Outbox  map[string]int `json:"outbox"` // parts by state: pending, sent, dead
	At      time.Time      `json:"at"`
}

// Transport reports whether a chat platform is connected.
type Transport func() Part

// Checker builds reports.
type Checker struct {
	DB       *db.DB
	Articles *articles.Store
	// Transports by platform name.
	Transports map[string]Transport
	// StaleAfter: a source with nothing new for longer is reported (it does
	// not make the bot unhealthy: a quiet paper is not a fault).
	StaleAfter time.Duration
	Now        func() time.Time
}

// Check looks at every part; Healthy is false when any part is not OK.
func (c *Checker) Check(ctx context.Context) Report {
	now := c.now()
	r := Report{Healthy: true, At: now}
	add := func(p Part) {
		r.Parts = append(r.Parts, p)
		r.Healthy = r.Healthy && p.OK
	}
	add(c.database(ctx))
	sources, err := c.Articles.Sources(ctx)
	if err != nil {
		add(Part{Name: "sources", Detail: err.Error()})
	}
	for _, s := range sources {
		add(c.source(s, now))
	}
	for _, name := range sortedKeys(c.Transports) {
		add(c.Transports[name]())
	}
	if backlog, err := digest.Backlog(ctx, c.DB.DB); err == nil {
		r.Outbox = backlog
	} else {
		add(Part{Name: "outbox", Detail: err.Error()})
	}
	return r
}

func (c *Checker) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// errProbe rolls the probe back: the write was made, nothing is kept.
var errProbe = errors.New("health probe")

// database writes (and rolls back) a table in the main database file, so a
// full disk, a read-only mount or a lock held elsewhere shows.
func (c *Checker) database(ctx context.Context) Part {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := c.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE health_probe (x)`); err != nil {
			return err
		}
		return errProbe
	})
	if err != nil && !errors.Is(err, errProbe) {
		return Part{Name: "database", Detail: "not writable: " + err.Error()}
	}
	return Part{Name: "database", OK: true, Detail: "writable"}
}

// source is failing when its last run failed.
func (c *Checker) source(s articles.SourceStatus, now time.Time) Part {
	p := Part{Name: "source " + s.Name, OK: true}
	switch {
	case s.LastError != "" && s.LastRun.After(s.LastSuccess):
		p.OK = false
		p.Detail = fmt.Sprintf("failing %d times in a row since %s: %s", s.Errors, ago(s.LastSuccess, now), s.LastError)
	default:
		p.Detail = "last success " + ago(s.LastSuccess, now)
	}
	if c.StaleAfter > 0 && !s.LastNew.IsZero() && now.Sub(s.LastNew) > c.StaleAfter {
		p.Detail += "; nothing new since " + ago(s.LastNew, now)
	}
	return p
}

func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format(time.RFC3339) + " (" + now.Sub(t).Round(time.Second).String() + " ago)"
}

// ForBot turns a report into what /health shows.
func (r Report) ForBot() bot.HealthReport {
	out := bot.HealthReport{Healthy: r.Healthy}
	for _, p := range r.Parts {
		out.Parts = append(out.Parts, bot.HealthPart{Name: p.Name, OK: p.OK, Detail: p.Detail})
	}
	if r.Outbox != nil {
		out.Parts = append(out.Parts, bot.HealthPart{Name: "outbox", OK: true,
			Detail: fmt.Sprintf("%d pending, %d sent, %d dead", r.Outbox["pending"], r.Outbox["sent"], r.Outbox["dead"])})
	}
	return out
}
