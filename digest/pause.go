package digest

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"time"
)

// pause is delivery waiting for the database. When an outcome (sent,
// failed, not buildable) cannot be written, the part stays as it was in
// the outbox, so handing it out again would send it again: a full disk
// would turn into a send storm. Instead the outcome is kept here, its
// subscriber stays busy, and nothing new is sent until the outcomes are
// written and the database takes a committed write again.
type pause struct {
	since time.Time // zero: not paused
	err   error     // the last refusal
	next  time.Time // when to ask the database again
	wait  time.Duration
	held  map[int64]func(context.Context) error // by subscriber: the outcome to write
	count int                                   // outcomes held since the pause began
}

// hold keeps an outcome that could not be written and pauses delivery,
// logging once per pause, not once per part.
func (d *Deliverer) hold(subscriber int64, write func(context.Context) error, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	if d.pause.held == nil {
		d.pause.held = map[int64]func(context.Context) error{}
	}
	d.pause.held[subscriber] = write
	d.pause.count++
	d.pause.err = err
	d.busy[subscriber] = true
	if d.pause.since.IsZero() {
		d.pause.since, d.pause.wait = now, d.opts.PauseWait
		d.pause.next = now.Add(d.pause.wait)
		slog.Error("Delivery paused: the database refuses writes; nothing more is sent until it takes them again",
			slog.Any("error", err))
	}
}

// resume reports whether delivery may go on. While paused, once the wait
// is over, it writes the outcomes it holds and probes the database with a
// committed write; a refusal doubles the wait.
func (d *Deliverer) resume(ctx context.Context) bool {
	d.mu.Lock()
	if d.pause.since.IsZero() {
		d.mu.Unlock()
		return true
	}
	if time.Now().Before(d.pause.next) {
		d.mu.Unlock()
		return false
	}
	held := maps.Clone(d.pause.held)
	d.mu.Unlock()

	err := d.writeHeld(ctx, held)
	if err == nil {
		err = d.opts.DB.Heartbeat(ctx)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.pause.err = err
		d.pause.wait = min(d.pause.wait*2, d.opts.MaxPauseWait)
		d.pause.next = time.Now().Add(d.pause.wait)
		slog.Debug("The database still refuses writes", slog.Duration("next_try", d.pause.wait), slog.Any("error", err))
		return false
	}
	if len(d.pause.held) > 0 {
		// A send that was under way when the pause began has since been
		// held: write it before anything new goes out.
		d.pause.next = time.Now()
		return false
	}
	slog.Info("Delivery resumed: the database takes writes again",
		slog.Duration("paused", time.Since(d.pause.since).Round(time.Millisecond)), slog.Int("outcomes_written", d.pause.count))
	d.pause = pause{}
	return true
}

// writeHeld writes held outcomes, releasing each subscriber whose outcome
// is written, and stops at the first refusal.
func (d *Deliverer) writeHeld(ctx context.Context, held map[int64]func(context.Context) error) error {
	for sub, write := range held {
		if err := write(ctx); err != nil {
			return err
		}
		d.mu.Lock()
		delete(d.pause.held, sub)
		delete(d.busy, sub)
		d.mu.Unlock()
	}
	return nil
}

// recordHeld makes a last try, when Run stops, to write what it holds.
func (d *Deliverer) recordHeld() {
	d.mu.Lock()
	held := maps.Clone(d.pause.held)
	d.mu.Unlock()
	if len(held) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.writeHeld(ctx, held); err != nil {
		d.mu.Lock()
		left := len(d.pause.held)
		d.mu.Unlock()
		slog.Warn("Stopping with outcomes the database refused; those parts may be sent again after a restart",
			slog.Int("parts", left), slog.Any("error", err))
	}
}

func (d *Deliverer) pausedUntil() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pause.next, !d.pause.since.IsZero()
}

func (d *Deliverer) pausedErr() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pause.since.IsZero() {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrPaused, d.pause.err)
}

// Status is what delivery is doing, for health checks.
type Status struct {
	// Paused: the database refused to record an outcome; nothing is sent
	// until it takes writes again. Reason is its last refusal.
	Paused      bool
	PausedSince time.Time
	Reason      string
	// Unrecorded counts the outcomes (most often sends that went out)
	// waiting to be written.
	Unrecorded int
	// BuildFailures counts parts whose text could not be built, since
	// start; Failing is how many pending parts have failed to build.
	BuildFailures int64
	Failing       int
	// Held names the platforms that asked to wait, and until when.
	Held map[string]time.Time
	// Windows counts, by platform, open and closed conversation windows
	// and the parts held for them (see Deliverer.Windows).
	Windows map[string]WindowCounts
}

// Counts is the part of Status that needs no database: for metrics,
// which are read often.
func (d *Deliverer) Counts() (paused bool, unrecorded int, buildFailures int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.pause.since.IsZero(), len(d.pause.held), d.builds.Load()
}

// Status reports on delivery now.
func (d *Deliverer) Status(ctx context.Context) (Status, error) {
	d.mu.Lock()
	st := Status{Paused: !d.pause.since.IsZero(), PausedSince: d.pause.since, Unrecorded: len(d.pause.held), Held: map[string]time.Time{}}
	if d.pause.err != nil {
		st.Reason = d.pause.err.Error()
	}
	d.mu.Unlock()
	st.BuildFailures = d.builds.Load()
	now := d.opts.Now()
	for name, l := range d.limits {
		if until := l.until(); until.After(now) {
			st.Held[name] = until
		}
	}
	err := d.opts.DB.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state = 'pending' AND build_failures > 0`).Scan(&st.Failing)
	if err != nil {
		return st, fmt.Errorf("digest: unable to count failing parts: %w", err)
	}
	st.Windows, err = d.Windows(ctx)
	return st, err
}
