package clocktest

import (
	"testing"
	"time"
)

// Eventually waits for a condition the system reaches on its own (a
// goroutine finishing, a message arriving), polling it, and fails the test
// if it does not hold within the given time. It is never a way to wait for
// a schedule: those take a clock.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
