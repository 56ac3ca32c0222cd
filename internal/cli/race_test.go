//go:build race

package cli

// raceEnabled: the race detector slows the crash test's child processes
// about tenfold; .ci/run runs that test again without it.
const raceEnabled = true
