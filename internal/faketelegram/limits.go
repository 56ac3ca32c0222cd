package faketelegram

import "time"

// limiter enforces Telegram's flood limits as the Bot FAQ describes them
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// about 30 messages per second overall, about one per second per chat with
// short bursts allowed, and 20 per minute per group (each number an
// option, so that tests can scale them down). Only accepted
// messages count, so a refused send does not push the wait further out.
// Callers hold s.mu.
type limiter struct {
	globalRate int           // per sliding second; 0 is off
	interval   time.Duration // per chat; 0 is off
	burstSlack time.Duration // (burst-1) * interval
	perSpan    int           // per group, per sliding groupSpan; 0 is off
	groupSpan  time.Duration

	recent []time.Time           // accepted in the last second, oldest first
	tat    map[int64]time.Time   // per chat: theoretical arrival time
	groups map[int64][]time.Time // accepted per group in the last groupSpan
}

func newLimiter(o Options) limiter {
	l := limiter{
		globalRate: orDefault(o.GlobalRate, DefaultGlobalRate),
		interval:   orDefault(o.ChatInterval, DefaultChatInterval),
		perSpan:    orDefault(o.GroupPerSpan, DefaultGroupPerSpan),
		groupSpan:  orDefault(o.GroupSpan, DefaultGroupSpan),
		tat:        map[int64]time.Time{},
		groups:     map[int64][]time.Time{},
	}
	burst := orDefault(o.ChatBurst, DefaultChatBurst)
	if burst < 1 {
		burst = 1
	}
	l.burstSlack = time.Duration(burst-1) * l.interval
	return l
}

// orDefault maps zero to def and a negative value to 0 (off).
func orDefault[T int | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// wait returns how long a message to chat must wait at now; 0 means it
// may be sent. It is the longest of the three limits.
func (l *limiter) wait(chat int64, group bool, now time.Time) time.Duration {
	var w time.Duration
	if l.globalRate > 0 {
		l.recent = dropUntil(l.recent, now.Add(-time.Second))
		if n := len(l.recent); n >= l.globalRate {
			w = max(w, l.recent[n-l.globalRate].Add(time.Second).Sub(now))
		}
	}
	if l.interval > 0 {
		// A token bucket written as the generic cell rate algorithm: each
		// message moves the chat's theoretical arrival time on by one
		// interval, and a message may go while that time is at most
		// burstSlack ahead of now.
		if tat, ok := l.tat[chat]; ok {
			w = max(w, tat.Add(-l.burstSlack).Sub(now))
		}
	}
	if group && l.perSpan > 0 {
		times := dropUntil(l.groups[chat], now.Add(-l.groupSpan))
		l.groups[chat] = times
		if n := len(times); n >= l.perSpan {
			w = max(w, times[n-l.perSpan].Add(l.groupSpan).Sub(now))
		}
	}
	return max(w, 0)
}

// note counts an accepted message.
func (l *limiter) note(chat int64, group bool, now time.Time) {
	if l.globalRate > 0 {
		l.recent = append(l.recent, now)
	}
	if l.interval > 0 {
		tat, ok := l.tat[chat]
		if !ok || tat.Before(now) {
			tat = now
		}
		l.tat[chat] = tat.Add(l.interval)
	}
	if group && l.perSpan > 0 {
		l.groups[chat] = append(l.groups[chat], now)
	}
}

// retryAfter is the whole seconds Telegram would put in retry_after for a
// wait of w: rounded up, at least one.
func retryAfter(w time.Duration) int {
	return max(int((w+time.Second-1)/time.Second), 1)
}

// dropUntil removes the leading times that are not after cutoff.
func dropUntil(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[:copy(times, times[i:])]
}
