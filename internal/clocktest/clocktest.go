// Package clocktest has the clocks tests drive time with, so that no test
// sleeps for a schedule.
package clocktest

import (
	"sync"
	"sync/atomic"
	"time"
)

// Manual stands still until the test moves it.
type Manual struct {
	mu  sync.Mutex
	now time.Time
}

// NewManual returns a clock stopped at t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *Manual) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *Manual) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Running runs in real time from a point the test chooses and can jump
// ahead: a test reaches 07:30 without waiting while timers, rate limits and
// backoffs keep their real pace.
type Running struct{ offset atomic.Int64 }

// NewRunning returns a clock that reads t now.
func NewRunning(t time.Time) *Running {
	c := &Running{}
	c.offset.Store(int64(time.Until(t)))
	return c
}

func (c *Running) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Jump moves the clock to t; it runs on from there.
func (c *Running) Jump(t time.Time) { c.offset.Add(int64(t.Sub(c.Now()))) }
