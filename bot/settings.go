package bot

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

func (c *call) start(ctx context.Context) []chat.Message {
	existed := c.sub != nil
	arg, err := c.startArg(ctx) // a link's code: a tag to follow, or who sent the reader
	if err != nil {
		return c.fail(err)
	}
	movedFrom := ""
	sub, err := c.opts.Subscribers.Upsert(ctx, c.u.Chat, c.u.Kind, c.u.ChatName, func(s *subscribers.Subscriber) error {
		if s.ID == 0 {
			s.Lang = c.lang.Code()
		}
		// Coming back after a pause, a block or leaving: deliver again.
		s.State = subscribers.Active
		// Digests go to the topic the subscription was started from;
		// starting again elsewhere moves them there.
		movedFrom, s.Thread = s.Thread, c.u.Thread
		arg.apply(s)
		return nil
	})
	if err != nil {
		return c.fail(err)
	}
	c.sub, c.lang = sub, i18n.Of(sub.Lang)
	first := para(text(c.lang.T("welcome back")))
	if !existed {
		first = para(text(c.lang.T("welcome", sub.DeliveryTime(), zoneName(sub.Zone, c.lang), c.join(c.tagNames(sub.Tags)))))
	}
	m := msg(first)
	m.Blocks = append(m.Blocks, arg.blocks(ctx, c, existed)...)
	switch {
	case sub.Thread != "":
		m.Blocks = append(m.Blocks, para(text(c.lang.T("digest topic here"))))
	case movedFrom != "":
		m.Blocks = append(m.Blocks, para(text(c.lang.T("digest topic general"))))
	}
	m.Blocks = append(m.Blocks, para(muted(c.lang.T("try"))))
	return []chat.Message{m}
}

// ensure starts the chat's subscription when a first command implies it,
// such as 订阅 工业 before 开始.
func (c *call) ensure(ctx context.Context, change func(*subscribers.Subscriber) error) (*subscribers.Subscriber, error) {
	sub, err := c.opts.Subscribers.Upsert(ctx, c.u.Chat, c.u.Kind, c.u.ChatName, func(s *subscribers.Subscriber) error {
		if s.ID == 0 {
			s.Lang, s.Thread = c.lang.Code(), c.u.Thread
		}
		return change(s)
	})
	if err == nil {
		c.sub, c.lang = sub, i18n.Of(sub.Lang)
	}
	return sub, err
}

func (c *call) subscribe(ctx context.Context) []chat.Message {
	if len(c.p.args) == 0 {
		return []chat.Message{say(c.lang.T("need args", c.lang.T("verb follow"), c.example(c.commands["/sub"])))}
	}
	known, err := c.knownTags(ctx)
	if err != nil {
		return c.fail(err)
	}
	var want, unknown []string
	for _, a := range c.p.args {
		if t, ok := resolveTag(a, known); ok {
			want = append(want, t)
		} else {
			unknown = append(unknown, truncate(a, 20))
		}
	}
	var added, already []string
	if len(want) > 0 {
		_, err = c.ensure(ctx, func(s *subscribers.Subscriber) error {
			added = s.Follow(want...)
			already = without(want, added)
			return nil
		})
	}
	var blocks []chat.Block
	switch {
	case errors.Is(err, subscribers.ErrTooMany):
		blocks = append(blocks, para(text(c.lang.T("too many tags", subscribers.MaxTags))))
	case err != nil:
		return c.fail(err)
	}
	if len(added) > 0 && err == nil {
		blocks = append(blocks, para(text(c.lang.T("subscribed", c.join(c.tagNames(added))))))
	}
	if len(already) > 0 && err == nil {
		blocks = append(blocks, para(text(c.lang.T("already", c.join(already)))))
	}
	blocks = append(blocks, c.unknownTags(ctx, unknown, known)...)
	return []chat.Message{msg(blocks...)}
}

// unknownTags explains tags that do not exist, with the closest ones by
// spelling or by meaning, or else a search for the word.
func (c *call) unknownTags(ctx context.Context, unknown []string, known []articles.TagCount) []chat.Block {
	var blocks []chat.Block
	for _, u := range unknown {
		blocks = append(blocks, para(text(c.lang.T("unknown tag", u))))
		s := suggestTags(u, known, 3)
		for _, r := range c.related(ctx, u, known) {
			if len(s) < 3 && !slices.Contains(s, r) {
				s = append(s, r)
			}
		}
		if len(s) > 0 {
			blocks = append(blocks, para(text(c.lang.T("did you mean", c.join(c.tagNames(s))))))
		} else {
			blocks = append(blocks, para(text(c.lang.T("search instead", u, c.name(c.commands["/search"])+" "+u))))
		}
	}
	if len(unknown) > 0 {
		blocks = append(blocks, para(muted(c.lang.T("see tags"))))
	}
	return blocks
}

