package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

// morePage is how many left-out articles one press of "more" shows.
const morePage = 10

func moreButton(lang string, digestID int64, offset, left int) chat.Button {
	// A word, not a number: the digest's items are numbered, and a reader
	// who types 1 means the first item, not the button.
	l := i18n.Of(lang)
	return chat.Button{Label: l.T("more button", left), Data: fmt.Sprintf("dm:%d:%d", digestID, offset), Word: l.T("example moredigest")}
}

// moreButtons is the last part's button row, as far as its size goes (the
// digest's id is not known yet), or nil when nothing was left out.
func moreButtons(p Part) [][]chat.Button {
	if p.More == 0 {
		return nil
	}
	return [][]chat.Button{{moreButton(p.Lang, 0, 0, p.More)}}
}

// More shows the articles a digest left out past the subscriber's maximum,
// a page at a time from offset, with a button for the next page. The
// digest is composed again over the same articles with today's settings,
// so a changed tag list shows what it would now pick.
func (e *Engine) More(ctx context.Context, sub *subscribers.Subscriber, digestID int64, offset int) (chat.Message, error) {
	var from, to int64
	err := e.opts.DB.QueryRowContext(ctx, `SELECT from_seq, to_seq FROM digests WHERE id = ? AND subscriber_id = ?`,
		digestID, sub.ID).Scan(&from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return chat.Message{Blocks: []chat.Block{para(plain(i18n.Of(sub.Lang).T("more gone")))}}, nil
	}
	if err != nil {
		return chat.Message{}, fmt.Errorf("digest: unable to read digest %d: %w", digestID, err)
	}
	d, list, err := e.composeAll(ctx, sub, from, to)
	if err != nil {
		return chat.Message{}, err
	}
	_, mixed := papers(d)
	var left []Unit
	n := 0
	for _, g := range d.Groups {
		from, each := groupPaper(g, mixed)
		for _, a := range g.Items {
			if n++; n > sub.MaxItems {
				left = append(left, Unit{Tag: g.Tag, From: from, Each: each, Seq: a.Seq, Also: d.Earlier[a.Seq]})
			}
		}
	}
	if offset < 0 || offset >= len(left) {
		return chat.Message{Blocks: []chat.Block{para(plain(i18n.Of(sub.Lang).T("more gone")))}}, nil
	}
	lim := withDefaults(e.limits(sub.Key.Platform))
	bySeq := make(map[int64]*articles.Article, len(list))
	for _, a := range list {
		bySeq[a.Seq] = a
	}
	// Items are added while they fit the platform's limit, ten at most;
	// the next page starts after the last one shown.
	// The title is measured at its longest, with the page's last number.
	longest := heading(i18n.Of(sub.Lang).T("more title", offset+1, offset+morePage, len(left)))
	m := chat.Message{}
	now := e.opts.Schedule.now().In(ZoneOf(sub))
	shown, lastTag := 0, ""
	for _, u := range left[offset:min(offset+morePage, len(left))] {
		unit := []chat.Block{ArticleItem(bySeq[u.Seq], View{Lang: sub.Lang, Now: now, Paper: u.Each, Earlier: u.Also, Link: lim.Link})}
		if u.Tag != lastTag {
			label := u.Tag
			if u.From != "" {
				label += " · " + u.From
			}
			unit = append([]chat.Block{heading(label)}, unit...)
		}
		try := append(append([]chat.Block{longest}, m.Blocks...), shrink(unit, lim)...)
		// Measured with a next-page button, as wide as it can be.
		next := [][]chat.Button{{moreButton(sub.Lang, digestID, len(left), len(left))}}
		if shown > 0 && lim.Measure(chat.Message{Blocks: try, Buttons: next}) > lim.MaxLength {
			break
		}
		m.Blocks, lastTag = try[1:], u.Tag
		shown++
	}
	title := heading(i18n.Of(sub.Lang).T("more title", offset+1, offset+shown, len(left)))
	m.Blocks = append([]chat.Block{title}, m.Blocks...)
	if next := offset + shown; next < len(left) {
		m.Buttons = [][]chat.Button{{moreButton(sub.Lang, digestID, next, len(left)-next)}}
	}
	return m, nil
}

// WaitingNotice answers an on-demand digest whose parts could not all go
// out at once (the platform asked to wait, a send failed): the reader
// hears that it is coming rather than nothing.
func WaitingNotice(lang string, parts int) chat.Message {
	return chat.Message{Blocks: []chat.Block{para(plain(i18n.Of(lang).T("waiting", parts)))}}
}

// Latest is sub's newest digest and when it was composed, or 0 when it
// has none.
func (e *Engine) Latest(ctx context.Context, sub *subscribers.Subscriber) (id int64, at time.Time, err error) {
	var created int64
	err = e.opts.DB.QueryRowContext(ctx, `SELECT id, created_at FROM digests WHERE subscriber_id = ? ORDER BY id DESC LIMIT 1`,
		sub.ID).Scan(&id, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("digest: unable to find the latest digest of %s: %w", sub.Key, err)
	}
	return id, time.Unix(created, 0), nil
}

// composeAll composes again, with today's settings and no maximum, the
// digest of the articles stored after from up to to, and returns them.
func (e *Engine) composeAll(ctx context.Context, sub *subscribers.Subscriber, from, to int64) (Digest, []*articles.Article, error) {
	list, err := e.opts.Articles.Since(ctx, from, e.opts.MaxCandidates)
	if err != nil {
		return Digest{}, nil, err
	}
	for i, a := range list {
		if a.Seq > to {
			list = list[:i]
			break
		}
	}
	all := *sub
	all.MaxItems = len(list)
	return Compose(&all, Prepare(list)), list, nil
}
