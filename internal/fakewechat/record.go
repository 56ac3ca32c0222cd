package fakewechat

import (
	"net/http"
	"slices"
	"time"
)

// Request is one HTTP request the fake received.
type Request struct {
	At       time.Time // by Options.Now
	Method   string
	Host     string // as sent, e.g. "webpush.wx.qq.com"
	Path     string
	RawQuery string
	// Endpoint is the route's name ("synccheck", "webwxsendmsg", …), empty
	// when nothing matched and the answer was 404.
	Endpoint string
}

// Send is one webwxsendmsg the fake read, accepted or refused. Requests
// spoiled by a Fault's Status or Drop are not read and appear only in
// Requests.
type Send struct {
	At       time.Time // by Options.Now
	To       string    // the target's stable ID (SelfID, FileHelperID, a contact); empty if unknown
	UserName string    // the ToUserName the bot sent
	Type     int       // 1 for text
	Content  string
	LocalID  string
	MsgID    string // the id answered; empty when refused
	Ret      int    // BaseResponse.Ret answered; 0 when accepted
}

func (s *Server) record(r *http.Request, endpoint string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		At: s.now(), Method: r.Method, Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Endpoint: endpoint,
	})
}

// Requests returns every request received, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns how many requests reached endpoint.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Endpoint == endpoint {
			n++
		}
	}
	return n
}

// Sends returns every send read, accepted or refused, oldest first.
func (s *Server) Sends() []Send {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sends)
}

// Accepted returns the sends answered with Ret 0, oldest first.
func (s *Server) Accepted() []Send {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Send
	for _, d := range s.sends {
		if d.Ret == 0 {
			out = append(out, d)
		}
	}
	return out
}