func (c *call) unsubscribe(ctx context.Context) []chat.Message {
	if len(c.p.args) == 0 {
		return []chat.Message{say(c.lang.T("need args", c.lang.T("verb unfollow"), c.example(c.commands["/unsub"])))}
	}
	var removed []string
	if _, err := c.update(ctx, func(s *subscribers.Subscriber) error {
		removed = s.Unfollow(c.p.args...)
		return nil
	}); err != nil {
		return c.fail(err)
	}
	var blocks []chat.Block
	if len(removed) > 0 {
		blocks = append(blocks, para(text(c.lang.T("unsubscribed", c.join(removed)))))
	}
	if missing := without(c.p.args, removed); len(missing) > 0 {
		blocks = append(blocks, para(text(c.lang.T("not following", truncate(c.join(missing), 60)))))
	}
	return []chat.Message{msg(blocks...)}
}

var (
	addWords   = []string{"add", "添加", "加", "增加", "+"}
	delWords   = []string{"del", "delete", "rm", "remove", "删除", "删", "去掉"}
	listWords  = []string{"list", "ls", "show", "列表", "查看", "看看", "显示"}
	clearWords = []string{"clear", "reset", "清空", "清除", "全部删除", "删除全部"}
)

func (c *call) keywords(ctx context.Context) []chat.Message {
	args := c.p.args
	verb := ""
	if len(args) > 0 {
		verb = strings.ToLower(args[0])
	}
	switch {
	case len(args) == 0, len(args) == 1 && slices.Contains(listWords, verb):
		return []chat.Message{c.keywordList()}
	case len(args) == 1 && slices.Contains(clearWords, verb):
		if _, err := c.update(ctx, func(s *subscribers.Subscriber) error { s.Include, s.Exclude = nil, nil; return nil }); err != nil {
			return c.fail(err)
		}
		return []chat.Message{say(c.lang.T("kw cleared"))}
	}
	remove := false
	switch {
	case slices.Contains(delWords, verb):
		remove, args = true, args[1:]
	case slices.Contains(addWords, verb):
		args = args[1:]
	}
	if len(args) == 0 {
		return []chat.Message{say(c.lang.T("need args", c.lang.T("verb keywords"), c.lang.T("kw usage")))}
	}
	if len(args) > 10 {
		return []chat.Message{say(c.lang.T("too many args", c.commands["/kw"].names[0], c.lang.T("kw usage")))}
	}
	var words []string
	for _, a := range args {
		w, err := subscribers.CleanWord(strings.TrimPrefix(a, "-"))
		if err != nil {
			return []chat.Message{say(c.lang.T("kw bad", truncate(a, 20), subscribers.MaxWordLen))}
		}
		if strings.HasPrefix(a, "-") {
			w = "-" + w
		}
		words = append(words, w)
	}
	var missing []string
	_, err := c.update(ctx, func(s *subscribers.Subscriber) error {
		for _, w := range words {
			if remove {
				if !s.RemoveKeyword(w) {
					missing = append(missing, w)
				}
			} else {
				s.AddKeyword(w)
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, subscribers.ErrTooMany):
		return []chat.Message{say(c.lang.T("too many kw", subscribers.MaxKeywords))}
	case err != nil:
		return c.fail(err)
	}
	if remove {
		done := without(words, missing)
		var blocks []chat.Block
		if len(done) > 0 {
			blocks = append(blocks, para(text(c.lang.T("kw removed", c.join(done)))))
		}
		if len(missing) > 0 {
			blocks = append(blocks, para(text(c.lang.T("kw missing", c.join(missing)))))
		}
		return []chat.Message{msg(blocks...)}
	}
	return []chat.Message{msg(append([]chat.Block{para(text(c.lang.T("kw added", c.join(words))))}, c.keywordList().Blocks...)...)}
}

// keywordList shows the keywords, and says when they can bring nothing:
// keywords only narrow the followed tags, and none is followed.
func (c *call) keywordList() chat.Message {
	if len(c.sub.Include)+len(c.sub.Exclude) == 0 {
		return msg(para(text(c.lang.T("kw none"))), para(muted(c.lang.T("kw usage"))))
	}
	m := msg(para(text(c.lang.T("kw list", c.orNone(c.sub.Include), c.orNone(c.sub.Exclude)))))
	if len(c.sub.Tags) == 0 {
		m.Blocks = append(m.Blocks, para(text(c.lang.T("kw no tags"))))
	}
	return m
}

// current is the chat's subscriber, or the one /start would make: a
// setting can be shown, and changed, before the reader subscribes.
func (c *call) current() *subscribers.Subscriber {
	if c.sub != nil {
		return c.sub
	}
	s := subscribers.New(c.u.Chat, c.u.Kind, c.u.ChatName)
	s.Lang = c.lang.Code()
	return s
}

func (c *call) setTime(ctx context.Context) []chat.Message {
	if len(c.p.rest) == 0 {
		s := c.current()
		return []chat.Message{say(c.lang.T("time now", s.DeliveryTime(), zoneName(s.Zone, c.lang), c.next(s)) + "\n" +
			c.lang.T("change it", c.example(c.commands["/time"])))}
	}
	minute, err := subscribers.ParseTime(c.p.rest)
	if _, one := subscribers.ParseTime(c.p.args[0]); err != nil && one == nil && len(c.p.args) > 1 {
		// "07:30 08:00": a time, and something more.
		return []chat.Message{say(c.lang.T("too many args", c.commands["/time"].names[0], c.example(c.commands["/time"])))}
	}
	if err != nil {
		return []chat.Message{say(c.lang.T("bad time", truncate(c.p.rest, 20)))}
	}
	sub, err := c.ensure(ctx, func(s *subscribers.Subscriber) error { s.DeliverAt = minute; return nil })
	if err != nil {
		return c.fail(err)
	}
	return []chat.Message{say(c.lang.T("time set", sub.DeliveryTime(), zoneName(sub.Zone, c.lang), c.next(sub)))}
}

func (c *call) setZone(ctx context.Context) []chat.Message {
	if len(c.p.rest) == 0 {
		s := c.current()
		local := c.opts.Now().In(digest.ZoneOf(s)).Format("15:04")
		return []chat.Message{say(c.lang.T("tz now", c.zoneLabel(s.Zone), local) + "\n" +
			c.lang.T("change it", c.example(c.commands["/tz"])))}
	}
	name, err := subscribers.ResolveZone(c.p.rest)
	if err != nil {
		return []chat.Message{say(c.lang.T("bad tz", truncate(c.p.rest, 40)))}
	}
	sub, err := c.ensure(ctx, func(s *subscribers.Subscriber) error { s.Zone = name; return nil })
	if err != nil {
		return c.fail(err)
	}
	return []chat.Message{say(c.lang.T("tz set", c.zoneLabel(sub.Zone), sub.DeliveryTime(), c.next(sub)))}
}

var langNames = map[string]string{
	"zh": "zh", "cn": "zh", "中文": "zh", "汉语": "zh", "chinese": "zh", "zh-cn": "zh",
	"en": "en", "english": "en", "英文": "en", "英语": "en",
}

func (c *call) setLang(ctx context.Context) []chat.Message {
	if len(c.p.args) == 0 {
		return []chat.Message{say(c.lang.T("lang now") + "\n" + c.lang.T("change it", c.example(c.commands["/lang"])))}
	}
	code, ok := "", false
	if len(c.p.args) == 1 {
		code, ok = langNames[strings.ToLower(c.p.args[0])]
	}
	if !ok {
		return []chat.Message{say(c.lang.T("bad lang"))}
	}
	if _, err := c.ensure(ctx, func(s *subscribers.Subscriber) error { s.Lang = code; return nil }); err != nil {
		return c.fail(err)
	}
	return []chat.Message{say(c.lang.T("lang set"))}
}

func (c *call) pause(ctx context.Context) []chat.Message {
	if c.sub.State == subscribers.Paused {
		return []chat.Message{say(c.lang.T("already paused"))}
	}
	if _, err := c.update(ctx, func(s *subscribers.Subscriber) error { s.State = subscribers.Paused; return nil }); err != nil {
		return c.fail(err)
	}
	return []chat.Message{say(c.lang.T("paused"))}
}

func (c *call) resume(ctx context.Context) []chat.Message {
	if c.sub.State == subscribers.Active {
		return []chat.Message{say(c.lang.T("already active"))}
	}
	sub, err := c.update(ctx, func(s *subscribers.Subscriber) error { s.State = subscribers.Active; return nil })
	if err != nil {
		return c.fail(err)
	}
	return []chat.Message{say(c.lang.T("resumed", c.next(sub), zoneName(sub.Zone, c.lang)))}
}

func (c *call) stop(ctx context.Context) []chat.Message {
	if len(c.p.args) > 0 {
		// "取消订阅 工业" means 退订 工业: say so, and forget nothing.
		tags := c.join(c.p.args)
		return []chat.Message{say(c.lang.T("stop is not unsub", c.name(c.commands["/stop"]), tags, c.name(c.commands["/unsub"])+" "+tags))}
	}
	if err := c.opts.Subscribers.Delete(ctx, c.u.Chat); err != nil && !errors.Is(err, subscribers.ErrNotFound) {
		return c.fail(err)
	}
	c.searches.forget(c.u.Chat)
	return []chat.Message{say(c.lang.T("stopped"))}
}

func (c *call) list(ctx context.Context) []chat.Message {
	s := c.sub
	empty := c.lang.T("empty none")
	if s.EmptyNotice {
		empty = c.lang.T("empty note")
	}
	window, err := c.windowLines(ctx)
	if err != nil {
		return c.fail(err)
	}
	m := msg(
		heading(bold(c.lang.T("list title"))),
		item(text(c.lang.T("list tags", c.orNone(c.tagNames(s.Tags))))),
		item(text(c.lang.T("list kw", c.orNone(s.Include)))),
		item(text(c.lang.T("list ex", c.orNone(s.Exclude)))),
		item(text(c.lang.T("list time", s.DeliveryTime(), zoneName(s.Zone, c.lang), s.MaxItems))),
		item(text(c.lang.T("list empty", empty))),
		item(text(c.lang.T("list state", c.lang.T("state "+string(s.State))))),
	)
	m.Blocks = append(append(m.Blocks, window...), item(text(c.lang.T("list lang"))))
	return []chat.Message{m}
}

func (c *call) orNone(list []string) string {
	if len(list) == 0 {
		return c.lang.T("none")
	}
	return c.join(list)
}

// tagNames shows tags to the reader (see i18n.Lang.Tag).
func (c *call) tagNames(tags []string) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = c.lang.Tag(t)
	}
	return out
}

