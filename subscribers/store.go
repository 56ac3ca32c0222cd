package subscribers

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema returns the migrations of the tables this package owns.
func Schema() db.Schema {
	return db.Schema{Name: "subscribers", Steps: db.SQLFiles(migrations, "migrations")}
}

// ErrNotFound means no subscriber has the key.
var ErrNotFound = errors.New("subscriber not found")

// Store keeps subscribers in SQLite.
type Store struct {
	db   *db.DB
	opts Options
}

// Hook runs inside the transaction of every change, after the row is
// saved; before is nil for a new subscriber. An error undoes the change.
type Hook func(ctx context.Context, tx *sql.Tx, before, after *Subscriber) error

// Options configure a Store.
type Options struct {
	Now func() time.Time
	// OnChange is told of every change in its transaction. The digest
	// schedule (digest.Schedule.Changed) keeps each subscriber's next
	// digest in step through it: a store without it gives new subscribers
	// no digest.
	OnChange Hook
}

// NewStore returns a store over a database migrated with Schema.
func NewStore(conn *db.DB, opts Options) *Store {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Store{db: conn, opts: opts}
}

// Get returns the subscriber with the key.
func (s *Store) Get(ctx context.Context, key chat.Key) (*Subscriber, error) {
	return load(ctx, s.db, key)
}

// Update changes the subscriber with the key in one transaction: it loads
// the row under the write lock, lets change edit it, validates the result
// and writes it back. Concurrent updates of one chat queue up and each sees
// the one before, so none is lost. When change returns an error nothing is
// written and the error is returned as is.
func (s *Store) Update(ctx context.Context, key chat.Key, change func(*Subscriber) error) (*Subscriber, error) {
	return s.update(ctx, key, false, change)
}

// Upsert is Update for a chat that may not exist yet: it starts from New
// with the given kind and name.
func (s *Store) Upsert(ctx context.Context, key chat.Key, kind chat.Kind, name string, change func(*Subscriber) error) (*Subscriber, error) {
	return s.update(ctx, key, true, func(sub *Subscriber) error {
		if sub.ID == 0 {
			*sub = *New(key, kind, name)
		}
		return change(sub)
	})
}

