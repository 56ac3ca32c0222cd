package digest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"wzdaily/subscribers"
)

// part is one outbox row on its way to the platform.
type part struct {
	id         int64
	digestID   int64
	subscriber int64
	chat       subscribers.Key
	kind       subscribers.Kind
	part       int
	attempts   int
	spec       Part
}

// claimable returns the next part of each subscriber that is due, oldest
// first, except for subscribers in busy. A subscriber's parts go out one at
// a time and in order: the next is claimable only once the one before is
// confirmed.
// With only > 0 it reads that subscriber's next part alone.
func claimable(ctx context.Context, q *sql.DB, now time.Time, busy map[int64]bool, limit int, only int64) ([]part, error) {
	filter := ""
	args := []any{now.Unix(), limit + len(busy)}
	if only > 0 {
		filter = ` AND subscriber_id = ?`
		args = []any{only, now.Unix(), limit}
	}
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.digest_id, o.subscriber_id, o.platform, o.chat_id, o.chat_kind, o.part, o.attempts, o.message
		FROM outbox o
		WHERE o.id IN (SELECT min(id) FROM outbox WHERE state = 'pending'`+filter+` GROUP BY subscriber_id)
		  AND o.next_attempt_at <= ?
		ORDER BY o.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read the outbox: %w", err)
	}
	defer rows.Close()
	var out []part
	for rows.Next() {
		var p part
		var body string
		if err := rows.Scan(&p.id, &p.digestID, &p.subscriber, &p.chat.Platform, &p.chat.ChatID, &p.kind, &p.part, &p.attempts, &body); err != nil {
			return nil, fmt.Errorf("digest: unable to read the outbox: %w", err)
		}
		if busy[p.subscriber] {
			continue
		}
		if err := json.Unmarshal([]byte(body), &p.spec); err != nil {
			return nil, fmt.Errorf("digest: outbox part %d is unreadable: %w", p.id, err)
		}
		out = append(out, p)
		if len(out) == limit {
			break
		}
	}
	return out, rows.Err()
}

// DeadLetter is a part that will not be delivered.
type DeadLetter struct {
	ID         int64
	Subscriber int64
	Chat       subscribers.Key
	Part       int
	Attempts   int
	Error      string
	Created    time.Time
}

// DeadLetters lists undeliverable parts, newest first.
func DeadLetters(ctx context.Context, q *sql.DB, limit int) ([]DeadLetter, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.subscriber_id, o.platform, o.chat_id, o.part, o.attempts, o.last_error, d.created_at
		FROM outbox o JOIN digests d ON d.id = o.digest_id
		WHERE o.state = 'dead' ORDER BY o.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read dead letters: %w", err)
	}
	defer rows.Close()
	var out []DeadLetter
	for rows.Next() {
		var d DeadLetter
		var created int64
		if err := rows.Scan(&d.ID, &d.Subscriber, &d.Chat.Platform, &d.Chat.ChatID, &d.Part, &d.Attempts, &d.Error, &created); err != nil {
			return nil, fmt.Errorf("digest: unable to read dead letters: %w", err)
		}
		d.Created = time.Unix(created, 0)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Backlog counts parts by state.
func Backlog(ctx context.Context, q *sql.DB) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to count the outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]int{"pending": 0, "sent": 0, "dead": 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("digest: unable to count the outbox: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Due counts pending parts whose time to be sent has come.
func Due(ctx context.Context, q *sql.DB, now time.Time) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?`, now.Unix()).Scan(&n); err != nil {
		return 0, fmt.Errorf("digest: unable to count the outbox: %w", err)
	}
	return n, nil
}

// DigestsSince counts digests composed since t.
func DigestsSince(ctx context.Context, q *sql.DB, t time.Time) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM digests WHERE created_at >= ?`, t.Unix()).Scan(&n); err != nil {
		return 0, fmt.Errorf("digest: unable to count digests: %w", err)
	}
	return n, nil
}
