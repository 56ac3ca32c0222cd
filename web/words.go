package web

import "wzdaily/internal/i18n"

// words are the page's fixed text, from the catalog. The web speaks
// Chinese (lang="zh-CN"): its readers come from links in Chinese chats.
type words struct {
	Site, Search, Tag, From, To, Go, Tags, Original, Publisher, SameStory, Related,
	Newer, Older, Prev, Next, NoResults, Latest, Feed, SearchArchive, NewLink string
}

var lang = i18n.ZH

var zh = words{
	Site:          lang.T("web site"),
	Search:        lang.T("web search"),
	Tag:           lang.T("web tag"),
	From:          lang.T("web from"),
	To:            lang.T("web to"),
	Go:            lang.T("web go"),
	Tags:          lang.T("web tags"),
	Original:      lang.T("web original"),
	Publisher:     lang.T("web publisher"),
	SameStory:     lang.T("web same story"),
	Related:       lang.T("web related"),
	Newer:         lang.T("web newer"),
	Older:         lang.T("web older"),
	Prev:          lang.T("web prev"),
	Next:          lang.T("web next"),
	NoResults:     lang.T("web no results"),
	Latest:        lang.T("web latest"),
	Feed:          lang.T("web feed"),
	SearchArchive: lang.T("web search archive"),
	NewLink:       lang.T("web new link"),
}
