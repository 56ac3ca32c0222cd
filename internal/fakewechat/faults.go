package fakewechat

import (
	"net/http"
	"slices"
	"time"

	"wzdaily/internal/fakefault"
)

// Fault spoils the next requests to one endpoint. Faults are matched in the
// order they were added; each is used up after Times requests.
type Fault struct {
	// Endpoint is the route name: "webwxsendmsg", "synccheck", "webwxsync",
	// "webwxinit", "login", … as Request.Endpoint shows it; empty matches
	// every endpoint.
	Endpoint string
	// Times is how many requests it spoils; -1 means until ClearFaults.
	Times int
	// Ret is answered the way the endpoint reports errors: BaseResponse.Ret
	// for the JSON endpoints (1205 is "operate too often"), the retcode of
	// synccheck, the ret of the login XML and of push login, the code of
	// jslogin and of the login poll.
	Ret int
	// Status is answered as that HTTP status with an HTML body. openwechat
	// ignores statuses, so the caller sees the body fail to parse.
	Status int
	// Delay holds the request this long (real time) before it is handled
	// normally or spoiled by Ret, Status or Drop.
	Delay time.Duration
	// Drop closes the connection without an answer. openwechat retries
	// transport errors at once, up to Client.MaxRetryTimes (5 by default).
	Drop bool
}

// AddFault queues f.
func (s *Server) AddFault(f Fault) error {
	ff := fakefault.Fault{Key: f.Endpoint, Times: f.Times, Code: f.Ret, Status: f.Status, Drop: f.Drop, Delay: f.Delay}
	if err := fakefault.Check(ff, "fakewechat", "Ret", s.knows); err != nil {
		return err
	}
	s.faults.Add(ff)
	return nil
}

// FailSends makes the next n sends answer BaseResponse.Ret ret.
func (s *Server) FailSends(n, ret int) error {
	return s.AddFault(Fault{Endpoint: "webwxsendmsg", Times: n, Ret: ret})
}

// ClearFaults drops every queued fault and ends the delays under way.
func (s *Server) ClearFaults() { s.faults.Clear() }

func (s *Server) knows(endpoint string) bool {
	return slices.ContainsFunc(s.routes, func(r route) bool { return r.name == endpoint })
}

// takeFault uses up one request of the first fault for endpoint; the zero
// Fault means none. It also returns the channel ClearFaults closes.
func (s *Server) takeFault(endpoint string) (Fault, <-chan struct{}) {
	f, release := s.faults.Take(endpoint)
	return Fault{Endpoint: f.Key, Times: f.Times, Ret: f.Code, Status: f.Status, Delay: f.Delay, Drop: f.Drop}, release
}

// pause holds a request for d, or until ClearFaults or Close. It reports
// false when the client went away.
func (s *Server) pause(r *http.Request, d time.Duration, release <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		s.mu.Lock()
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if closed {
			return true
		}
		select {
		case <-t.C:
			return true
		case <-release:
			return true
		case <-ch: // something changed; Close perhaps
		case <-r.Context().Done():
			return false
		}
	}
}
