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
	id            int64
	digestID      int64
	token         string // the digest's, unique for the life of the database
	subscriber    int64
	chat          subscribers.Key
	kind          subscribers.Kind
	part          int
	attempts      int
	buildFailures int
	spec          Part
	// unreadable is why the stored part could not be decoded; such a part
	// is a build failure, not a reason to stop reading the outbox.
	unreadable error
}

// key is the part's idempotency key: the digest's random token, never its
// row id, which SQLite reuses after a restore or a deletion.
func (p part) key() string {
	return fmt.Sprintf("digest-%s-part-%d", p.token, p.part)
}

// claim selects what claimable reads.
type claim struct {
	now       time.Time
	platforms []string       // only parts of these platforms
	busy      map[int64]bool // not the parts of these subscribers
	limit     int
	only      int64 // > 0: this subscriber's next part alone
}

// claimable returns the next part of each subscriber that is due, oldest
// first. A subscriber's parts go out one at a time and in order: the next
// is claimable only once the one before is confirmed. The chat comes from
// the subscriber's row, so a chat that moved is followed whoever moved it.
func claimable(ctx context.Context, q *sql.DB, c claim) ([]part, error) {
	if len(c.platforms) == 0 {
		return nil, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(c.platforms)), ",")
	args := make([]any, 0, len(c.platforms)+3)
	for _, p := range c.platforms {
		args = append(args, p)
	}
	filter := ""
	if c.only > 0 {
		filter = ` AND subscriber_id = ?`
		args = append(args, c.only)
	}
	args = append(args, c.now.UnixMilli(), c.limit+len(c.busy))
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.digest_id, d.token, o.subscriber_id, o.platform, s.chat_id, o.chat_kind, o.part,
		       o.attempts, o.build_failures, o.message
		FROM outbox o
		JOIN digests d ON d.id = o.digest_id
		JOIN subscribers s ON s.id = o.subscriber_id
		WHERE o.id IN (SELECT min(id) FROM outbox WHERE state = 'pending' AND platform IN (`+in+`)`+filter+` GROUP BY subscriber_id)
		  AND o.next_attempt_ms <= ?
		ORDER BY o.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read the outbox: %w", err)
	}
	defer rows.Close()
	var out []part
	for rows.Next() {
		var p part
		var body string
		if err := rows.Scan(&p.id, &p.digestID, &p.token, &p.subscriber, &p.chat.Platform, &p.chat.ChatID, &p.kind, &p.part,
			&p.attempts, &p.buildFailures, &body); err != nil {
			return nil, fmt.Errorf("digest: unable to read the outbox: %w", err)
		}
		if c.busy[p.subscriber] {
			continue
		}
		if err := json.Unmarshal([]byte(body), &p.spec); err != nil {
			p.unreadable = fmt.Errorf("digest: outbox part %d is unreadable: %w", p.id, err)
		}
		out = append(out, p)
		if len(out) == c.limit {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: unable to read the outbox: %w", err)
	}
	return out, nil
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
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_ms <= ?`, now.UnixMilli()).Scan(&n); err != nil {
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

// Reason is why some pending parts wait: the last error they met, or
// that they have not been tried yet.
type Reason struct {
	Why   string
	Parts int
}

// PendingReasons groups the pending parts by their last error, the most
// common first, at most limit groups.
func PendingReasons(ctx context.Context, q *sql.DB, limit int) ([]Reason, error) {
	rows, err := q.QueryContext(ctx, `SELECT CASE last_error WHEN '' THEN 'not tried yet' ELSE last_error END AS why, count(*) AS n
		FROM outbox WHERE state = 'pending' GROUP BY why ORDER BY n DESC, why LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read why parts wait: %w", err)
	}
	defer rows.Close()
	var out []Reason
	for rows.Next() {
		var r Reason
		if err := rows.Scan(&r.Why, &r.Parts); err != nil {
			return nil, fmt.Errorf("digest: unable to read why parts wait: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
