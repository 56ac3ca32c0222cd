package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"html"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"wzdaily/articles"
	"wzdaily/digest"
)

// perPage is how many articles a tag or search page lists.
const perPage = 10

// page is what every template gets: the fixed words, the page's title,
// whether robots may index it, and the page's own view.
type page struct {
	W       words
	Title   string
	NoIndex bool
	View    any
}

// item is an article in a list.
type item struct {
	Path, Title, When, Paper string
	// Marked is the title with a search's hits in <mark>; Snippet the
	// body's, or the lead as text.
	Marked, Snippet template.HTML
}

type articleView struct {
	Title, When, Paper, Attribution string
	Paragraphs, Tags                []string
	Original, Publisher             string
	Story, Related                  []item
}

type listView struct {
	Heading    string
	Search     bool // show the search form
	Q, Tag     string
	From, To   string
	Note       string // why the results are what they are, or what is wrong with the query
	Total      string
	Items      []item
	Start      int // the number of the first item: pages go on counting
	Prev, Next string
	Feed       string
}

type messageView struct {
	Text, SearchFor string
	NewLink         bool // a digest link that cannot be shown: say how to get another
}

var funcs = template.FuncMap{
	"tagPath": tagPath,
}

func tagPath(tag string) string { return "/tag/" + url.PathEscape(tag) }

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	p.W = zh
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, p); err != nil {
		slog.Error("Unable to render a page", slog.String("page", name), slog.Any("error", err))
		http.Error(w, lang.T("web failed"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (s *Server) message(w http.ResponseWriter, status int, text, searchFor string) {
	s.render(w, status, "message", page{Title: text, NoIndex: true, View: messageView{Text: text, SearchFor: searchFor}})
}

// noDigest refuses a digest link, saying how to get a new one.
func (s *Server) noDigest(w http.ResponseWriter, status int, text string) {
	s.render(w, status, "message", page{Title: text, NoIndex: true, View: messageView{Text: text, NewLink: true}})
}

func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		slog.Warn("A page took too long", slog.String("path", r.URL.Path), slog.Any("error", err))
	} else {
		slog.Error("Unable to answer a page", slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	s.message(w, http.StatusInternalServerError, lang.T("web failed"), "")
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.message(w, http.StatusNotFound, lang.T("web not found"), "")
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	list, err := s.opts.Articles.List(r.Context(), articles.ListQuery{Limit: perPage})
	if err != nil {
		s.failed(w, r, err)
		return
	}
	v := listView{Heading: zh.Latest, Search: true, Items: s.items(list), Start: 1}
	s.render(w, http.StatusOK, "list", page{Title: zh.Site, View: v})
}

func (s *Server) now() time.Time { return s.opts.Now().In(articles.Zone()) }

func (s *Server) items(list []*articles.Article) []item {
	now := s.now()
	out := make([]item, 0, len(list))
	for _, a := range list {
		out = append(out, item{Path: articlePath(a.ID), Title: a.Title, When: digest.When(a.ShownDate(), now, lang),
			Paper: a.Paper(), Snippet: template.HTML(html.EscapeString(a.Lead))})
	}
	return out
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	a, err := s.opts.Articles.Get(ctx, id)
	if errors.Is(err, articles.ErrNotFound) {
		s.gone(w, r, id)
		return
	}
	if err != nil {
		s.failed(w, r, err)
		return
	}
	story, related, err := s.related(ctx, a)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	paper := a.Paper()
	v := articleView{Title: a.Title, When: digest.When(a.ShownDate(), s.now(), lang), Paper: paper,
		Attribution: lang.T("web attribution", cmp.Or(paper, articles.HomePaper)),
		Paragraphs:  a.Paragraphs(), Tags: a.AllTags(), Original: a.URL, Story: story, Related: related}
	if a.SourceURL != a.URL {
		v.Publisher = a.SourceURL
	}
	s.render(w, http.StatusOK, "article", page{Title: a.Title, NoIndex: !s.opts.Index, View: v})
}

// gone answers an article the store does not have: 410 when it was pruned
// (the link worked once), 404 when it never was.
func (s *Server) gone(w http.ResponseWriter, r *http.Request, id string) {
	had, err := s.opts.Articles.Has(r.Context(), id)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	if had {
		s.message(w, http.StatusGone, lang.T("web pruned"), "/search")
		return
	}
	s.message(w, http.StatusNotFound, lang.T("web not found"), "/search")
}

// related finds the story's other reports (published within the story
// window and alike, as a digest groups them) and nearby articles that
// share a topic (or, without topics, a site tag).
func (s *Server) related(ctx context.Context, a *articles.Article) (story, near []item, err error) {
	const storySpan, nearSpan, most = 12 * time.Hour, 7 * 24 * time.Hour, 5
	around, err := s.opts.Articles.List(ctx, articles.ListQuery{From: a.Published.Add(-storySpan), To: a.Published.Add(storySpan), Limit: 200})
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{a.ID: true}
	var same []*articles.Article
	for _, b := range around {
		if !seen[b.ID] && digest.SameStory(a, b) {
			seen[b.ID] = true
			same = append(same, b)
		}
	}
	tags := a.Topics
	if len(tags) == 0 {
		tags = a.Tags
	}
	var shared []*articles.Article
	if len(tags) > 0 {
		list, err := s.opts.Articles.List(ctx, articles.ListQuery{AnyTags: tags, From: a.Published.Add(-nearSpan),
			To: a.Published.Add(nearSpan), Limit: most + len(seen)})
		if err != nil {
			return nil, nil, err
		}
		for _, b := range list {
			if !seen[b.ID] && len(shared) < most {
				seen[b.ID] = true
				shared = append(shared, b)
			}
		}
	}
	return s.items(same[:min(len(same), most)]), s.items(shared), nil
}

// pageNumber reads ?page=, 1 and up; anything else is page 1.
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1000)
}

// withPage is the request's own path and query with another page.
func withPage(r *http.Request, n int) string {
	q := r.URL.Query()
	if n <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return r.URL.EscapedPath()
	}
	return r.URL.EscapedPath() + "?" + q.Encode()
}

