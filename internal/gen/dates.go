package gen

import (
	"math"
	"strconv"
	"time"
)

// Posts appear between 06:30 and 22:30, as a newsroom publishes.
const (
	dayStart  = 6*time.Hour + 30*time.Minute
	dayLength = 16 * time.Hour
)

// publishedAt returns the date of post i and whether it was backdated.
//
// Index i maps to a fractional day u = (i + jitter) / PerDay, then through a
// monotone warp so that daily counts vary (roughly 20 to 55 at 30 a day)
// without summing over earlier posts, which keeps Post(i) O(1) and
// independent of call order.
func (g *Generator) publishedAt(i int) (time.Time, bool) {
	r := newRNG(g.opts.Seed, i, streamDate)
	u := (float64(i) + 0.95*r.float()) / g.opts.PerDay
	// The warp's slope stays within [0.54, 1.46]: 0.3·2π/7.3 + 0.1·2π/3.1 < 0.46.
	w := u + 0.3*math.Sin(2*math.Pi*u/7.3) + 0.1*math.Sin(2*math.Pi*u/3.1)
	day := math.Floor(w)
	clock := dayStart + time.Duration((w-day)*float64(dayLength))
	t := g.opts.Start.Add(time.Duration(day)*24*time.Hour + clock).Truncate(time.Second)
	if r.chance(g.opts.BackdateFraction) {
		back := t.Add(-time.Duration(r.between(1, 28)) * 24 * time.Hour)
		back = back.Add(time.Duration(r.between(-180, 180)) * time.Minute)
		if back.After(g.opts.Start) {
			return back, true
		}
	}
	return t, false
}

// Capacity is the number of posts that fit between Start and End.
func (g *Generator) Capacity() int {
	days := g.opts.End.Sub(g.opts.Start).Hours() / 24
	// The warp can push a post up to 0.4 day later; leave room for it.
	return int(math.Max(0, (days-0.5)*g.opts.PerDay))
}

// postID is "NW", the publication date and a 10-digit sequence that grows
// with i, like the real infoCode NW202202112273376235. The step of 20
// leaves room for the random low digits while keeping IDs unique.
func (g *Generator) postID(buf []byte, i int, t time.Time) []byte {
	r := newRNG(g.opts.Seed, i, streamDate^0xabc)
	seq := 1_800_000_000 + int64(i)*20 + int64(r.intn(20))
	buf = append(buf, "NW"...)
	buf = t.AppendFormat(buf, "20060102")
	return strconv.AppendInt(buf, seq, 10)
}
