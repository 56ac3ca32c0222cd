package dbtest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// ReadOnlyCopy copies files into a new folder that this process cannot
// write to, and returns the folder. The copies are mode 0444 and the
// folder 0555. Root is not stopped by modes, so as root the folder is a
// tmpfs remounted read-only, as a read-only medium is; where mounting is
// not allowed either, the test is skipped, saying why.
func ReadOnlyCopy(t testing.TB, files ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "read-only")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mounted := false
	if os.Geteuid() == 0 {
		if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=256m,mode=0755"); err != nil {
			t.Skipf("cannot make a read-only folder: running as root, whom file modes do not stop, and mounting a tmpfs failed: %v", err)
		}
		mounted = true
		t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	}
	for _, f := range files {
		to := filepath.Join(dir, filepath.Base(f))
		if err := copyFile(f, to); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(to, 0o444); err != nil {
			t.Fatal(err)
		}
	}
	if mounted {
		if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=256m,mode=0755"); err != nil {
			t.Skipf("cannot remount a tmpfs read-only: %v", err)
		}
	} else {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	}
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		f.Close()
		t.Skipf("cannot make a read-only folder: this process may write to %s despite its mode", dir)
	}
	return dir
}

// SmallDisk returns an empty folder on a file system of size bytes, and a
// function that fills what is left of it, so that the next write of a new
// block fails with "no space left on device". It needs to mount a tmpfs;
// where that is not allowed, the test is skipped, saying why.
func SmallDisk(t testing.TB, size string) (dir string, fill func()) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "small-disk")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0755"); err != nil {
		t.Skipf("cannot make a small disk: mounting a tmpfs needs root (or CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir, func() {
		t.Helper()
		f, err := os.Create(filepath.Join(dir, "filler"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		block := make([]byte, 4096)
		for {
			if _, err := f.Write(block); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatalf("filling the disk: %v", err)
				}
				return
			}
		}
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
