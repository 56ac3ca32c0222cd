package digest

import (
	"wzdaily/articles"
	"wzdaily/chat"
)

// ArticleItem is one article in a list: title, date, lead (or the search
// snippet), link. Digests, search results and inline answers all use it,
// so an article looks the same everywhere.
func ArticleItem(a *articles.Article, title, snippet articles.Snippet) chat.Block {
	var spans []chat.Span
	if title != nil {
		spans = append(spans, snippetSpans(title, chat.Bold)...)
	} else {
		spans = append(spans, chat.Span{Text: a.Title, Style: chat.Bold})
	}
	spans = append(spans, muted(" · "+a.ShownDate().Format("2006-01-02")), plain("\n"))
	if snippet != nil {
		spans = append(spans, snippetSpans(snippet, chat.Plain)...)
	} else {
		spans = append(spans, plain(a.Lead))
	}
	if a.URL != "" {
		spans = append(spans, plain("\n"), chat.Span{Text: a.URL, Style: chat.Link, URL: a.URL})
	}
	return chat.Block{Kind: chat.Item, Spans: spans}
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