func (s *Store) update(ctx context.Context, key chat.Key, create bool, change func(*Subscriber) error) (*Subscriber, error) {
	var sub *Subscriber
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		var before *Subscriber
		sub, err = load(ctx, tx, key)
		switch {
		case errors.Is(err, ErrNotFound) && create:
			sub = &Subscriber{Key: key}
		case err != nil:
			return err
		default:
			before = sub.clone()
		}
		if err := change(sub); err != nil {
			return err
		}
		if err := sub.Validate(); err != nil {
			return fmt.Errorf("store: subscriber %s: %w", key, err)
		}
		sub.Key = key
		if err := s.save(ctx, tx, sub); err != nil {
			return err
		}
		if s.opts.OnChange != nil {
			return s.opts.OnChange(ctx, tx, before, sub)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// Import adds new subscribers, many to a transaction, each checked and
// saved as Upsert would (the change hook included). It is for seeding a
// database in bulk, where a transaction per chat would take minutes. A
// chat that exists already fails its batch.
func (s *Store) Import(ctx context.Context, subs []*Subscriber) error {
	const batch = 1000
	for start := 0; start < len(subs); start += batch {
		err := s.db.Write(ctx, func(tx *sql.Tx) error {
			for _, sub := range subs[start:min(start+batch, len(subs))] {
				if sub.ID != 0 {
					return fmt.Errorf("store: subscriber %s: import adds new subscribers only", sub.Key)
				}
				if err := sub.Validate(); err != nil {
					return fmt.Errorf("store: subscriber %s: %w", sub.Key, err)
				}
				if err := s.save(ctx, tx, sub); err != nil {
					return err
				}
				if s.opts.OnChange != nil {
					if err := s.opts.OnChange(ctx, tx, nil, sub); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			for _, sub := range subs[start:min(start+batch, len(subs))] {
				sub.ID = 0 // rolled back
			}
			return err
		}
	}
	return nil
}

// Delete forgets a subscriber and everything stored about it.
func (s *Store) Delete(ctx context.Context, key chat.Key) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE platform = ? AND chat_id = ?`, key.Platform, key.ChatID)
		if err != nil {
			return fmt.Errorf("store: unable to delete subscriber %s: %w", key, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: subscriber %s: %w", key, ErrNotFound)
		}
		return nil
	})
}

const subscriberColumns = `id, platform, chat_id, kind, name, lang, deliver_minute, tz, max_items, empty_notice, state, thread, referral, created_at, updated_at`

type scanner interface{ Scan(...any) error }

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func scanSubscriber(row scanner) (*Subscriber, error) {
	var sub Subscriber
	var created, updated int64
	err := row.Scan(&sub.ID, &sub.Key.Platform, &sub.Key.ChatID, &sub.Kind, &sub.Name, &sub.Lang, &sub.DeliverAt,
		&sub.Zone, &sub.MaxItems, &sub.EmptyNotice, &sub.State, &sub.Thread, &sub.Referral, &created, &updated)
	if err != nil {
		return nil, err
	}
	sub.Created, sub.Updated = time.Unix(created, 0), time.Unix(updated, 0)
	return &sub, nil
}

func load(ctx context.Context, tx querier, key chat.Key) (*Subscriber, error) {
	sub, err := scanSubscriber(tx.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE platform = ? AND chat_id = ?`, key.Platform, key.ChatID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: subscriber %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load subscriber %s: %w", key, err)
	}
	if err := loadListsOf(ctx, tx, []*Subscriber{sub}); err != nil {
		return nil, err
	}
	return sub, nil
}

func (s *Store) save(ctx context.Context, tx *sql.Tx, sub *Subscriber) error {
	now := s.opts.Now()
	if sub.ID == 0 {
		sub.Created = now
	}
	sub.Updated = now
	if sub.ID == 0 {
		res, err := tx.ExecContext(ctx, `INSERT INTO subscribers
			(platform, chat_id, kind, name, lang, deliver_minute, tz, max_items, empty_notice, state, thread, referral, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sub.Key.Platform, sub.Key.ChatID, sub.Kind, sub.Name, sub.Lang, sub.DeliverAt, sub.Zone, sub.MaxItems,
			sub.EmptyNotice, sub.State, sub.Thread, sub.Referral, now.Unix(), now.Unix())
		if err != nil {
			return fmt.Errorf("store: unable to insert subscriber %s: %w", sub.Key, err)
		}
		if sub.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("store: unable to insert subscriber %s: %w", sub.Key, err)
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET
			kind = ?, name = ?, lang = ?, deliver_minute = ?, tz = ?, max_items = ?, empty_notice = ?, state = ?, thread = ?, referral = ?,
			updated_at = ?
			WHERE id = ?`,
		sub.Kind, sub.Name, sub.Lang, sub.DeliverAt, sub.Zone, sub.MaxItems, sub.EmptyNotice, sub.State, sub.Thread, sub.Referral,
		now.Unix(), sub.ID); err != nil {
		return fmt.Errorf("store: unable to update subscriber %s: %w", sub.Key, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscriber_tags WHERE subscriber_id = ?`, sub.ID); err != nil {
		return fmt.Errorf("store: unable to save the tags of subscriber %s: %w", sub.Key, err)
	}
	for i, t := range sub.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO subscriber_tags (subscriber_id, position, tag) VALUES (?, ?, ?)`, sub.ID, i, t); err != nil {
			return fmt.Errorf("store: unable to save the tags of subscriber %s: %w", sub.Key, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscriber_keywords WHERE subscriber_id = ?`, sub.ID); err != nil {
		return fmt.Errorf("store: unable to save the keywords of subscriber %s: %w", sub.Key, err)
	}
	for _, list := range []struct {
		words   []string
		exclude bool
	}{{sub.Include, false}, {sub.Exclude, true}} {
		for _, w := range list.words {
			if _, err := tx.ExecContext(ctx, `INSERT INTO subscriber_keywords (subscriber_id, word, exclude) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, sub.ID, w, list.exclude); err != nil {
				return fmt.Errorf("store: unable to save the keywords of subscriber %s: %w", sub.Key, err)
			}
		}
	}
	return nil
}

// Counts returns how many subscribers there are per platform and state.
func (s *Store) Counts(ctx context.Context) (map[string]map[State]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT platform, state, count(*) FROM subscribers GROUP BY platform, state`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count subscribers: %w", err)
	}
	defer rows.Close()
	out := map[string]map[State]int{}
	for rows.Next() {
		var p string
		var st State
		var n int
		if err := rows.Scan(&p, &st, &n); err != nil {
			return nil, fmt.Errorf("store: unable to count subscribers: %w", err)
		}
		if out[p] == nil {
			out[p] = map[State]int{}
		}
		out[p][st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to count subscribers: %w", err)
	}
	return out, nil
}

// List returns every subscriber, by platform and chat id, with its lists.
func (s *Store) List(ctx context.Context) ([]*Subscriber, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM subscribers ORDER BY platform, chat_id`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list subscribers: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to list subscribers: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to list subscribers: %w", err)
	}
	subs, err := s.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(subs, func(a, b *Subscriber) int {
		return cmp.Or(cmp.Compare(a.Key.Platform, b.Key.Platform), cmp.Compare(a.Key.ChatID, b.Key.ChatID))
	})
	return subs, nil
}

// Referral is how many chats came by one link's code.
type Referral struct {
	Code  string
	Chats int
}

// Referrals counts the chats by the link they first came by, the most
// first, at most limit codes.
func (s *Store) Referrals(ctx context.Context, limit int) ([]Referral, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT referral, count(*) AS n FROM subscribers WHERE referral != ''
		GROUP BY referral ORDER BY n DESC, referral LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count referrals: %w", err)
	}
	defer rows.Close()
	var out []Referral
	for rows.Next() {
		var r Referral
		if err := rows.Scan(&r.Code, &r.Chats); err != nil {
			return nil, fmt.Errorf("store: unable to count referrals: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to count referrals: %w", err)
	}
	return out, nil
}

// GetMany returns the subscribers with the given ids that exist.
func (s *Store) GetMany(ctx context.Context, ids []int64) ([]*Subscriber, error) {
	var out []*Subscriber
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT `+subscriberColumns+` FROM subscribers WHERE id IN (`+
			strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: unable to load subscribers: %w", err)
		}
		var batch []*Subscriber
		for rows.Next() {
			sub, err := scanSubscriber(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: unable to load subscribers: %w", err)
			}
			batch = append(batch, sub)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: unable to load subscribers: %w", err)
		}
		if err := loadListsOf(ctx, s.db, batch); err != nil {
			return nil, err
		}
		out = append(out, batch...)
	}
	return out, nil
}

// Move gives a subscriber a new chat id, when the platform moved the chat
// (a Telegram group that became a supergroup).
func (s *Store) Move(ctx context.Context, key chat.Key, newChatID string) error {
	return s.MoveWith(ctx, key, newChatID, nil)
}

// MoveWith is Move, with also run in the same transaction once the
// subscriber (whose id it is given) has moved, so that rows of other
// packages naming the chat move with it or not at all.
func (s *Store) MoveWith(ctx context.Context, key chat.Key, newChatID string, also func(tx *sql.Tx, id int64) error) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE subscribers SET chat_id = ?, updated_at = ? WHERE platform = ? AND chat_id = ? RETURNING id`,
			newChatID, s.opts.Now().Unix(), key.Platform, key.ChatID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: subscriber %s: %w", key, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: unable to move subscriber %s: %w", key, err)
		}
		if also != nil {
			return also(tx, id)
		}
		return nil
	})
}

