package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"wzdaily/internal/app"
)

// TestTheFilesBesideADatabaseAreIgnored: following the README's tries
// leaves a database with a WeChat session (which lets anyone act as the
// account), a QR code and a lock beside it; `git add .` must not take them.
func TestTheFilesBesideADatabaseAreIgnored(t *testing.T) {
	raw, err := os.ReadFile("../../.gitignore")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, line)
		}
	}
	session, qr := app.WeChatFiles("try.db")
	for _, name := range []string{"try.db", "try.db-wal", "try.db-shm", session, qr, "try.db.deliver.lock", app.WebKeyFile("try.db")} {
		ignored := false
		for _, p := range patterns {
			if ok, _ := filepath.Match(p, name); ok {
				ignored = true
			}
		}
		if !ignored {
			t.Errorf("%s is not ignored by .gitignore", name)
		}
	}
}
