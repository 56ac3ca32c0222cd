package fakewechat

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Person is someone the bot's account knows: a friend, or a stranger met in
// a group or through a friend request. ID is the fake's stable identity; the
// bot never sees it.
type Person struct {
	ID         string
	NickName   string
	RemarkName string // the bot owner's name for a friend; empty for strangers
	Alias      string
	Signature  string
	Province   string
	City       string
	Sex        int // 1 male, 2 female, 0 unknown
	// Uin is the account's number in the contact list. The service gives
	// contacts 0 (only the bot's own account has one); a test may set one
	// to play a service that does.
	Uin int64
	// Avatar is the seq of the head image's URL, which openwechat's
	// AvatarID reads; 0 draws one. Two people may share one, as people
	// with the same picture may; ChangeAvatar draws a new one.
	Avatar int64
}

// Group is a group chat the bot is a member of.
type Group struct {
	ID       string
	NickName string   // the group's title
	Members  []Member // besides the bot; each ID must be a Person
	// SelfDisplayName is the bot's nickname inside this group; openwechat
	// looks for "@" + this (or the bot's NickName) to decide IsAt.
	SelfDisplayName string
}

// Member is a person in a group, with their in-group nickname.
type Member struct {
	ID          string
	DisplayName string
}

// Contact is a snapshot of one contact as the fake holds it.
type Contact struct {
	ID         string
	Friend     bool // a person who is the account's friend
	Group      bool
	NickName   string
	RemarkName string
	// UserName is what the bot sees for this contact in the current
	// session; empty when there is none.
	UserName string
	Members  []Member // groups only
}

type person struct {
	Person
	friend bool
	pinned bool
	wxid   string // the account id friend requests reveal
}

type group struct {
	Group
	pinned bool
	avatar int64
}

// AddFriend adds a friend. During a session the bot is told through a
// ModContactList entry (selector 6), as when a friend is added on the phone.
func (s *Server) AddFriend(p Person) error {
	return s.addPerson(p, true)
}

// AddStranger adds a person who is not a friend: a member of a group, or
// someone who will send a friend request.
func (s *Server) AddStranger(p Person) error {
	return s.addPerson(p, false)
}

func (s *Server) addPerson(p Person, friend bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkNewIDLocked(p.ID); err != nil {
		return err
	}
	np := &person{Person: p, friend: friend, wxid: "wxid_" + randomString(14, lowerAlnum)}
	if np.Avatar == 0 {
		np.Avatar = newAvatarSeq()
	}
	s.people[p.ID] = np
	s.order = append(s.order, p.ID)
	if ss := s.liveLocked(); ss != nil {
		ss.name(p.ID, false)
		if friend {
			s.modContactLocked(ss, s.personJSONLocked(ss, np), "6")
		}
	}
	return nil
}

// AddGroup adds a group chat with the bot in it. During a session the bot
// is told through a ModContactList entry (selector 7).
func (s *Server) AddGroup(g Group) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkNewIDLocked(g.ID); err != nil {
		return err
	}
	for _, m := range g.Members {
		if s.people[m.ID] == nil {
			return fmt.Errorf("%w: group %q member %q is not a person", ErrUnknownContact, g.ID, m.ID)
		}
	}
	g.Members = slices.Clone(g.Members)
	ng := &group{Group: g, avatar: newAvatarSeq()}
	s.groups[g.ID] = ng
	s.order = append(s.order, g.ID)
	if ss := s.liveLocked(); ss != nil {
		ss.name(g.ID, true)
		s.modContactLocked(ss, s.groupJSONLocked(ss, ng, true), "7")
	}
	return nil
}

func (s *Server) checkNewIDLocked(id string) error {
	switch {
	case id == "" || id == SelfID || id == FileHelperID:
		return fmt.Errorf("fakewechat: unable to add contact: id %q is empty or reserved", id)
	case s.people[id] != nil || s.groups[id] != nil:
		return fmt.Errorf("fakewechat: unable to add contact: id %q exists", id)
	}
	return nil
}

