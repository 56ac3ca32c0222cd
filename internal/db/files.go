package db

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// wOK is access(2)'s W_OK.
const wOK = 2

// checkWritable says, before SQLite tries, why the database could not be
// written: SQLite itself reports a folder it may not write to as "unable
// to open database file: no such file or directory".
func checkWritable(path string, exists bool) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("db: unable to create %s: the folder %s does not exist", path, dir)
	}
	if err := writableDir(dir); err != nil {
		verb := "create"
		if exists {
			verb = "open"
		}
		return fmt.Errorf("db: unable to %s %s for writing: %w: the folder %s is not writable (%v), and SQLite needs to create "+
			"%s-wal and %s-shm beside the database: make the folder writable for this user",
			verb, path, ErrReadOnly, dir, err, filepath.Base(path), filepath.Base(path))
	}
	if !exists {
		return nil
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if p != path && !fileExists(p) {
			continue
		}
		if err := syscall.Access(p, wOK); err != nil {
			return fmt.Errorf("db: unable to open %s for writing: %w: %s is not writable (%v)", path, ErrReadOnly, p, err)
		}
	}
	return nil
}

// writableDir reports why this process may not create files in dir: a
// mode, an owner, or a read-only mount (which stops root too).
func writableDir(dir string) error {
	return syscall.Access(dir, wOK)
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// walHasFrames reports whether the database's -wal holds anything: a WAL
// file shorter than its 32-byte header holds no transaction.
func walHasFrames(path string) bool {
	st, err := os.Stat(path + "-wal")
	return err == nil && st.Size() > 32
}

// restrictModes takes group and other access away from the database and
// its -wal and -shm files. Files made by earlier versions were 0644, and
// they hold chat ids; SQLite gives new -wal and -shm files the mode of the
// database file, so they follow.
func restrictModes(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm()&0o077 == 0 {
			continue
		}
		mode := st.Mode().Perm() &^ 0o077
		if err := os.Chmod(p, mode); err != nil {
			slog.Warn("Unable to make a database file readable by its owner only", slog.String("file", p),
				slog.String("mode", fmt.Sprintf("%#o", st.Mode().Perm())), slog.Any("error", err))
			continue
		}
		slog.Warn("Made a database file readable by its owner only: it holds chat ids", slog.String("file", p),
			slog.String("old_mode", fmt.Sprintf("%#o", st.Mode().Perm())), slog.String("mode", fmt.Sprintf("%#o", mode)))
	}
}

func isNotADB(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrNotADB
}
