// Package health answers "is the bot working?": the database takes writes,
// the sources succeed, the chat platforms are connected, and the outbox is
// not piling up. It serves the answer, with the metrics, on an optional
// HTTP listener for a supervisor or a monitoring system.
package health

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/db"
)

// Part is one component's state.
type Part struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	// Say, when set, is what Detail says, in words the conversation puts
	// in an admin's language, with Args; Detail stays for /healthz.
	Say  Say   `json:"-"`
	Args []any `json:"-"`
}

// Say names a state a part is often in.
type Say string

const (
	SayWritable    Say = "writable"     // the database takes writes
	SayDelivering  Say = "delivering"   // the deliverer works
	SayLastSuccess Say = "last success" // a source; Args: when it last worked (time.Time)
	SayConnected   Say = "connected"    // a transport; Args: its account (string), its last answer (time.Time)
)

// Report is the whole bot's state.
type Report struct {
	Healthy bool            `json:"healthy"`
	Parts   []Part          `json:"parts"`
	Outbox  *digest.Backlog `json:"outbox"` // nil when the outbox cannot be read
	// Windows counts, by platform, open and closed conversation windows
	// and the parts held for their readers; absent where no platform has
	// a window or held parts. Held parts are not a fault.
	Windows map[string]digest.WindowCounts `json:"windows,omitempty"`
	At      time.Time                      `json:"at"`
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
	// Delivery, when set, reports on the outbox's deliverer: paused by a
	// database that refuses writes, parts that fail to build.
	Delivery *digest.Deliverer
	// ProbeEvery: the database's write probe is reused this long (default
	// 5 s), so that requests to /healthz, which anyone who reaches the
	// listener may send, cannot take the write lock at will.
	ProbeEvery time.Duration
	Now        func() time.Time

	mu       sync.Mutex
	probed   time.Time
	lastDisk Part
}

// Check looks at every part; Healthy is false when any part is not OK.
func (c *Checker) Check(ctx context.Context) Report {
	now := c.now()
	r := Report{Healthy: true, At: now}
	add := func(p Part) {
		r.Parts = append(r.Parts, p)
		r.Healthy = r.Healthy && p.OK
	}
	add(c.database(ctx, now))
	if c.Delivery != nil {
		st, err := c.Delivery.Status(ctx)
		add(delivery(st, err))
		if err == nil && len(st.Windows) > 0 {
			r.Windows = st.Windows
		}
	}
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
	if backlog, err := digest.NewOutbox(c.DB).Backlog(ctx); err == nil {
		r.Outbox = &backlog
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

// database commits a write (a heartbeat row): a probe that is rolled back
// writes nothing to the file, and says "writable" on a full disk. Its
// answer is kept for ProbeEvery.
func (c *Checker) database(ctx context.Context, now time.Time) Part {
	c.mu.Lock()
	defer c.mu.Unlock()
	every := c.ProbeEvery
	if every <= 0 {
		every = 5 * time.Second
	}
	if !c.probed.IsZero() && now.Sub(c.probed) < every && !now.Before(c.probed) {
		return c.lastDisk
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p := Part{Name: "database", OK: true, Detail: "writable", Say: SayWritable}
	if err := c.DB.Heartbeat(ctx); err != nil {
		p = Part{Name: "database", Detail: "not writable: " + err.Error()}
	}
	c.probed, c.lastDisk = now, p
	return p
}

// delivery is failing while the deliverer is paused or parts fail to
// build; a platform that asked to wait (a 429) is reported, not a fault.
func delivery(st digest.Status, err error) Part {
	if err != nil {
		return Part{Name: "delivery", Detail: err.Error()}
	}
	p := Part{Name: "delivery", OK: !st.Paused && st.Failing == 0}
	var notes []string
	if st.Paused {
		notes = append(notes, fmt.Sprintf("paused since %s: the database refuses writes (%s); %d outcomes wait to be recorded",
			ago(st.PausedSince, time.Now()), st.Reason, st.Unrecorded))
	}
	if st.Failing > 0 {
		notes = append(notes, fmt.Sprintf("%d parts fail to build", st.Failing))
	}
	if st.BuildFailures > 0 {
		notes = append(notes, fmt.Sprintf("%d build failures since start", st.BuildFailures))
	}
	for _, name := range sortedKeys(st.Held) {
		notes = append(notes, fmt.Sprintf("%s asked to wait until %s", name, st.Held[name].Format(time.RFC3339)))
	}
	if len(notes) == 0 {
		notes = append(notes, "delivering")
		p.Say = SayDelivering
	}
	p.Detail = strings.Join(notes, "; ")
	return p
}

// source is failing when its last run failed.
func (c *Checker) source(s articles.SourceStatus, now time.Time) Part {
	p := Part{Name: "source " + s.Name, OK: true}
	switch {
	case s.LastOutcome == articles.RunInterrupted:
		// Stopped by the program (a restart), not by the site: what it read
		// is stored, and the next poll goes on.
		p.Detail = "interrupted " + ago(s.LastRun, now) + "; last success " + ago(s.LastSuccess, now)
	case s.LastError != "" && s.LastRun.After(s.LastSuccess):
		p.OK = false
		p.Detail = fmt.Sprintf("failing %d times in a row since %s: %s", s.Errors, ago(s.LastSuccess, now), s.LastError)
	case s.LastOutcome == articles.RunEmpty:
		p.Detail = "no current posts (the site has no page for them) at the last poll, " + ago(s.LastSuccess, now)
	default:
		p.Detail = "last success " + ago(s.LastSuccess, now)
		p.Say, p.Args = SayLastSuccess, []any{s.LastSuccess}
	}
	if c.StaleAfter > 0 && !s.LastNew.IsZero() && now.Sub(s.LastNew) > c.StaleAfter {
		p.Detail += "; nothing new since " + ago(s.LastNew, now)
		p.Say = ""
	}
	return p
}

func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format(time.RFC3339) + " (" + now.Sub(t).Round(time.Second).String() + " ago)"
}
