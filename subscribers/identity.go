package subscribers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"wzdaily/chat"
)

// MaxIdentityLen bounds an identity's text, in characters, as the table
// does.
const MaxIdentityLen = 2000

// ErrIdentityTooLong is returned for an identity the table would refuse.
var ErrIdentityTooLong = errors.New("identity too long")

// Identity is what a platform recognises a chat by when the chat's key
// alone will not do. WeChat's web protocol gives every friend a new id at
// each login, so its transport keeps here what it saw of each friend to
// find them again. The text is the platform's own: this package keeps it
// and never reads it.
type Identity struct {
	Key  chat.Key
	Kind chat.Kind
	Name string // the chat's name as it was saved
	Lang string
	Text string // "" when none was kept
}

// Identities returns every chat of a platform, with the identity kept for
// it, in the order the chats came.
func (s *Store) Identities(ctx context.Context, platform string) ([]Identity, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT chat_id, kind, name, lang, identity FROM subscribers WHERE platform = ? ORDER BY id`, platform)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read identities: %w", err)
	}
	defer rows.Close()
	var out []Identity
	for rows.Next() {
		id := Identity{Key: chat.Key{Platform: platform}}
		if err := rows.Scan(&id.Key.ChatID, &id.Kind, &id.Name, &id.Lang, &id.Text); err != nil {
			return nil, fmt.Errorf("store: unable to read identities: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to read identities: %w", err)
	}
	return out, nil
}

// SetIdentities keeps the identities of chats of one platform, by chat id,
// in one transaction, and returns the chat ids it kept them for, sorted: a
// chat that is no subscriber (yet) is skipped. The identity is no setting,
// so the change hook is not told and the subscriber's update time stays.
func (s *Store) SetIdentities(ctx context.Context, platform string, texts map[string]string) ([]string, error) {
	for id, text := range texts {
		if utf8.RuneCountInString(text) > MaxIdentityLen {
			return nil, fmt.Errorf("store: subscriber %s:%s: %w", platform, id, ErrIdentityTooLong)
		}
	}
	var kept []string
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		kept = kept[:0]
		for id, text := range texts {
			res, err := tx.ExecContext(ctx, `UPDATE subscribers SET identity = ? WHERE platform = ? AND chat_id = ?`, text, platform, id)
			if err != nil {
				return fmt.Errorf("store: unable to keep the identity of %s:%s: %w", platform, id, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("store: unable to keep the identity of %s:%s: %w", platform, id, err)
			} else if n > 0 {
				kept = append(kept, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(kept)
	return kept, nil
}
