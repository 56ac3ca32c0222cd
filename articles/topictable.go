package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The topic table in force is stored in the database once it is set, and
// every store over the database tags with it; with none stored, a store
// tags with its own table (the built-in one unless StoreOptions.Topics
// names another). Setting or resetting it is the one way to change it.

// TopicsInForce describes the table a store tags with.
type TopicsInForce struct {
	Name   string // the file it was set from; "" for the store's own table
	Topics int    // how many topics it has
}

// TopicChange says what SetTopics or ResetTopics did.
type TopicChange struct {
	TopicsInForce
	// Changed is false when that table was in force already.
	Changed bool
	// Retagged counts the articles tagged again.
	Retagged int
}

// SetTopics makes t the topic table in force in the database, under name
// (the file it came from), and tags every stored article again with it in
// the same transaction. Other stores over the database take it up at their
// next ingest.
func (s *Store) SetTopics(ctx context.Context, t *Topics, name string) (TopicChange, error) {
	if name == "" {
		return TopicChange{}, errors.New("store: unable to set the topic table: it needs a name")
	}
	return s.changeTopics(ctx, t.current(), name)
}

// ResetTopics removes the table set with SetTopics: the store's own table
// is in force again, and stored articles are tagged with it.
func (s *Store) ResetTopics(ctx context.Context) (TopicChange, error) {
	return s.changeTopics(ctx, nil, "")
}

func (s *Store) changeTopics(ctx context.Context, tbl *topicTable, name string) (TopicChange, error) {
	var ch TopicChange
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		before, beforeName, err := storedTopics(ctx, tx)
		if err != nil {
			return err
		}
		if tbl == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM topic_table`)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO topic_table (id, name, body, set_at) VALUES (1, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body, set_at = excluded.set_at`,
				name, tbl.text, s.now().Unix())
		}
		if err != nil {
			return fmt.Errorf("store: unable to save the topic table: %w", err)
		}
		after := tbl
		if after == nil {
			after = s.topics.own
		}
		ch.Changed = (before == nil) != (tbl == nil) || beforeName != name ||
			(before != nil && before.fingerprint != after.fingerprint)
		ch.Retagged, err = s.retagWith(ctx, tx, after)
		return err
	})
	if err != nil {
		return TopicChange{}, err
	}
	s.topics.use(tbl)
	ch.TopicsInForce = TopicsInForce{Name: name, Topics: len(s.topics.current().names)}
	return ch, nil
}

// LoadTopics makes the store tag with the table in force in the
// database, and says which it is.
func (s *Store) LoadTopics(ctx context.Context) (TopicsInForce, error) {
	tbl, name, err := storedTopics(ctx, s.db)
	if err != nil {
		return TopicsInForce{}, err
	}
	s.topics.use(tbl)
	return TopicsInForce{Name: name, Topics: len(s.topics.current().names)}, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// storedTopics reads the table set with SetTopics; nil when none is.
func storedTopics(ctx context.Context, q querier) (*topicTable, string, error) {
	var name, body string
	err := q.QueryRowContext(ctx, `SELECT name, body FROM topic_table WHERE id = 1`).Scan(&name, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("store: unable to read the topic table in force: %w", err)
	}
	tbl, err := parseTable(body)
	if err != nil {
		return nil, "", fmt.Errorf("store: the topic table in force (from %s) does not parse: %w; set it again with --topics FILE, or --topics builtin", name, err)
	}
	return tbl, name, nil
}
