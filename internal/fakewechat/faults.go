package fakewechat

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
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
	n := 0
	for _, set := range []bool{f.Ret != 0, f.Status != 0, f.Drop} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return errors.New("fakewechat: unable to add fault: choose one of Ret, Status and Drop")
	case n == 0 && f.Delay <= 0:
		return errors.New("fakewechat: unable to add fault: it does nothing")
	case f.Delay < 0:
		return errors.New("fakewechat: unable to add fault: negative delay")
	case f.Times == 0 || f.Times < -1:
		return fmt.Errorf("fakewechat: unable to add fault: times %d is neither positive nor -1", f.Times)
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf("fakewechat: unable to add fault: status %d is not an error", f.Status)
	case f.Endpoint != "" && !s.knows(f.Endpoint):
		return fmt.Errorf("fakewechat: unable to add fault: unknown endpoint %q", f.Endpoint)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
	return nil
}

// FailSends makes the next n sends answer BaseResponse.Ret ret.
func (s *Server) FailSends(n, ret int) error {
	return s.AddFault(Fault{Endpoint: "webwxsendmsg", Times: n, Ret: ret})
}

// ClearFaults drops every queued fault and ends the delays under way.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	close(s.release)
	s.release = make(chan struct{})
}

func (s *Server) knows(endpoint string) bool {
	return slices.ContainsFunc(s.routes, func(r route) bool { return r.name == endpoint })
}

// takeFault uses up one request of the first fault for endpoint; the zero
// Fault means none. It also returns the channel ClearFaults closes.
func (s *Server) takeFault(endpoint string) (Fault, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Endpoint != "" && f.Endpoint != endpoint {
			continue
		}
		out := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		return out, s.release
	}
	return Fault{}, s.release
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

// writeStatus answers an HTTP error the way a front proxy does, in HTML.
func writeStatus(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	text := http.StatusText(status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center></body></html>\n", status, text, status, text)
}

// drop closes the connection without an answer. Where it cannot be taken
// over (HTTP/2) it aborts the handler, which net/http turns into a reset.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close() // closing is the point; an error changes nothing
			return
		}
	}
	panic(http.ErrAbortHandler)
}
