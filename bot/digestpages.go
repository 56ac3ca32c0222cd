package bot

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"wzdaily/chat"
)

// digestPages remembers where each chat is in the left-out articles of
// its digest, so that typing 更多摘要 on a platform without buttons goes
// on from the page it saw. Memory is bounded: past max chats, it starts
// again empty, and a chat that typed the word then sees the first page.
type digestPages struct {
	mu   sync.Mutex
	max  int
	next map[chat.Key]digestPage
}

type digestPage struct {
	digest int64
	offset int
}

func newDigestPages(max int) *digestPages {
	return &digestPages{max: max, next: map[chat.Key]digestPage{}}
}

// shown records the page a chat saw: its "more" button names where the
// next one starts, and a page without one was the last.
func (d *digestPages) shown(key chat.Key, m chat.Message) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, b := range chat.Flatten(m.Buttons) {
		if id, off, ok := parseMore(b.Data); ok {
			if len(d.next) >= d.max {
				d.next = map[chat.Key]digestPage{}
			}
			d.next[key] = digestPage{digest: id, offset: off}
			return
		}
	}
	delete(d.next, key)
}

func (d *digestPages) get(key chat.Key) (digestPage, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.next[key]
	return p, ok
}

// parseMore reads a digest's "more" button ("dm:<digest>:<offset>").
func parseMore(data string) (digestID int64, offset int, ok bool) {
	rest, ok := strings.CutPrefix(data, "dm:")
	if !ok {
		return 0, 0, false
	}
	idText, offText, _ := strings.Cut(rest, ":")
	id, err1 := strconv.ParseInt(idText, 10, 64)
	off, err2 := strconv.Atoi(offText)
	if err1 != nil || err2 != nil || off < 0 {
		return 0, 0, false
	}
	return id, off, true
}

// digestMoreTyped answers 更多摘要: the next page of what the chat's
// digest left out, or the first of its latest digest.
func (c *call) digestMoreTyped(ctx context.Context) []chat.Message {
	if c.opts.Digests == nil {
		return []chat.Message{say(c.lang.T("no digest"))}
	}
	p, ok := c.digestPages.get(c.u.Chat)
	if !ok {
		id, _, err := c.opts.Digests.Latest(ctx, c.sub)
		if err != nil {
			return c.fail(err)
		}
		if id == 0 {
			return []chat.Message{say(c.lang.T("more gone"))}
		}
		p = digestPage{digest: id}
	}
	return c.showDigestMore(ctx, p.digest, p.offset)
}

// showDigestMore shows a page of what a digest left out and remembers it.
func (c *call) showDigestMore(ctx context.Context, digestID int64, offset int) []chat.Message {
	m, err := c.opts.Digests.More(ctx, c.sub, digestID, offset)
	if err != nil {
		return c.fail(err)
	}
	c.digestPages.shown(c.u.Chat, m)
	return []chat.Message{m}
}