// Rename changes a person's or a group's NickName, as when a friend renames
// themselves; the bot is told through ModContactList (selector 4).
// openwechat ignores that list, so the bot sees the new name only when it
// reloads its contacts.
func (s *Server) Rename(id, nickName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.liveLocked()
	if p := s.people[id]; p != nil {
		p.NickName = nickName
		if ss != nil {
			s.modContactLocked(ss, s.personJSONLocked(ss, p), "4")
		}
		return nil
	}
	if g := s.groups[id]; g != nil {
		g.NickName = nickName
		if ss != nil {
			s.modContactLocked(ss, s.groupJSONLocked(ss, g, true), "4")
		}
		return nil
	}
	return fmt.Errorf("%w: %q", ErrUnknownContact, id)
}

// ChangeAvatar gives a person a new head image, and so a new avatar seq
// (openwechat's AvatarID), as when a friend changes their picture; the bot
// is told through ModContactList (selector 4), which openwechat ignores.
func (s *Server) ChangeAvatar(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.people[id]
	if p == nil {
		return fmt.Errorf("%w: %q", ErrUnknownContact, id)
	}
	for old := p.Avatar; p.Avatar == old; {
		p.Avatar = newAvatarSeq()
	}
	if ss := s.liveLocked(); ss != nil {
		s.modContactLocked(ss, s.personJSONLocked(ss, p), "4")
	}
	return nil
}

// RemoveFriend makes a friend a stranger, as when they delete the bot; the
// bot is told through DelContactList (selector 6). They stay in their
// groups and messages to them are still accepted, as on the real service.
func (s *Server) RemoveFriend(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.people[id]
	if p == nil || !p.friend {
		return fmt.Errorf("%w: no friend %q", ErrUnknownContact, id)
	}
	p.friend = false
	p.RemarkName = ""
	if ss := s.liveLocked(); ss != nil {
		ss.push(event{selector: "6", del: ss.name(id, false)})
		s.notifyLocked()
	}
	return nil
}

// Contact returns a snapshot of the contact with this stable ID.
func (s *Server) Contact(id string) (Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c Contact
	switch p, g := s.people[id], s.groups[id]; {
	case p != nil:
		c = Contact{ID: id, Friend: p.friend, NickName: p.NickName, RemarkName: p.RemarkName}
	case g != nil:
		c = Contact{ID: id, Group: true, NickName: g.NickName, Members: slices.Clone(g.Members)}
	default:
		return Contact{}, false
	}
	if s.current != nil {
		c.UserName = s.current.names[id]
	}
	return c, true
}

// UserName returns the UserName the bot sees now for a stable ID (SelfID
// and FileHelperID included). It reports false when there is no session or
// no such contact.
func (s *Server) UserName(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return "", false
	}
	switch id {
	case SelfID:
		return s.current.self, true
	case FileHelperID:
		return FileHelperID, true
	}
	u, ok := s.current.names[id]
	return u, ok
}

// IDOf returns the stable ID behind a UserName of the current session.
func (s *Server) IDOf(userName string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return "", false
	}
	id, ok := s.current.idOf(userName)
	return id, ok
}

// modContactLocked queues a ModContactList entry and wakes synccheck.
func (s *Server) modContactLocked(ss *session, u userJSON, selector string) {
	ss.push(event{selector: selector, mod: &u})
	s.notifyLocked()
}

func (s *Server) headImg(ss *session, path string, seq int64, userName string) string {
	return fmt.Sprintf("%s%s?seq=%d&username=%s&skey=%s", cgi, path, seq, userName, ss.skey)
}

