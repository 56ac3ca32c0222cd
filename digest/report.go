package digest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/db"
)

// Outbox reads the digest outbox for those who report on it (/stats,
// /healthz, the command line): what waits, what went, what will not go,
// and why; and when each subscriber's next digest is due.
type Outbox struct {
	db *db.DB
}

// NewOutbox returns the outbox of a database migrated with Schema.
func NewOutbox(conn *db.DB) *Outbox { return &Outbox{db: conn} }

// Backlog counts the outbox's parts by state.
type Backlog struct {
	Pending int `json:"pending"` // to be delivered, now or after a wait
	Sent    int `json:"sent"`
	Dead    int `json:"dead"` // will not be delivered: see DeadLetters
	// Held wait for their readers to write: their chats' conversation
	// windows are closed. Parts merged into a release are not counted.
	Held int `json:"held"`
}

// Backlog counts parts by state.
func (o *Outbox) Backlog(ctx context.Context) (Backlog, error) {
	var b Backlog
	err := o.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'sent'),
		count(*) FILTER (WHERE state = 'dead'), count(*) FILTER (WHERE state = 'held') FROM outbox`).Scan(&b.Pending, &b.Sent, &b.Dead, &b.Held)
	if err != nil {
		return Backlog{}, fmt.Errorf("digest: unable to count the outbox: %w", err)
	}
	return b, nil
}

// Due counts pending parts whose time to be sent comes by t: those of the
// given platforms, or of all when none is given. A run that serves some
// platforms waits only for theirs.
func (o *Outbox) Due(ctx context.Context, t time.Time, platforms ...string) (int, error) {
	q := `SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_ms <= ?`
	args := []any{t.UnixMilli()}
	if len(platforms) > 0 {
		q += ` AND platform IN (` + strings.TrimSuffix(strings.Repeat("?,", len(platforms)), ",") + `)`
		for _, p := range platforms {
			args = append(args, p)
		}
	}
	var n int
	if err := o.db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("digest: unable to count the outbox: %w", err)
	}
	return n, nil
}

// DigestsSince counts digests composed since t.
func (o *Outbox) DigestsSince(ctx context.Context, t time.Time) (int, error) {
	var n int
	if err := o.db.QueryRowContext(ctx, `SELECT count(*) FROM digests WHERE created_at >= ?`, t.Unix()).Scan(&n); err != nil {
		return 0, fmt.Errorf("digest: unable to count digests: %w", err)
	}
	return n, nil
}

// DeadLetter is a part that will not be delivered.
type DeadLetter struct {
	ID         int64
	Subscriber int64
	Chat       chat.Key
	Part       int
	Attempts   int
	Error      string
	Created    time.Time
}

// DeadLetters lists undeliverable parts, newest first.
func (o *Outbox) DeadLetters(ctx context.Context, limit int) ([]DeadLetter, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT o.id, o.subscriber_id, o.platform, o.chat_id, o.part, o.attempts, o.last_error, d.created_at
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: unable to read dead letters: %w", err)
	}
	return out, nil
}

// Reason is why some pending parts wait: the platform they wait for, and
// the last error they met there, or that they have not been tried yet.
type Reason struct {
	Platform string
	Why      string
	Parts    int
}

// PendingReasons groups the pending parts by platform and last error, the
// most common first, at most limit groups.
func (o *Outbox) PendingReasons(ctx context.Context, limit int) ([]Reason, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT platform, CASE last_error WHEN '' THEN 'not tried yet' ELSE last_error END AS why,
		count(*) AS n
		FROM outbox WHERE state = 'pending' GROUP BY platform, why ORDER BY n DESC, platform, why LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read why parts wait: %w", err)
	}
	defer rows.Close()
	var out []Reason
	for rows.Next() {
		var r Reason
		if err := rows.Scan(&r.Platform, &r.Why, &r.Parts); err != nil {
			return nil, fmt.Errorf("digest: unable to read why parts wait: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: unable to read why parts wait: %w", err)
	}
	return out, nil
}

// NextDue returns when each subscriber's next digest is due, by
// subscriber id; a subscriber without a schedule is missing.
func (o *Outbox) NextDue(ctx context.Context) (map[int64]time.Time, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT subscriber_id, next_due_at FROM digest_state`)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read the schedule: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id, due int64
		if err := rows.Scan(&id, &due); err != nil {
			return nil, fmt.Errorf("digest: unable to read the schedule: %w", err)
		}
		out[id] = time.Unix(due, 0)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: unable to read the schedule: %w", err)
	}
	return out, nil
}
