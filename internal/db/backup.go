package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the database to path, which must not
// exist, while the database stays in use. VACUUM INTO reads one snapshot
// in a read transaction, so readers and the writer carry on (in WAL mode
// the log only grows until the copy is done) and the copy holds exactly
// the transactions committed when it started. The copy is written under a
// temporary name in the same folder, checked in full, synced, and only
// then given its name, so path never names a partial or damaged file. It
// is readable by its owner only: it holds chat ids.
func (d *DB) Backup(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("db: unable to back up to %s: %w", path, err)
	}
	if err := mustNotExist(abs); err != nil {
		return fmt.Errorf("db: unable to back up to %s: %w", path, err)
	}
	// An empty file is the one thing VACUUM INTO will write over, and
	// CreateTemp makes it with mode 0600 under a name nobody else holds.
	f, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp-*")
	if err != nil {
		return fmt.Errorf("db: unable to back up to %s: %w", path, err)
	}
	tmp := f.Name()
	f.Close()
	done := false
	defer func() {
		if !done {
			removeCopy(tmp)
		}
	}()
	// The name is absolute, so SQLite never reads it as a file: URI.
	if _, err := d.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("db: unable to copy the database to %s: %w", path, err)
	}
	if err := checkCopy(ctx, tmp); err != nil {
		return fmt.Errorf("db: the copy for %s failed its check: %w", path, err)
	}
	if err := publish(tmp, abs); err != nil {
		return fmt.Errorf("db: unable to back up to %s: %w", path, err)
	}
	done = true
	return nil
}

func mustNotExist(path string) error {
	_, err := os.Lstat(path)
	if err == nil {
		return fs.ErrExist
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// checkCopy opens the copy read-only and runs SQLite's full integrity
// check: every page, every index entry against its row, and the search
// index's own structure (quick_check skips the indexes).
func checkCopy(ctx context.Context, path string) error {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	conn, err := sql.Open("sqlite3", "file:"+r.Replace(path)+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}

// publish gives the checked copy its name. VACUUM INTO does not sync what
// it writes, so the file is synced first, and its folder after. A hard
// link fails when path exists, where a rename would replace it: a backup
// started meanwhile under the same name is never overwritten.
func publish(tmp, path string) error {
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		// Some file systems have no hard links.
		if err := mustNotExist(path); err != nil {
			return err
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	} else {
		os.Remove(tmp)
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}

// removeCopy removes a copy that failed, with any journal SQLite left.
func removeCopy(tmp string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
}