func (s *Server) personJSONLocked(ss *session, p *person) userJSON {
	u := ss.name(p.ID, false)
	flag := 0 // a stranger
	if p.friend {
		flag = 3
		if p.pinned {
			flag |= 2048
		}
	}
	return userJSON{
		UserName:        u,
		NickName:        p.NickName,
		Uin:             p.Uin,
		HeadImgUrl:      s.headImg(ss, "webwxgeticon", p.Avatar, u),
		ContactFlag:     flag,
		MemberList:      []memberJSON{},
		RemarkName:      p.RemarkName,
		Sex:             p.Sex,
		Signature:       p.Signature,
		PYQuanPin:       pinyin(p.NickName),
		RemarkPYQuanPin: pinyin(p.RemarkName),
		Province:        p.Province,
		City:            p.City,
		Alias:           p.Alias,
		SnsFlag:         1,
	}
}

// groupJSONLocked renders a group; webwxgetcontact sends it without
// members, webwxbatchgetcontact and webwxinit with them, the bot first.
func (s *Server) groupJSONLocked(ss *session, g *group, withMembers bool) userJSON {
	u := ss.name(g.ID, true)
	flag := 2
	if g.pinned {
		flag |= 2048
	}
	members := []memberJSON{}
	if withMembers {
		members = append(members, memberJSON{UserName: ss.self, NickName: s.nick, DisplayName: g.SelfDisplayName, PYQuanPin: pinyin(s.nick)})
		for _, m := range g.Members {
			p := s.people[m.ID]
			members = append(members, memberJSON{
				UserName:    ss.name(m.ID, false),
				NickName:    p.NickName,
				DisplayName: m.DisplayName,
				PYQuanPin:   pinyin(p.NickName),
			})
		}
	}
	return userJSON{
		UserName:        u,
		NickName:        g.NickName,
		HeadImgUrl:      s.headImg(ss, "webwxgetheadimg", g.avatar, u),
		ContactFlag:     flag,
		MemberCount:     len(g.Members) + 1,
		MemberList:      members,
		PYQuanPin:       pinyin(g.NickName),
		EncryChatRoomId: ss.encry(g.ID),
	}
}

func (s *Server) selfJSONLocked(ss *session) userJSON {
	return userJSON{
		Uin:        s.uin,
		UserName:   ss.self,
		NickName:   s.nick,
		HeadImgUrl: s.headImg(ss, "webwxgeticon", 0, ss.self),
		MemberList: []memberJSON{},
		PYQuanPin:  pinyin(s.nick),
		SnsFlag:    1,
	}
}

func fileHelperJSON() userJSON {
	return userJSON{UserName: FileHelperID, NickName: "文件传输助手", ContactFlag: 3, MemberList: []memberJSON{}, PYQuanPin: "wenjianchuanshuzhushou"}
}

// contactJSONLocked renders the contact behind a UserName of ss, as
// webwxbatchgetcontact answers it; false for names the session never gave.
func (s *Server) contactJSONLocked(ss *session, userName string) (userJSON, bool) {
	switch userName {
	case ss.self:
		return s.selfJSONLocked(ss), true
	case FileHelperID:
		return fileHelperJSON(), true
	}
	id, ok := ss.idOf(userName)
	if !ok {
		return userJSON{}, false
	}
	if p := s.people[id]; p != nil {
		return s.personJSONLocked(ss, p), true
	}
	if g := s.groups[id]; g != nil {
		return s.groupJSONLocked(ss, g, true), true
	}
	return userJSON{}, false
}

// listLocked is webwxgetcontact's list: the file helper, friends and
// groups, in the order they were added. Strangers are not contacts.
func (s *Server) listLocked(ss *session) []userJSON {
	out := []userJSON{fileHelperJSON()}
	for _, id := range s.order {
		if p := s.people[id]; p != nil && p.friend {
			out = append(out, s.personJSONLocked(ss, p))
		} else if g := s.groups[id]; g != nil {
			out = append(out, s.groupJSONLocked(ss, g, false))
		}
	}
	return out
}

func newAvatarSeq() int64 { return 600_000_000 + rand.Int64N(100_000_000) }
