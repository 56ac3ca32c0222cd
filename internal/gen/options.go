package gen

import (
	"fmt"
	"math"
	"time"
)

// shanghai is a fixed +08:00 zone. China has had no daylight saving since
// 1991, and a fixed zone does not depend on tzdata being installed, so
// generated dates are the same on every machine.
func shanghai() *time.Location { return time.FixedZone("CST", 8*60*60) }

// Options configures a Generator. Use DefaultOptions and change fields;
// the zero value is not valid.
type Options struct {
	Seed int64
	// Start and End bound the publication dates. Posts are spread at PerDay
	// a day from Start; indexes past Capacity() run on past End at the same
	// rate rather than wrapping, so dates keep increasing with the index.
	Start, End time.Time
	PerDay     float64
	// ReprintFraction of posts copy an earlier post (Post.ReprintOf).
	ReprintFraction float64
	// BackdateFraction of posts are dated days to weeks before their
	// neighbours, like a story filed late.
	BackdateFraction float64
}

// DefaultOptions gives about nine years of 梧州日报 at 30 posts a day from
// 2017-01-01, 1% reprints and 2% backdated posts.
func DefaultOptions(seed int64) Options {
	loc := shanghai()
	return Options{
		Seed:             seed,
		Start:            time.Date(2017, 1, 1, 0, 0, 0, 0, loc),
		End:              time.Date(2026, 11, 1, 0, 0, 0, 0, loc),
		PerDay:           30,
		ReprintFraction:  0.01,
		BackdateFraction: 0.02,
	}
}

func (o Options) validate() error {
	switch {
	case o.Start.IsZero() || !o.End.After(o.Start):
		return fmt.Errorf("gen: End (%v) must be after a non-zero Start (%v)", o.End, o.Start)
	case !(o.PerDay > 0 && o.PerDay <= 10000):
		return fmt.Errorf("gen: PerDay must be in (0, 10000], got %v", o.PerDay)
	case !(o.ReprintFraction >= 0 && o.ReprintFraction <= 0.5):
		return fmt.Errorf("gen: ReprintFraction must be in [0, 0.5], got %v", o.ReprintFraction)
	case !(o.BackdateFraction >= 0 && o.BackdateFraction <= 0.5):
		return fmt.Errorf("gen: BackdateFraction must be in [0, 0.5], got %v", o.BackdateFraction)
	}
	return nil
}

// Fit returns o with Start moved back, when need be, so that n posts fit
// before End. A corpus of any size then ends at End instead of running on
// into dates after it: a benchmark at 300,000 posts measures search over
// the past, not over posts dated years ahead, which the store files at
// their fetch time.
func (o Options) Fit(n int) Options {
	// Capacity leaves half a day for the warp; a day more keeps the last
	// post clear of End whatever the rounding.
	need := time.Duration(math.Ceil(float64(n)/o.PerDay)+2) * 24 * time.Hour
	if start := o.End.Add(-need); start.Before(o.Start) {
		o.Start = start
	}
	return o
}
