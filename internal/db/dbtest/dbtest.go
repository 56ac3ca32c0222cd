// Package dbtest opens fresh, migrated databases for tests.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"wzdaily/internal/db"
)

// Open returns a migrated database in a new file under t.TempDir, closed
// when the test ends.
func Open(t testing.TB, schemas ...db.Schema) *db.DB {
	t.Helper()
	conn, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), schemas...)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
