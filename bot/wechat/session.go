package wechat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// sessionFile is openwechat's hot-login storage kept in a file readable
// only by the bot's user: it holds the session's keys, which let anyone
// act as the account. Each dump replaces the file whole, so a crash never
// leaves half a session behind.
type sessionFile struct {
	path string

	mu     sync.Mutex
	reader *bytes.Reader
}

func (s *sessionFile) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reader == nil {
		b, err := os.ReadFile(s.path)
		if errors.Is(err, fs.ErrNotExist) {
			b = nil // a first login: the library reads "nothing stored"
		} else if err != nil {
			return 0, fmt.Errorf("wechat: unable to read the session file: %w", err)
		}
		s.reader = bytes.NewReader(b)
	}
	n, err := s.reader.Read(p)
	if err == io.EOF {
		s.reader = nil // the next login reads the file again
	}
	return n, err
}

func (s *sessionFile) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := writeFile(s.path, p, 0o600); err != nil {
		return 0, fmt.Errorf("wechat: unable to save the session: %w", err)
	}
	return len(p), nil
}

// writeFile replaces path with data, atomically, with the given mode.
func writeFile(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
