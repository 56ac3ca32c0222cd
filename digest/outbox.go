package digest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
	"wzdaily/chat"
)

// part is one outbox row on its way to the platform.
type part struct {
	id            int64
	digestID      int64
	token         string // the digest's, unique for the life of the database
	subscriber    int64
	chat          chat.Key
	thread        string // where in the chat: the subscriber's, at send time
	kind          chat.Kind
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
// the subscriber's row, so a chat that moved is followed whoever moved it,
// and so does its thread (a forum topic), so a part goes where digests go
// now.
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
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.digest_id, d.token, o.subscriber_id, o.platform, s.chat_id, s.thread, o.chat_kind, o.part,
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
		if err := rows.Scan(&p.id, &p.digestID, &p.token, &p.subscriber, &p.chat.Platform, &p.chat.ChatID, &p.thread, &p.kind, &p.part,
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
