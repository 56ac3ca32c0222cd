package clocktest

import (
	"testing"
	"time"
)

func TestManual(t *testing.T) {
	at := time.Date(2026, 11, 26, 7, 30, 0, 0, time.FixedZone("CST", 8*3600))
	c := NewManual(at)
	if !c.Now().Equal(at) || c.Now().Location() != at.Location() {
		t.Fatalf("Now = %v", c.Now())
	}
	c.Advance(time.Hour)
	if !c.Now().Equal(at.Add(time.Hour)) {
		t.Fatalf("after Advance: %v", c.Now())
	}
	c.Set(at)
	if !c.Now().Equal(at) {
		t.Fatalf("after Set: %v", c.Now())
	}
}

func TestRunningJumps(t *testing.T) {
	at := time.Date(2030, 1, 1, 7, 29, 0, 0, time.UTC)
	c := NewRunning(at)
	if d := c.Now().Sub(at); d < 0 || d > time.Second {
		t.Fatalf("Now is %s from the start", d)
	}
	c.Jump(at.Add(time.Minute))
	if d := c.Now().Sub(at.Add(time.Minute)); d < 0 || d > time.Second {
		t.Fatalf("after Jump, %s off", d)
	}
	a := c.Now()
	if b := c.Now(); b.Before(a) {
		t.Fatal("the clock went backwards")
	}
}

func TestEventually(t *testing.T) {
	start := time.Now()
	Eventually(t, time.Second, "a tenth of a second", func() bool { return time.Since(start) > 100*time.Millisecond })
	failed := false
	ft := &fatalRecorder{TB: t, fatal: func() { failed = true }}
	func() {
		defer func() { recover() }()
		Eventually(ft, 30*time.Millisecond, "never", func() bool { return false })
	}()
	if !failed {
		t.Error("a condition that never holds did not fail the test")
	}
}

// fatalRecorder notes Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	fatal func()
}

func (f *fatalRecorder) Fatalf(string, ...any) { f.fatal(); panic("fatal") }
func (f *fatalRecorder) Helper()               {}