// loadListsOf fills the tags and keywords of many subscribers with one
// query each, not two per subscriber: a morning run loads thousands.
func loadListsOf(ctx context.Context, q querier, subs []*Subscriber) error {
	if len(subs) == 0 {
		return nil
	}
	byID := make(map[int64]*Subscriber, len(subs))
	args := make([]any, len(subs))
	for i, sub := range subs {
		byID[sub.ID] = sub
		args[i] = sub.ID
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(subs)), ",")
	rows, err := q.QueryContext(ctx, `SELECT subscriber_id, tag FROM subscriber_tags WHERE subscriber_id IN (`+in+`)
		ORDER BY subscriber_id, position`, args...)
	if err != nil {
		return fmt.Errorf("store: unable to load subscriber tags: %w", err)
	}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			rows.Close()
			return fmt.Errorf("store: unable to load subscriber tags: %w", err)
		}
		byID[id].Tags = append(byID[id].Tags, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to load subscriber tags: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT subscriber_id, word, exclude FROM subscriber_keywords WHERE subscriber_id IN (`+in+`)
		ORDER BY subscriber_id, word`, args...)
	if err != nil {
		return fmt.Errorf("store: unable to load subscriber keywords: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var w string
		var exclude bool
		if err := rows.Scan(&id, &w, &exclude); err != nil {
			return fmt.Errorf("store: unable to load subscriber keywords: %w", err)
		}
		if exclude {
			byID[id].Exclude = append(byID[id].Exclude, w)
		} else {
			byID[id].Include = append(byID[id].Include, w)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to load subscriber keywords: %w", err)
	}
	return nil
}
