package fakeoa

import (
	"fmt"
	"net/http"
	"time"

	"wzdaily/internal/fakefault"
)

// Fault spoils the next calls to one API path. Faults are matched in the
// order they were added; each is used up after Times calls.
type Fault struct {
	// Path is the endpoint, "/cgi-bin/message/custom/send" and so on;
	// empty matches every path.
	Path string
	// Times is how many calls it spoils; -1 means until ClearFaults.
	Times int
	// Errcode is answered as WeChat answers errors: HTTP 200 with
	// {"errcode":…,"errmsg":…}. -1 is "system error" (busy), 45009 the
	// frequency limit; any code may be injected.
	Errcode int
	// Status is answered as that HTTP status with an HTML body, as a front
	// proxy does.
	Status int
	// Drop closes the connection without an answer, before handling.
	Drop bool
	// Delay holds the call this long (real time) before it is handled
	// normally or spoiled as above; it ends early when the client gives up.
	Delay time.Duration
}

// AddFault queues f.
func (s *Server) AddFault(f Fault) error {
	ff := fakefault.Fault{Key: f.Path, Times: f.Times, Code: f.Errcode, Status: f.Status, Drop: f.Drop, Delay: f.Delay}
	if err := fakefault.Check(ff, "fakeoa", "Errcode", func(p string) bool { return routes[p].handle != nil }); err != nil {
		return err
	}
	s.faults.Add(ff)
	return nil
}

// FailNext makes the next n calls to path answer errcode.
func (s *Server) FailNext(path string, n, errcode int) error {
	return s.AddFault(Fault{Path: path, Times: n, Errcode: errcode})
}

// PushFault is a way a push goes wrong on WeChat's side.
type PushFault int

const (
	// LoseReply loses the bot's answer to the next request: WeChat never
	// gets it, so it requests again as after a timeout.
	LoseReply PushFault = iota + 1
	// DropPush loses the next push altogether: the bot never hears of it,
	// nothing is retried, the follower sees nothing.
	DropPush
	// BadSignature signs the next request with a wrong token, as someone
	// who is not WeChat would.
	BadSignature
)

// FailPushes makes the next n requests (for DropPush, pushes) go wrong as
// kind says.
func (s *Server) FailPushes(kind PushFault, n int) error {
	if kind < LoseReply || kind > BadSignature || n <= 0 {
		return fmt.Errorf("fakeoa: unable to fail pushes: kind %d, count %d", kind, n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushFault[kind] += n
	return nil
}

// ClearFaults drops every queued API and push fault.
func (s *Server) ClearFaults() {
	s.faults.Clear()
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.pushFault)
}

// takePushFaultLocked uses up one of kind, if any is queued. Callers hold
// s.mu.
func (s *Server) takePushFaultLocked(kind PushFault) bool {
	if s.pushFault[kind] == 0 {
		return false
	}
	s.pushFault[kind]--
	return true
}

// takeFault uses up one call of the first fault for path; the zero Fault
// means none. It also returns the channel ClearFaults closes.
func (s *Server) takeFault(path string) (Fault, <-chan struct{}) {
	f, release := s.faults.Take(path)
	return Fault{Path: f.Key, Times: f.Times, Errcode: f.Code, Status: f.Status, Drop: f.Drop, Delay: f.Delay}, release
}

// pause holds a call for d, or until ClearFaults or Close. It reports
// false when the client went away.
func (s *Server) pause(r *http.Request, d time.Duration, release <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-release:
	case <-s.ctx.Done():
	case <-r.Context().Done():
		return false
	}
	return true
}
