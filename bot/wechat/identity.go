package wechat

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/eatmoreapple/openwechat"
)

// identity is what the bot saw of a friend. The web protocol gives every
// friend a new UserName at each login and has no id that lasts (the
// library's maintainer, openwechat#514: "目前没有哦"), and the remark names
// bots used to give friends are no longer kept (openwechat v1.4.10,
// SetRemarkName: "已经失效了"). So a friend is found again by what does
// last: the Uin when the service gives one, the avatar (until they change
// it), the nickname (until they change it), the remark name the account's
// owner gave them on the phone, and, to tell look-alikes apart, their
// profile's sex, region and signature. UserName is kept too: a hot login
// resumes the session, and with it every UserName.
type identity struct {
	UserName  string `json:"user,omitempty"`
	Uin       int64  `json:"uin,omitempty"`
	Avatar    string `json:"avatar,omitempty"` // the head image's seq, which openwechat's AvatarID reads
	Nick      string `json:"nick,omitempty"`
	Remark    string `json:"remark,omitempty"`
	Alias     string `json:"alias,omitempty"` // the WeChat ID, when the service shows it
	Sex       int    `json:"sex,omitempty"`
	Province  string `json:"province,omitempty"`
	City      string `json:"city,omitempty"`
	Signature string `json:"sig,omitempty"`
}

// identityOf reads a contact. Each text is clipped and loses what JSON
// would spell with six characters, so that an identity always fits the
// subscribers' column (subscribers.MaxIdentityLen; FuzzIdentityFits).
func identityOf(u *openwechat.User) identity {
	return identity{
		UserName: trait(u.UserName, 80),
		Uin:      u.Uin,
		// AvatarID gives the Uin first; the avatar alone is wanted here.
		Avatar:    trait((&openwechat.User{HeadImgUrl: u.HeadImgUrl}).AvatarID(), 40),
		Nick:      trait(u.NickName, 100),
		Remark:    trait(u.RemarkName, 100),
		Alias:     trait(u.Alias, 40),
		Sex:       u.Sex,
		Province:  trait(u.Province, 40),
		City:      trait(u.City, 40),
		Signature: trait(u.Signature, 120),
	}
}

// trait is s without control characters and line separators, at most n
// characters long.
func trait(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// known says whether anything but the session's UserName was kept.
func (id identity) known() bool {
	id.UserName = ""
	return id != identity{}
}

func (id identity) encode() string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // nicknames hold <span class="emoji …">: keep them short
	enc.Encode(id)           // strings and numbers only: it cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}

// decodeIdentity reads a kept identity; "" is none.
func decodeIdentity(s string) (identity, error) {
	var id identity
	if s == "" {
		return id, nil
	}
	err := json.Unmarshal([]byte(s), &id)
	return id, err
}

// How sure a match is.
const (
	unlike  = iota // nothing in common, or something that cannot differ does
	weak           // one trait: the avatar or the nickname
	strong         // the avatar and the nickname, or the owner's remark name
	certain        // the same session's UserName, the Uin, the WeChat ID
)

// likeness is how much a kept identity and a friend seen now have in
// common: a level, and the other traits that agree less those that
// disagree, which only orders matches of one level.
type likeness struct{ level, traits int }

func (l likeness) score() int { return l.level*100 + l.traits }

// compare weighs whether the friend seen now may be the one kept.
func compare(kept, now identity) likeness {
	switch {
	case kept.UserName != "" && kept.UserName == now.UserName:
		return likeness{level: certain}
	case kept.Uin != 0 && now.Uin != 0:
		if kept.Uin == now.Uin {
			return likeness{level: certain}
		}
		return likeness{}
	case kept.Alias != "" && now.Alias != "":
		if kept.Alias == now.Alias {
			return likeness{level: certain}
		}
		return likeness{}
	}
	avatar := kept.Avatar != "" && kept.Avatar == now.Avatar
	nick := kept.Nick != "" && kept.Nick == now.Nick
	remark := kept.Remark != "" && kept.Remark == now.Remark
	l := likeness{traits: agree(kept.Sex != 0 && now.Sex != 0, kept.Sex == now.Sex) +
		agree(kept.Province != "" && now.Province != "", kept.Province == now.Province) +
		agree(kept.City != "" && now.City != "", kept.City == now.City)}
	if kept.Signature != "" && kept.Signature == now.Signature {
		l.traits++ // a new signature is common: only an equal one counts
	}
	switch {
	case remark || avatar && nick:
		l.level = strong
	case (avatar || nick) && l.traits >= 0:
		l.level = weak
	default:
		return likeness{}
	}
	return l
}

// agree is +1 for a trait both show alike, -1 for one they show unlike.
func agree(both, same bool) int {
	switch {
	case !both:
		return 0
	case same:
		return 1
	}
	return -1
}
