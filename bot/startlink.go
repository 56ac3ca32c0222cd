package bot

import (
	"context"
	"strconv"
	"strings"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/subscribers"
)

// StartCodes give each tag a link can follow an ASCII code. A link such as
// Telegram's t.me/<bot>?start=<code>, shared on the paper's site or
// channel, makes the app send "/start <code>", and a start code may hold
// only A-Z a-z 0-9 _ and -, so a tag's code is its pinyin. This table is
// the one place that gives them; README.md lists them, and a test holds
// the two together and to the topic table.
var StartCodes = []StartCode{
	{"wuzhouribao", subscribers.DefaultTag},
	{"gongye", "工业"},
	{"jiaoyu", "教育"},
	{"jiaotong", "交通"},
	{"yiliao", "医疗"},
	{"lvyou", "旅游"},
	{"wenhua", "文化"},
	{"nongye", "农业"},
	{"chengjian", "城建"},
	{"fazhi", "法治"},
	{"minsheng", "民生"},
	{"tianqi", "天气"},
}

// StartCode is the code of one tag.
type StartCode struct {
	Code string
	Tag  string
}

// MaxStartCode is Telegram's limit on a start code's length.
const MaxStartCode = 64

// validStartCode applies Telegram's rule for a start code: 1-64 of
// A-Z a-z 0-9 _ -.
func validStartCode(s string) bool {
	if s == "" || len(s) > MaxStartCode {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// startArg is what "/start <arg>" asks for besides starting: a tag to
// follow, a referral to keep, or an argument that is neither.
type startArg struct {
	tag      string // the tag a code names, or that was typed, "" for none
	referral string // any other start code: who sent the reader
	unknown  string // not a start code and no tag, as typed
	known    []articles.TagCount
	added    bool // the tag was followed now (set by apply)
	full     bool // the tag was not followed: too many tags already
}

// startArg reads /start's argument. A code from StartCodes or a tag's own
// name follows the tag; any other start code is the reader's referral.
func (c *call) startArg(ctx context.Context) (startArg, error) {
	if len(c.p.args) == 0 {
		return startArg{}, nil
	}
	arg := c.p.args[0]
	known, err := c.knownTags(ctx)
	if err != nil {
		return startArg{}, err
	}
	tag, ok := resolveTag(arg, known)
	for _, sc := range StartCodes {
		if strings.EqualFold(sc.Code, arg) {
			tag, ok = sc.Tag, containsTag(known, sc.Tag)
		}
	}
	switch {
	case ok:
		return startArg{tag: tag}, nil
	case validStartCode(arg):
		return startArg{referral: arg}, nil
	}
	return startArg{unknown: truncate(arg, 20), known: known}, nil
}

func containsTag(known []articles.TagCount, tag string) bool {
	for _, k := range known {
		if k.Tag == tag {
			return true
		}
	}
	return false
}

// apply records the argument on the subscriber being started. A referral
// counts only for a chat that starts now: it says who brought a reader,
// and a reader who was here already was brought by nobody.
func (a *startArg) apply(s *subscribers.Subscriber) {
	if a.tag != "" {
		if len(s.Tags) >= subscribers.MaxTags {
			a.full = true
		} else {
			a.added = len(s.Follow(a.tag)) > 0
		}
	}
	if a.referral != "" && s.ID == 0 {
		s.Referral = a.referral
	}
}

// blocks say what the argument did, for a chat that had started before
// (a new one reads its tags in the welcome) or a tag that could not be.
func (a *startArg) blocks(ctx context.Context, c *call, existed bool) []chat.Block {
	switch {
	case a.full:
		return []chat.Block{para(text(c.lang.T("too many tags", subscribers.MaxTags)))}
	case a.tag != "" && existed && a.added:
		return []chat.Block{para(text(c.lang.T("subscribed", c.lang.Tag(a.tag))))}
	case a.tag != "" && existed:
		return []chat.Block{para(text(c.lang.T("already", c.lang.Tag(a.tag))))}
	case a.unknown != "":
		return c.unknownTags(ctx, []string{a.unknown}, a.known)
	}
	return nil
}

// statsLinks are /stats's lines on links: how many chats came by each
// referral code, and each tag's link to share, where the platform has
// links.
func (c *call) statsLinks(ctx context.Context) ([]chat.Block, error) {
	refs, err := c.opts.Subscribers.Referrals(ctx, 10)
	if err != nil {
		return nil, err
	}
	var blocks []chat.Block
	if len(refs) > 0 {
		var parts []string
		for _, r := range refs {
			parts = append(parts, r.Code+" "+strconv.Itoa(r.Chats))
		}
		blocks = append(blocks, item(text(c.lang.T("stats referrals", strings.Join(parts, ", ")))))
	}
	if c.opts.StartLink == nil || c.opts.StartLink(StartCodes[0].Code) == "" {
		return blocks, nil
	}
	blocks = append(blocks, heading(bold(c.lang.T("stats links"))))
	for _, sc := range StartCodes {
		link := c.opts.StartLink(sc.Code)
		blocks = append(blocks, item(text(sc.Tag+" "), chat.Span{Text: link, Style: chat.Link, URL: link}))
	}
	return blocks, nil
}