// join lists words as the reader's language does: 工业、交通; 工业, 交通.
func (c *call) join(list []string) string {
	return strings.Join(list, c.lang.T("list sep"))
}

// without returns the items of all that are not in some.
func without(all, some []string) []string {
	var out []string
	for _, a := range all {
		if !slices.Contains(some, a) {
			out = append(out, a)
		}
	}
	return out
}

func (c *call) setMax(ctx context.Context) []chat.Message {
	n, err := 0, error(nil)
	if len(c.p.args) == 1 {
		n, err = strconv.Atoi(c.p.args[0])
	}
	if len(c.p.args) != 1 || err != nil || n < 1 || n > subscribers.MaxMaxItems {
		return []chat.Message{say(c.lang.T("bad max", subscribers.MaxMaxItems, c.example(c.commands["/max"])))}
	}
	if _, err := c.update(ctx, func(s *subscribers.Subscriber) error { s.MaxItems = n; return nil }); err != nil {
		return c.fail(err)
	}
	return []chat.Message{say(c.lang.T("max set", n))}
}

var (
	onWords  = []string{"on", "yes", "开", "是", "通知", "notice"}
	offWords = []string{"off", "no", "关", "否", "不发", "none"}
)

func (c *call) setEmpty(ctx context.Context) []chat.Message {
	var on bool
	switch {
	case len(c.p.args) == 1 && slices.Contains(onWords, strings.ToLower(c.p.args[0])):
		on = true
	case len(c.p.args) == 1 && slices.Contains(offWords, strings.ToLower(c.p.args[0])):
	default:
		return []chat.Message{say(c.lang.T("bad empty", c.example(c.commands["/empty"])))}
	}
	if _, err := c.update(ctx, func(s *subscribers.Subscriber) error { s.EmptyNotice = on; return nil }); err != nil {
		return c.fail(err)
	}
	if on {
		return []chat.Message{say(c.lang.T("empty on"))}
	}
	return []chat.Message{say(c.lang.T("empty off"))}
}
