package wechat

import (
	"slices"
	"strings"

	"wzdaily/chat"
)

// roster is who is who among the account's friends in one session: which
// kept chat each friend is, and the chats it cannot yet put a friend to.
// It is rebuilt at each login from the identities kept with the
// subscribers and the contact list, and it changes as friends write. It is
// plain data: the Transport guards it with its mutex.
//
// A login binds a chat to a friend when each is the other's one best match
// and the match is strong (two traits, or the owner's remark name, or
// better). A weak match (one trait: a friend who changed their avatar or
// their nickname) and look-alikes (friends who match a chat equally) hold
// the chat: its digests wait. A friend who writes settles a weak match
// (their message proves who they are); look-alikes are asked which chat is
// theirs (vet.go).
type roster struct {
	prefix string
	newKey func() chat.Key

	kept   map[chat.Key]*kept
	order  []chat.Key          // kept chats in the order they came: answers do not depend on map order
	seen   map[string]identity // this session's friends, by UserName
	keyOf  map[string]chat.Key // bound friends
	userOf map[chat.Key]string
	doubt  map[chat.Key][]string // held chats: the friends each may be
	asked  map[string]bool       // friends asked to write, so that a held chat can be bound
	tries  map[string]int        // friends asked which chat is theirs: answers so far
}

// kept is a friend's chat as the subscribers keep it.
type kept struct {
	id    identity
	lang  string
	dirty bool // id changed since it was kept
}

// keptChat is a chat read from the subscribers.
type keptChat struct {
	key  chat.Key
	id   identity
	lang string
}

func newRoster(prefix string, newKey func() chat.Key, chats []keptChat, friends []identity) *roster {
	r := &roster{prefix: prefix, newKey: newKey, kept: map[chat.Key]*kept{}, seen: map[string]identity{},
		keyOf: map[string]chat.Key{}, userOf: map[chat.Key]string{}, doubt: map[chat.Key][]string{},
		asked: map[string]bool{}, tries: map[string]int{}}
	for _, c := range chats {
		if _, dup := r.kept[c.key]; !dup {
			r.kept[c.key] = &kept{id: c.id, lang: c.lang}
			r.order = append(r.order, c.key)
		}
	}
	for _, f := range friends {
		r.seen[f.UserName] = f
	}
	// A remark name of ours names the chat: one an older version gave
	// while WeChat kept them, or one the owner gave on the phone.
	byRemark := map[string][]string{}
	for _, f := range friends {
		if strings.HasPrefix(f.Remark, prefix) && len(f.Remark) > len(prefix) {
			byRemark[f.Remark] = append(byRemark[f.Remark], f.UserName)
		}
	}
	for remark, users := range byRemark {
		if len(users) == 1 {
			r.bind(friendKey(remark), users[0])
		}
	}
	r.settle()
	return r
}

// match is a kept chat and a friend who may be its person.
type match struct {
	key  chat.Key
	user string
	like likeness
}

// settle binds the chats and friends that are each other's one best
// match, round after round (a bound pair may leave another pair each
// other's best), and holds the rest of the chats that have look-alikes.
func (r *roster) settle() {
	users := r.unbound("")
	var matches []match
	for _, key := range r.order {
		if _, bound := r.userOf[key]; bound || !r.kept[key].id.known() {
			continue
		}
		for _, u := range users {
			if l := compare(r.kept[key].id, r.seen[u]); l.level > unlike {
				matches = append(matches, match{key, u, l})
			}
		}
	}
	doneKey, doneUser := map[chat.Key]bool{}, map[string]bool{}
	for {
		byKey, byUser := map[chat.Key][]match{}, map[string][]match{}
		for _, m := range matches {
			if !doneKey[m.key] && !doneUser[m.user] {
				byKey[m.key] = best(byKey[m.key], m)
				byUser[m.user] = best(byUser[m.user], m)
			}
		}
		settled := 0
		for key, ms := range byKey {
			if len(ms) != 1 || len(byUser[ms[0].user]) != 1 || byUser[ms[0].user][0].key != key {
				continue
			}
			doneKey[key], doneUser[ms[0].user] = true, true
			settled++
			if ms[0].like.level >= strong {
				r.bind(key, ms[0].user)
			} else {
				r.doubt[key] = []string{ms[0].user}
			}
		}
		if settled == 0 {
			for key, ms := range byKey {
				for _, m := range ms {
					r.doubt[key] = append(r.doubt[key], m.user)
				}
				slices.Sort(r.doubt[key])
			}
			return
		}
	}
}

