package digest

import (
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/i18n"
)

// View says how an article is shown in a list.
type View struct {
	Lang string
	// Now is the reader's present, in the reader's zone: an article of
	// that day reads 今天 08:15, of the day before 昨天 18:30, any other
	// its date. Zero gives dates only, for text that outlives the day.
	Now time.Time
	// Title and Snippet are a search's marked title and snippet; nil shows
	// the title and the lead.
	Title, Snippet articles.Snippet
	Paper          bool // name the paper the article comes from
	Earlier        int  // earlier reports of the story that the item stands for
	// Link gives the address the title links to; nil: the article's URL.
	Link func(*articles.Article) string
}

// LinkOf is where an item's title links to.
func (v View) LinkOf(a *articles.Article) string {
	if v.Link != nil {
		return v.Link(a)
	}
	return a.URL
}

// ArticleItem is one article in a list: its title, which links to the
// article, when it was published, and its lead (or the search snippet).
// Digests, search results and inline answers all use it, so an article
// looks the same everywhere.
func ArticleItem(a *articles.Article, v View) chat.Block {
	lang := i18n.Of(v.Lang)
	var spans []chat.Span
	if v.Title != nil {
		spans = append(spans, snippetSpans(v.Title, chat.Bold)...)
	} else {
		spans = append(spans, chat.Span{Text: a.Title, Style: chat.Bold})
	}
	if u := v.LinkOf(a); u != "" {
		for i := range spans {
			spans[i].URL = u
		}
	}
	meta := " · " + When(a.ShownDate(), v.Now, lang)
	if v.Paper {
		if p := a.Paper(); p != "" {
			meta += " · " + p
		}
	}
	if v.Earlier > 0 {
		meta += lang.T("earlier", v.Earlier)
	}
	spans = append(spans, muted(meta))
	switch {
	case v.Snippet != nil:
		spans = append(spans, plain("\n"))
		spans = append(spans, snippetSpans(v.Snippet, chat.Plain)...)
	case a.Lead != "":
		spans = append(spans, plain("\n"+a.Lead))
	}
	return chat.Block{Kind: chat.Item, Spans: spans}
}

// When says when t was, as people say it to someone whose present is now:
// 今天 08:15, 昨天 18:30, else the date (with the year when it is not
// now's). With no present, the date with its year, in the paper's zone.
func When(t, now time.Time, lang i18n.Lang) string {
	if now.IsZero() {
		return t.In(articles.Zone()).Format(lang.T("date format"))
	}
	t = t.In(now.Location())
	y, m, d := t.Date()
	switch {
	case sameDay(y, m, d, now):
		return lang.T("item today", t.Format("15:04"))
	case sameDay(y, m, d, now.AddDate(0, 0, -1)):
		return lang.T("item yesterday", t.Format("15:04"))
	case y == now.Year():
		return t.Format(lang.T("short date format"))
	}
	return t.Format(lang.T("date format"))
}

func sameDay(y int, m time.Month, d int, t time.Time) bool {
	ty, tm, td := t.Date()
	return y == ty && m == tm && d == td
}

func snippetSpans(s articles.Snippet, style chat.Style) []chat.Span {
	var out []chat.Span
	for _, f := range s {
		switch {
		case f.Inside:
			out = append(out, chat.Span{Text: f.Text, Style: chat.HitInside})
		case f.Hit:
			out = append(out, chat.Span{Text: f.Text, Style: chat.Hit})
		default:
			out = append(out, chat.Span{Text: f.Text, Style: style})
		}
	}
	return out
}

// RelaxedNotice says that a search's query as typed found too little, and
// which words were searched for instead: the bot's answer and the web's
// search page say it alike.
func RelaxedNotice(typed string, res *articles.Results, lang i18n.Lang) string {
	quoted := make([]string, len(res.Words))
	for i, w := range res.Words {
		quoted[i] = lang.T("search word", w)
	}
	sep := ""
	if lang == i18n.EN {
		sep = ", "
	}
	words := strings.Join(quoted, sep)
	if res.Exact == 0 {
		return lang.T("search split", typed, words)
	}
	return lang.T("search split few", typed, res.Exact, words)
}
