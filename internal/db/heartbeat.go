package db

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

var (
	// ErrReadOnly means the database, its folder or its medium does not
	// take writes, or it was opened for reading only.
	ErrReadOnly = errors.New("the database is read-only")
	// ErrDiskFull means SQLite could not write for lack of space.
	ErrDiskFull = errors.New("the disk is full")
)

// Heartbeat writes and commits one row, holding the write lock for that
// statement only, and so proves the database takes a write now. A
// transaction rolled back proves nothing: it writes no page to disk, and
// succeeds on a full disk. The error wraps ErrDiskFull or ErrReadOnly when
// that is the reason.
func (d *DB) Heartbeat(ctx context.Context) error {
	if d.readOnly {
		return fmt.Errorf("db: unable to commit a heartbeat to %s: %w: it was opened for reading only", d.path, ErrReadOnly)
	}
	select {
	case d.write <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-d.write }()
	// Outside a transaction the statement commits on its own. The count
	// changes every time, so the row's page is always written.
	_, err := d.ExecContext(ctx, `INSERT INTO db_heartbeat (id, beats, at_ms)
		VALUES (1, 1, CAST(unixepoch('subsec') * 1000 AS INTEGER))
		ON CONFLICT (id) DO UPDATE SET beats = beats + 1, at_ms = excluded.at_ms`)
	if err != nil {
		return fmt.Errorf("db: unable to commit a heartbeat to %s: %w", d.path, explainWrite(err))
	}
	return nil
}

// Unwritable returns an error wrapping ErrDiskFull or ErrReadOnly, and
// err, when err says SQLite could not write for lack of space or of
// permission; otherwise nil. Callers use it to tell "the database refuses
// writes" (wait, and say so) from a fault of one statement.
func Unwritable(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return nil
	}
	switch se.Code {
	case sqlite3.ErrFull:
		return fmt.Errorf("%w (%w)", ErrDiskFull, err)
	case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen:
		return fmt.Errorf("%w (%w)", ErrReadOnly, err)
	case sqlite3.ErrIoErr:
		switch se.SystemErrno {
		case syscall.ENOSPC, syscall.EDQUOT:
			return fmt.Errorf("%w (%w)", ErrDiskFull, err)
		case syscall.EROFS, syscall.EACCES, syscall.EPERM:
			return fmt.Errorf("%w (%w)", ErrReadOnly, err)
		}
	}
	return nil
}

// explainWrite is err, named as unwritable when it is.
func explainWrite(err error) error {
	if u := Unwritable(err); u != nil {
		return u
	}
	return err
}
