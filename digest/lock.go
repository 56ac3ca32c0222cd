package digest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrLocked means another process is delivering from the same database.
var ErrLocked = errors.New("another wzdaily process is already delivering from this database")

// Lock holds the single-instance delivery lock of a database.
type Lock struct {
	f *os.File
}

// AcquireLock takes the delivery lock of the database at dbPath: an
// exclusive flock on dbPath+".deliver.lock". The operating system drops it
// when the process dies, so a crash never leaves a stale lock behind.
func AcquireLock(dbPath string) (*Lock, error) {
	path := dbPath + ".deliver.lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		if dir := filepath.Dir(path); errors.Is(err, fs.ErrNotExist) || syscall.Access(dir, 2) != nil {
			return nil, fmt.Errorf("digest: unable to create the lock file %s: the folder %s is not writable or does not exist (%w); "+
				"a process that writes the database creates %s and, for SQLite, %s-wal and %s-shm beside it",
				path, dir, err, filepath.Base(path), filepath.Base(dbPath), filepath.Base(dbPath))
		}
		return nil, fmt.Errorf("digest: unable to open the lock file %s: %w", path, err)
	}
	// Earlier versions left lock files 0644: keep them as private as the
	// database beside them.
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
		f.Chmod(st.Mode().Perm() &^ 0o077)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s is held): stop the other process first", ErrLocked, path)
		}
		return nil, fmt.Errorf("digest: unable to lock %s: %w", path, err)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return &Lock{f: f}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	return l.f.Close()
}
