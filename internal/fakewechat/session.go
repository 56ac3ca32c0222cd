package fakewechat

import (
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"time"
)

// session is one web login: its credentials, the UserNames it handed out
// and the events waiting for webwxsync. A new scan or push login starts a
// new session (and ends the previous one); a hot login reuses a live one.
type session struct {
	skey, sid, passTicket, dataTicket string
	uin                               int64
	self                              string // the bot's UserName
	started                           time.Time

	names  map[string]string // stable ID -> UserName
	ids    map[string]string // UserName -> stable ID
	encrys map[string]string // group ID -> EncryChatRoomId

	seq    int64 // the last event's number; SyncKey key 1
	events []event
	ended  int // the retcode once ended (1101 expired, 1100 logged out on the phone); 0 while alive
}

// event is one thing webwxsync hands over.
type event struct {
	seq      int64
	selector string // what synccheck reports for it
	add      *message
	mod      *userJSON
	del      string // a UserName for DelContactList
}

// SessionInfo describes a session as the bot's login saw it.
type SessionInfo struct {
	Skey, Sid, PassTicket string
	Uin                   int64
	SelfUserName          string
	Started               time.Time // by Options.Now
	// Ended is the retcode the session ended with (1101 expired or
	// replaced, 1100 logged out on the phone); 0 while it is alive.
	Ended int
}

// name returns the UserName of a stable ID in this session, making one the
// first time: "@" and 32 hex digits for people, "@@" and 64 for groups.
func (ss *session) name(id string, isGroup bool) string {
	if u, ok := ss.names[id]; ok {
		return u
	}
	u := "@" + randomHex(16)
	if isGroup {
		u = "@@" + randomHex(32)
	}
	ss.names[id] = u
	ss.ids[u] = id
	return u
}

// idOf maps a UserName of this session back to its stable ID.
func (ss *session) idOf(userName string) (string, bool) {
	switch userName {
	case ss.self:
		return SelfID, true
	case FileHelperID:
		return FileHelperID, true
	}
	id, ok := ss.ids[userName]
	return id, ok
}

func (ss *session) encry(groupID string) string {
	if e, ok := ss.encrys[groupID]; ok {
		return e
	}
	e := "@" + randomHex(16)
	ss.encrys[groupID] = e
	return e
}

func (ss *session) push(e event) {
	ss.seq++
	e.seq = ss.seq
	ss.events = append(ss.events, e)
}

// since returns the events after SyncKey value k.
func (ss *session) since(k int64) []event {
	for i, e := range ss.events {
		if e.seq > k {
			return ss.events[i:]
		}
	}
	return nil
}

// selector is what synccheck answers for the events after k: "2" when a
// message waits, else the first event's own selector, else "".
func (ss *session) selector(k int64) string {
	evs := ss.since(k)
	for _, e := range evs {
		if e.add != nil {
			return "2"
		}
	}
	if len(evs) > 0 {
		return evs[0].selector
	}
	return ""
}

// syncKey is the SyncKey as webwxinit and webwxsync hand it out. Key 1
// counts events; the fake gives the others the same value, except 1000,
// which the real service fills with a time.
func (ss *session) syncKey() syncKey {
	list := []keyVal{{1, ss.seq}, {2, ss.seq}, {3, ss.seq}, {1000, ss.started.Unix()}}
	return syncKey{Count: len(list), List: list}
}

func (ss *session) info() SessionInfo {
	return SessionInfo{Skey: ss.skey, Sid: ss.sid, PassTicket: ss.passTicket, Uin: ss.uin,
		SelfUserName: ss.self, Started: ss.started, Ended: ss.ended}
}

// newSessionLocked starts a session, ending the live one: the service keeps
// one web session per account. Every contact gets a new UserName.
func (s *Server) newSessionLocked() *session {
	if s.current != nil && s.current.ended == 0 {
		s.current.ended = retLoginCheck
	}
	ss := &session{
		skey:       "@crypt_" + randomHex(4) + "_" + randomHex(16),
		sid:        randomString(16, base64Chars),
		passTicket: randomPassTicket(),
		dataTicket: randomString(40, base64Chars),
		uin:        s.uin,
		self:       "@" + randomHex(16),
		started:    s.now(),
		names:      map[string]string{},
		ids:        map[string]string{},
		encrys:     map[string]string{},
		// Real sync keys are large numbers that only grow, from one
		// session to the next too. openwechat relies on it: when a hot
		// login falls back to a scan, it keeps the stored SyncKey rather
		// than the new session's (bot.go, updateSyncKey), and a new session
		// counting from below it would hide its messages until it caught up.
		seq: 600_000_000 + rand.Int64N(100_000_000),
	}
	if s.current != nil {
		ss.seq = s.current.seq + 1 + rand.Int64N(1000)
	}
	for _, id := range s.order {
		ss.name(id, s.groups[id] != nil)
	}
	s.sessions[ss.skey] = ss
	s.current = ss
	s.notifyLocked()
	return ss
}

// liveLocked returns the current session if it is alive.
func (s *Server) liveLocked() *session {
	if s.current == nil || s.current.ended != 0 {
		return nil
	}
	return s.current
}

// lookupLocked finds the live session a request's credentials name. Empty
// sid and zero uin are not checked. Otherwise it returns the Ret to answer:
// the session's end code, or 1101 for credentials it never issued.
func (s *Server) lookupLocked(skey, sid string, uin int64) (*session, int) {
	ss := s.sessions[skey]
	if ss == nil || sid != "" && sid != ss.sid || uin != 0 && uin != ss.uin {
		return nil, retLoginCheck
	}
	if ss.ended != 0 {
		return nil, ss.ended
	}
	return ss, 0
}

func (s *Server) lookup(br baseRequest) (*session, int) {
	return s.lookupLocked(br.Skey, br.Sid, br.Uin)
}

// Expire ends the live session as the service does after a while: the next
// synccheck answers retcode 1101 and every call with its credentials fails
// with Ret 1101. A hot login with it fails; a scan or push login starts a
// new session.
func (s *Server) Expire() error {
	return s.end(retLoginCheck)
}

// LogoutFromPhone ends the live session as when the user logs the web
// client out on the phone: synccheck answers retcode 1100.
func (s *Server) LogoutFromPhone() error {
	return s.end(retLoginWarn)
}

func (s *Server) end(code int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.liveLocked()
	if ss == nil {
		return ErrNoSession
	}
	ss.ended = code
	s.notifyLocked()
	return nil
}

// Session returns the current session, alive or ended; false before the
// first login.
func (s *Server) Session() (SessionInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return SessionInfo{}, false
	}
	return s.current.info(), true
}

// SetPushLogin turns push login (webwxpushloginurl) on or off; it is on.
func (s *Server) SetPushLogin(enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushOff = !enabled
}

const (
	lowerAlnum  = "abcdefghijklmnopqrstuvwxyz0123456789"
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base64Chars = alnum + "+/"
)

func randomHex(bytes int) string {
	b := make([]byte, bytes)
	for i := range b {
		b[i] = byte(rand.UintN(256))
	}
	return hex.EncodeToString(b)
}

func randomString(n int, chars string) string {
	var b strings.Builder
	for range n {
		b.WriteByte(chars[rand.IntN(len(chars))])
	}
	return b.String()
}

// randomPassTicket looks like the real one: URL-escaped base64, so it has
// %2B and %2F in it, which openwechat sends escaped a second time.
func randomPassTicket() string {
	r := strings.NewReplacer("+", "%2B", "/", "%2F")
	return r.Replace(randomString(64, base64Chars))
}
