package bot

import (
	"strconv"
	"sync"
	"time"

	"wzdaily/chat"
)

// searches remembers recent searches so a button or "更多" can turn the
// page. Button payloads carry a short id instead of the query, which could
// exceed Telegram's 64 bytes. Memory is bounded: the oldest searches are
// forgotten first, and paging one then says it has expired.
type searches struct {
	mu    sync.Mutex
	max   int
	next  uint64
	byID  map[string]*savedSearch
	order []string
	last  map[chat.Key]*savedSearch
}

type savedSearch struct {
	id    string
	chat  chat.Key
	query string
	page  int       // the page shown last, from 0
	at    time.Time // when the chat last saw a page of it
	// The total is counted for the first page and kept for the others.
	counted bool
	total   int
	over    bool // more than total
}

func newSearches(max int) *searches {
	return &searches{max: max, byID: map[string]*savedSearch{}, last: map[chat.Key]*savedSearch{}}
}

// save records a search shown at page 0 and returns it.
func (s *searches) save(key chat.Key, query string, at time.Time) *savedSearch {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	ss := &savedSearch{id: strconv.FormatUint(s.next, 36), chat: key, query: query, at: at}
	s.byID[ss.id] = ss
	s.order = append(s.order, ss.id)
	s.last[key] = ss
	for len(s.order) > s.max {
		old := s.byID[s.order[0]]
		delete(s.byID, old.id)
		if s.last[old.chat] == old {
			delete(s.last, old.chat)
		}
		s.order = s.order[1:]
	}
	return ss
}

// get returns the chat's search with the id, or its last one for id "".
func (s *searches) get(key chat.Key, id string) (savedSearch, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.last[key]
	if id != "" {
		ss = s.byID[id]
	}
	if ss == nil || ss.chat != key {
		return savedSearch{}, false
	}
	return *ss, true
}

// showing records which page of a search the chat sees now.
func (s *searches) showing(id string, page int, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss := s.byID[id]; ss != nil {
		ss.page, ss.at = page, at
		s.last[ss.chat] = ss
	}
}

// counted keeps a search's total.
func (s *searches) counted(id string, total int, over bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss := s.byID[id]; ss != nil {
		ss.counted, ss.total, ss.over = true, total, over
	}
}

// forget drops a chat's searches from the paging memory.
func (s *searches) forget(key chat.Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.last, key)
	for id, ss := range s.byID {
		if ss.chat == key {
			ss.chat = chat.Key{}
			delete(s.byID, id)
		}
	}
}
