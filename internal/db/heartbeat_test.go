package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"wzdaily/internal/db"
	"wzdaily/internal/db/dbtest"
)

func beats(t *testing.T, conn *db.DB) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(`SELECT coalesce((SELECT beats FROM db_heartbeat), 0)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHeartbeatCommitsARow(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	conn, err := db.Open(ctx, path, things)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := conn.Heartbeat(ctx); err != nil {
			t.Fatalf("Heartbeat: %v", err)
		}
	}
	conn.Close()
	// Committed: another open of the file sees it.
	again, err := db.OpenWith(ctx, path, db.Options{Access: db.ReadOnly}, things)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n := beats(t, again); n != 3 {
		t.Errorf("beats = %d, want 3", n)
	}
}

func TestHeartbeatFailsOnAFullDisk(t *testing.T) {
	ctx := context.Background()
	dir, fill := dbtest.SmallDisk(t, "1m")
	conn, err := db.Open(ctx, filepath.Join(dir, "x.db"), things)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Heartbeat(ctx); err != nil {
		t.Fatalf("Heartbeat before the disk is full: %v", err)
	}
	fill()
	err = conn.Heartbeat(ctx)
	if !errors.Is(err, db.ErrDiskFull) {
		t.Fatalf("Heartbeat on a full disk: %v, want ErrDiskFull", err)
	}
	t.Logf("on a full disk: %v", err)
}