// best keeps the matches with the highest score.
func best(ms []match, m match) []match {
	switch {
	case len(ms) == 0 || m.like.score() > ms[0].like.score():
		return []match{m}
	case m.like.score() == ms[0].like.score():
		return append(ms, m)
	}
	return ms
}

// unbound lists this session's friends bound to no chat, but one, sorted.
func (r *roster) unbound(but string) []string {
	var out []string
	for u := range r.seen {
		if _, bound := r.keyOf[u]; !bound && u != but {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// see records a friend as the session shows them now: one who was added
// since the login, or whose profile changed.
func (r *roster) see(f identity) {
	r.seen[f.UserName] = f
	if key, ok := r.keyOf[f.UserName]; ok && r.kept[key].id != f {
		r.kept[key].id, r.kept[key].dirty = f, true
	}
}

// recognise returns the chat of a friend who writes, binding them to it
// when it was not yet: their chat; else the kept chat they look like most,
// when no other chat looks like them as much and no other friend looks
// like it as much (their message settles a weak likeness); else a new
// chat, when they look like no chat held or unknown. When other friends
// look like the same chats as much, it returns no chat but those chats:
// the friend must say which is theirs.
func (r *roster) recognise(user string) (chat.Key, []chat.Key) {
	if key, ok := r.keyOf[user]; ok {
		return key, nil
	}
	f, ok := r.seen[user]
	if !ok {
		return chat.Key{}, nil
	}
	if strings.HasPrefix(f.Remark, r.prefix) && len(f.Remark) > len(r.prefix) {
		if _, taken := r.userOf[friendKey(f.Remark)]; !taken {
			r.bind(friendKey(f.Remark), user)
			return friendKey(f.Remark), nil
		}
	}
	var like []chat.Key
	top := 0
	for _, key := range r.order {
		if _, bound := r.userOf[key]; bound || !r.kept[key].id.known() {
			continue
		}
		l := compare(r.kept[key].id, f)
		switch s := l.score(); {
		case l.level == unlike || s < top:
		case s > top:
			top, like = s, []chat.Key{key}
		default:
			like = append(like, key)
		}
	}
	switch {
	case len(like) == 0:
		return r.bindNew(user), nil
	case len(like) > 1:
		return chat.Key{}, like
	}
	for _, other := range r.unbound(user) {
		if compare(r.kept[like[0]].id, r.seen[other]).score() >= top {
			return chat.Key{}, like
		}
	}
	r.bind(like[0], user)
	return like[0], nil
}

// bindNew gives a friend a new chat.
func (r *roster) bindNew(user string) chat.Key {
	key := r.newKey()
	for r.kept[key] != nil {
		key = r.newKey()
	}
	r.bind(key, user)
	return key
}

// bind makes a friend the person of a chat: the chat takes their identity
// as this session shows it, and is held no more.
func (r *roster) bind(key chat.Key, user string) {
	if old, ok := r.userOf[key]; ok {
		delete(r.keyOf, old)
	}
	r.keyOf[user], r.userOf[key] = key, user
	k := r.kept[key]
	if k == nil {
		k = &kept{}
		r.kept[key] = k
		r.order = append(r.order, key)
	}
	if id := r.seen[user]; k.id != id {
		k.id, k.dirty = id, true
	}
	delete(r.doubt, key)
	delete(r.tries, user)
	for other, users := range r.doubt {
		if users = slices.DeleteFunc(users, func(u string) bool { return u == user }); len(users) == 0 {
			delete(r.doubt, other) // nobody looks like it now
		} else {
			r.doubt[other] = users
		}
	}
}

// dirty returns the identities changed since they were kept, as text by
// chat id.
func (r *roster) dirty() map[string]string {
	out := map[string]string{}
	for key, k := range r.kept {
		if k.dirty {
			out[key.ChatID] = k.id.encode()
		}
	}
	return out
}

// stored marks identities kept, unless they changed again meanwhile.
func (r *roster) stored(texts map[string]string) {
	for id, text := range texts {
		if k := r.kept[friendKey(id)]; k != nil && k.id.encode() == text {
			k.dirty = false
		}
	}
}
