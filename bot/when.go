package bot

import (
	"time"

	"wzdaily/digest"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

// zoneName is a zone as the reader says it: 北京时间, 柏林时间, Berlin time;
// a zone no place names keeps its name (UTC+8, Africa/Nairobi).
func zoneName(zone string, l i18n.Lang) string {
	for _, p := range subscribers.Places {
		if p.Zone == zone {
			if l == i18n.EN {
				return l.T("zone of", p.EN)
			}
			return l.T("zone of", p.ZH)
		}
	}
	return zone
}

// zoneLabel names a zone and, when the reader's words are not its name,
// the name: 香港时间（Asia/Hong_Kong）, UTC+8.
func (c *call) zoneLabel(zone string) string {
	if n := zoneName(zone, c.lang); n != zone {
		return c.lang.T("zone and name", n, zone)
	}
	return zone
}

// next is when sub's next digest comes, as the reader says it: 今天 07:30,
// 明天 07:30, else the date.
func (c *call) next(sub *subscribers.Subscriber) string {
	loc := digest.ZoneOf(sub)
	now := c.opts.Now().In(loc)
	at := digest.NextDue(sub.DeliverAt, loc, now)
	return c.day(now, at) + " " + at.Format("15:04")
}

// day names the day of t seen from now, both in the same zone.
func (c *call) day(now, t time.Time) string {
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	switch days := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour); days {
	case 0:
		return c.lang.T("today")
	case 1:
		return c.lang.T("tomorrow")
	}
	return t.Format(c.lang.T("month day"))
}
