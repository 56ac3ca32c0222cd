package subscribers

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/db"
)

// TestMigratingKeepsEverySubscriber brings a database as the first
// version left it to the latest schema: every row and setting is kept,
// and the new columns start empty (digests to the chat's main part).
func TestMigratingKeepsEverySubscriber(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	first := Schema()
	first.Steps = first.Steps[:1] // 001_subscribers.sql, as it shipped
	old, err := db.Open(ctx, path, first)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO subscribers (id, platform, chat_id, kind, name, lang, deliver_minute, tz, max_items, empty_notice, state, created_at, updated_at)
			VALUES (1, 'telegram', '-100', 'group', '梧州读者', 'en', 480, 'Europe/Berlin', 12, 0, 'paused', 1, 2)`,
		`INSERT INTO subscriber_tags (subscriber_id, position, tag) VALUES (1, 0, '工业'), (1, 1, '梧州日报新闻')`,
		`INSERT INTO subscriber_keywords (subscriber_id, word, exclude) VALUES (1, '龙母', 0), (1, '广告', 1)`,
	} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	conn, err := db.Open(ctx, path, Schema())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sub, err := NewStore(conn, Options{Now: time.Now}).Get(ctx, chat.Key{Platform: "telegram", ChatID: "-100"})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Name != "梧州读者" || sub.Lang != "en" || sub.DeliverAt != 480 || sub.Zone != "Europe/Berlin" || sub.MaxItems != 12 ||
		sub.EmptyNotice || sub.State != Paused || len(sub.Tags) != 2 || sub.Tags[0] != "工业" ||
		len(sub.Include) != 1 || len(sub.Exclude) != 1 || sub.Thread != "" || sub.Referral != "" {
		t.Errorf("after the migration: %+v", sub)
	}
	if ids, err := NewStore(conn, Options{Now: time.Now}).Identities(ctx, "telegram"); err != nil || len(ids) != 1 || ids[0].Text != "" {
		t.Errorf("identities after the migration: %+v, %v", ids, err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE subscribers SET identity = ? WHERE id = 1`, strings.Repeat("9", MaxIdentityLen+1)); err == nil {
		t.Errorf("an identity of %d characters was stored", MaxIdentityLen+1)
	}
	// The new columns take values, within their checks.
	for _, column := range []string{"thread", "referral"} {
		if _, err := conn.ExecContext(ctx, `UPDATE subscribers SET `+column+` = ? WHERE id = 1`, strings.Repeat("9", MaxThreadLen)); err != nil {
			t.Errorf("%s: %v", column, err)
		}
		if _, err := conn.ExecContext(ctx, `UPDATE subscribers SET `+column+` = ? WHERE id = 1`, strings.Repeat("9", MaxThreadLen+1)); err == nil {
			t.Errorf("a %s of %d bytes was stored", column, MaxThreadLen+1)
		}
	}
	refs, err := NewStore(conn, Options{Now: time.Now}).Referrals(ctx, 5)
	if err != nil || len(refs) != 1 || refs[0].Chats != 1 {
		t.Errorf("referrals after the migration: %+v, %v", refs, err)
	}
}