func (s *Server) tag(w http.ResponseWriter, r *http.Request) {
	tag := r.PathValue("tag")
	n := pageNumber(r)
	list, err := s.opts.Articles.List(r.Context(), articles.ListQuery{Tags: []string{tag}, Limit: perPage + 1, Offset: (n - 1) * perPage})
	if err != nil {
		s.failed(w, r, err)
		return
	}
	if len(list) == 0 {
		s.message(w, http.StatusNotFound, lang.T("web not found"), "/search")
		return
	}
	v := listView{Heading: lang.T("web tag head", tag), Feed: "/feeds/tag/" + url.PathEscape(tag) + ".xml"}
	if len(list) > perPage {
		list, v.Next = list[:perPage], withPage(r, n+1)
	}
	if n > 1 {
		v.Prev = withPage(r, n-1)
		v.Heading += " · " + lang.T("web page", n)
	}
	v.Items, v.Start = s.items(list), (n-1)*perPage+1
	s.render(w, http.StatusOK, "list", page{Title: v.Heading, NoIndex: !s.opts.Index, View: v})
}

// searchQuery reads a search's query string: q, tag, from and to (dates
// in the paper's zone, to included) and page.
func searchQuery(r *http.Request, v *listView) (articles.SearchQuery, bool) {
	p := r.URL.Query()
	v.Q, v.Tag, v.From, v.To = p.Get("q"), p.Get("tag"), p.Get("from"), p.Get("to")
	q := articles.SearchQuery{Text: v.Q, Relax: true, Count: true}
	if v.Tag != "" {
		q.Tags = []string{v.Tag}
	}
	var err error
	if v.From != "" {
		if q.From, err = time.ParseInLocation(time.DateOnly, v.From, articles.Zone()); err != nil {
			return q, false
		}
	}
	if v.To != "" {
		if q.To, err = time.ParseInLocation(time.DateOnly, v.To, articles.Zone()); err != nil {
			return q, false
		}
		q.To = q.To.AddDate(0, 0, 1)
	}
	return q, true
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	v := listView{Heading: zh.SearchArchive, Search: true}
	q, ok := searchQuery(r, &v)
	n := pageNumber(r)
	p := page{Title: zh.SearchArchive, NoIndex: true}
	switch {
	case !ok:
		v.Note = lang.T("web bad date")
	case v.Q == "" && v.Tag == "" && v.From == "" && v.To == "":
	default:
		q.Limit, q.Offset = perPage, (n-1)*perPage
		res, err := s.opts.Articles.Search(r.Context(), q)
		if errors.Is(err, articles.ErrEmptyQuery) {
			v.Note = lang.T("web empty query")
			break
		}
		if err != nil {
			s.failed(w, r, err)
			return
		}
		v.Heading = lang.T("web search head", v.Q)
		if n > 1 {
			v.Heading += " · " + lang.T("web page", n)
		}
		p.Title = v.Heading
		if len(res.Words) > 0 {
			v.Note = digest.RelaxedNotice(v.Q, res, lang)
		}
		v.Total = lang.T("search total", res.Total)
		if res.TotalOver {
			v.Total = lang.T("search total over", res.Total)
		}
		v.Items, v.Start = s.hits(res.Hits), (n-1)*perPage+1
		if res.More {
			v.Next = withPage(r, n+1)
		}
		if n > 1 {
			v.Prev = withPage(r, n-1)
		}
		v.Feed = "/feeds/search?" + url.Values{"q": {v.Q}}.Encode()
	}
	p.View = v
	s.render(w, http.StatusOK, "list", p)
}

func (s *Server) hits(hits []articles.Hit) []item {
	now := s.now()
	out := make([]item, 0, len(hits))
	for _, h := range hits {
		a := h.Article
		out = append(out, item{Path: articlePath(a.ID), Title: a.Title, When: digest.When(a.ShownDate(), now, lang), Paper: a.Paper(),
			Marked: template.HTML(h.Title.Mark("<mark>", "</mark>", html.EscapeString)), Snippet: template.HTML(h.Snippet.Mark("<mark>", "</mark>", html.EscapeString))})
	}
	return out
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	b.WriteString("User-agent: *\nDisallow: /search\nDisallow: /feeds/search\nDisallow: /d/\n")
	if !s.opts.Index {
		b.WriteString("Disallow: /a/\nDisallow: /tag/\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(b.Bytes())
}
