// Package subscribers keeps the chats that follow the paper: who they are,
// what they follow, and when and how they want their digest.
package subscribers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
	"wzdaily/chat"
)

// State says whether digests go out.
type State string

const (
	Active  State = "active"
	Paused  State = "paused"  // the subscriber asked for a break
	Blocked State = "blocked" // the platform refuses delivery (the user blocked the bot)
	Left    State = "left"    // the bot is no longer in the chat
)

// Defaults for a new subscriber.
const (
	DefaultTag      = "梧州日报新闻"
	DefaultLang     = "zh"
	DefaultZone     = "Asia/Shanghai"
	DefaultMinute   = 7*60 + 30
	DefaultMaxItems = 30
)

// Limits that keep one subscriber's settings, and so its digest query,
// small.
const (
	MaxTags     = 30
	MaxKeywords = 30
	MaxWordLen  = 20 // characters in a keyword or tag
	MaxMaxItems = 200
	// MaxThreadLen bounds a thread id and a referral code, as the table
	// does.
	MaxThreadLen = 64
)

// Subscriber is one chat's settings.
type Subscriber struct {
	ID          int64
	Key         chat.Key
	Kind        chat.Kind
	Name        string
	Lang        string   // zh or en
	Tags        []string // followed tags, in the subscriber's order
	Include     []string // keywords: an article must hold one of them (if any)
	Exclude     []string // keywords: an article must hold none of them
	DeliverAt   int      // minutes after midnight in Zone
	Zone        string   // IANA time zone
	MaxItems    int
	EmptyNotice bool // on a day with nothing new: a short notice (true) or nothing
	State       State
	Thread      string // where in the chat digests go: a forum topic's id; "" for the main part (General)
	Referral    string // the code of the link the chat first came by, "" for none
	Created     time.Time
	Updated     time.Time
}

// New returns a subscriber with the defaults: the paper's own tag, 07:30
// in Asia/Shanghai, Chinese.
func New(key chat.Key, kind chat.Kind, name string) *Subscriber {
	return &Subscriber{
		Key: key, Kind: kind, Name: name, Lang: DefaultLang,
		Tags: []string{DefaultTag}, DeliverAt: DefaultMinute, Zone: DefaultZone,
		MaxItems: DefaultMaxItems, EmptyNotice: true, State: Active,
	}
}

// DeliveryTime formats DeliverAt as HH:MM.
func (s *Subscriber) DeliveryTime() string {
	return fmt.Sprintf("%02d:%02d", s.DeliverAt/60, s.DeliverAt%60)
}

// Validation errors. Callers show users their own words for these.
var (
	ErrBadTime     = errors.New("time must be HH:MM, 00:00 to 23:59")
	ErrBadZone     = errors.New("unknown time zone")
	ErrBadLang     = errors.New("language must be zh or en")
	ErrTooMany     = errors.New("too many")
	ErrBadWord     = errors.New("bad word")
	ErrBadMaxItems = errors.New("maximum items out of range")
)

// CleanWord trims a tag or keyword and checks it is short, printable text.
func CleanWord(w string) (string, error) {
	w = strings.TrimSpace(w)
	if w == "" || !utf8.ValidString(w) || utf8.RuneCountInString(w) > MaxWordLen {
		return "", fmt.Errorf("%w: %q", ErrBadWord, w)
	}
	for _, r := range w {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u200b' || r == '\ufeff' {
			return "", fmt.Errorf("%w: %q", ErrBadWord, w)
		}
	}
	return w, nil
}

// Validate checks every setting, so a store never holds a subscriber the
// digest cannot serve.
func (s *Subscriber) Validate() error {
	if s.Lang != "zh" && s.Lang != "en" {
		return ErrBadLang
	}
	if s.DeliverAt < 0 || s.DeliverAt >= 24*60 {
		return ErrBadTime
	}
	if _, err := LoadZone(s.Zone); err != nil {
		return err
	}
	if s.MaxItems < 1 || s.MaxItems > MaxMaxItems {
		return ErrBadMaxItems
	}
	if len(s.Tags) > MaxTags {
		return fmt.Errorf("%w tags: at most %d", ErrTooMany, MaxTags)
	}
	if len(s.Include)+len(s.Exclude) > MaxKeywords {
		return fmt.Errorf("%w keywords: at most %d", ErrTooMany, MaxKeywords)
	}
	for _, list := range [][]string{s.Tags, s.Include, s.Exclude} {
		for _, w := range list {
			if _, err := CleanWord(w); err != nil {
				return err
			}
		}
	}
	if len(s.Thread) > MaxThreadLen || len(s.Referral) > MaxThreadLen {
		return fmt.Errorf("thread id or referral longer than %d bytes", MaxThreadLen)
	}
	switch s.State {
	case Active, Paused, Blocked, Left:
	default:
		return fmt.Errorf("unknown state %q", s.State)
	}
	switch s.Kind {
	case chat.Private, chat.Group, chat.Channel:
	default:
		return fmt.Errorf("unknown chat kind %q", s.Kind)
	}
	return nil
}

// Follow adds tags at the end, skipping ones already followed, and returns
// the ones it added.
func (s *Subscriber) Follow(tags ...string) []string {
	var added []string
	for _, t := range tags {
		if !slices.Contains(s.Tags, t) {
			s.Tags = append(s.Tags, t)
			added = append(added, t)
		}
	}
	return added
}

// Unfollow removes tags and returns the ones it removed.
func (s *Subscriber) Unfollow(tags ...string) []string {
	var removed []string
	s.Tags = slices.DeleteFunc(s.Tags, func(t string) bool {
		if slices.Contains(tags, t) {
			removed = append(removed, t)
			return true
		}
		return false
	})
	return removed
}

// AddKeyword adds an include word, or an exclude word when it starts with
// "-". A word moves from one list to the other if it was there. Each list
// is kept sorted, as the store loads it, so the order never changes
// between one reply and the next.
func (s *Subscriber) AddKeyword(w string) {
	word, exclude := strings.CutPrefix(w, "-")
	s.RemoveKeyword(word)
	if exclude {
		s.Exclude = append(s.Exclude, word)
		slices.Sort(s.Exclude)
	} else {
		s.Include = append(s.Include, word)
		slices.Sort(s.Include)
	}
}

// RemoveKeyword drops a word from both lists (a leading "-" is ignored)
// and reports whether it was there.
func (s *Subscriber) RemoveKeyword(w string) bool {
	w = strings.TrimPrefix(w, "-")
	n := len(s.Include) + len(s.Exclude)
	s.Include = slices.DeleteFunc(s.Include, func(x string) bool { return x == w })
	s.Exclude = slices.DeleteFunc(s.Exclude, func(x string) bool { return x == w })
	return len(s.Include)+len(s.Exclude) < n
}

// clone copies the subscriber, lists included.
func (s *Subscriber) clone() *Subscriber {
	c := *s
	c.Tags = slices.Clone(s.Tags)
	c.Include = slices.Clone(s.Include)
	c.Exclude = slices.Clone(s.Exclude)
	return &c
}
