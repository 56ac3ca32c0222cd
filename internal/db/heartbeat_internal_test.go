package db

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeartbeatFailsOnAReadOnlyFile: SQLite opens a file it may not write
// read-only, and every write fails; the probe must say so.
func TestHeartbeatFailsOnAReadOnlyFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	conn, err := Open(ctx, path, testSchema(`CREATE TABLE things (id INTEGER)`))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	ro, err := sql.Open("sqlite3", readOnlyDSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	d := &DB{DB: ro, write: make(chan struct{}, 1), path: path}
	defer d.Close()
	err = d.Heartbeat(ctx)
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "heartbeat") {
		t.Fatalf("Heartbeat on a read-only file: %v, want ErrReadOnly", err)
	}
}

func TestUnwritableNamesOnlyRefusedWrites(t *testing.T) {
	if Unwritable(errors.New("no such table: x")) != nil || Unwritable(nil) != nil {
		t.Errorf("an ordinary error was taken for a refused write")
	}
}
