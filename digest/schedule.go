package digest

import (
	"time"
)

// NextDue returns the first delivery time strictly after t: minute
// minutes after local midnight in loc. A time that does not exist on a day
// (skipped when clocks go forward) comes as late as the clock allows;
// time.Date normalises it.
func NextDue(minute int, loc *time.Location, t time.Time) time.Time {
	l := t.In(loc)
	for d := 0; ; d++ {
		c := time.Date(l.Year(), l.Month(), l.Day()+d, minute/60, minute%60, 0, 0, loc)
		if c.After(t) {
			return c
		}
	}
}

// DueAfter returns the delivery time on the local day after the one due
// fell on. Scheduling from the day, not the instant, sends one digest on a
// day when clocks go back and the delivery time happens twice.
func DueAfter(minute int, loc *time.Location, due time.Time) time.Time {
	l := due.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, minute/60, minute%60, 0, 0, loc)
}
