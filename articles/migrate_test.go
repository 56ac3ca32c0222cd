package articles

import (
	"context"
	"path/filepath"
	"testing"

	"wzdaily/internal/db"
)

func TestTheMigrationForgetsSkippedFilesAndKeepsStoredOnes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	before := Schema()
	before.Steps = before.Steps[:4] // up to 004_claimed_at.sql
	old, err := db.Open(ctx, path, before)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO articles (id, doc, title, published_at, body, lead, hash, ingested_at, updated_at)
			VALUES ('NW1', 1, 't', 0, 'b', 'l', 'h', 0, 0), ('init', 2, 't', 0, 'b', 'l', 'h', 0, 0)`,
		`INSERT INTO pruned (id, pruned_at) VALUES ('NW2', 0)`,
		`INSERT INTO source_state (source, key, value, updated_at) VALUES
			('dir:/x', 'file:_posts/2022-02-11-NW1.md', '1:1', 0),
			('dir:/x', 'file:old_post/2021-12-01-init.md', '1:1', 0),
			('dir:/x', 'file:old_post/2021-12-01-NW2.md', '1:1', 0),
			('dir:/x', 'file:_posts/2021-12-08-202112082206672930.md', '1:1', 0),
			('dir:/x', 'file:_posts/-202205262391921712.md', '1:1', 0),
			('site:x', 'url:https://x/category/wuzhouribao.html', 'e' || char(10) || 'l', 0)`,
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
	rows, err := conn.QueryContext(ctx, `SELECT key FROM source_state ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var kept []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, k)
	}
	want := []string{"file:_posts/2022-02-11-NW1.md", "file:old_post/2021-12-01-NW2.md", "file:old_post/2021-12-01-init.md",
		"url:https://x/category/wuzhouribao.html"}
	if len(kept) != len(want) {
		t.Fatalf("kept %q, want %q", kept, want)
	}
	for i := range want {
		if kept[i] != want[i] {
			t.Errorf("kept %q, want %q", kept, want)
			break
		}
	}
}
