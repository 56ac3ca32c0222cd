// Package fakesite is a faithful fake of finews.withounder.com, the Jekyll
// site on GitHub Pages that the bot ingests. It builds pages from posts
// and the site's own layouts the way Jekyll would, serves them over HTTP
// the way GitHub Pages does (validators, 304s, gzip, 404 page), records
// every request, and injects faults on demand. Use it with
// httptest.NewServer(site).
package fakesite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrNoSuchPost is returned by RemovePost for a name that was never added.
var ErrNoSuchPost = errors.New("fakesite: no such post")

// Options configures a Site.
type Options struct {
	// Layouts is the site tree without posts: _config.yml, _layouts/ and
	// the pages (index.md, category/*.html…). Required.
	Layouts fs.FS
	// Now is the clock: it stamps Last-Modified when a page changes, the
	// feed's <updated>, Expires, and Request.Time. Defaults to time.Now.
	// A fake clock must move between changes for If-Modified-Since alone
	// to see them (Last-Modified has one-second resolution).
	Now func() time.Time
	// BaseURL replaces _config.yml's url in absolute links (feed, SEO tags).
	BaseURL string
	// Logger gets debug logs of rebuilds. Defaults to discarding.
	Logger *slog.Logger
	// NaiveDatesInSiteZone reads an unquoted front matter date without an
	// offset ("2021-12-08 10:46:18") as site time. Jekyll reads it as UTC
	// and shows it 8 hours later in Asia/Shanghai; see frontMatterDate.
	NaiveDatesInSiteZone bool
	// CategoryPagesNeedPosts serves a category page (a page whose front
	// matter names a category) only while that category has a post, as
	// the live site does: its scripts delete category/<name>.html while
	// the category has no current post, and the page answers 404. By
	// default a page file is served whatever the posts, as Jekyll does.
	CategoryPagesNeedPosts bool
}

// Site is the fake site. It is an http.Handler and safe for concurrent use.
type Site struct {
	log       *slog.Logger
	now       func() time.Time
	naive     bool
	needPosts bool

	mu       sync.RWMutex
	set      *siteSettings
	theme    *theme
	posts    map[string]*post
	files    map[string]*resource
	siteTime time.Time

	faults faultSet
	rec    recorder
}

// New builds the site with no posts yet.
func New(opts Options) (*Site, error) {
	if opts.Layouts == nil {
		return nil, errors.New("fakesite: Options.Layouts is required")
	}
	set, err := loadSettings(opts.Layouts)
	if err != nil {
		return nil, err
	}
	th, err := loadTheme(opts.Layouts, set)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	set.now = now
	if opts.BaseURL != "" {
		set.url = strings.TrimSuffix(opts.BaseURL, "/")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Site{
		log:       log,
		now:       now,
		naive:     opts.NaiveDatesInSiteZone,
		needPosts: opts.CategoryPagesNeedPosts,
		set:       set,
		theme:     th,
		posts:     map[string]*post{},
		siteTime:  now(),
		faults:    faultSet{release: make(chan struct{})},
	}
	s.rebuildLocked()
	return s, nil
}

// AddPost adds or replaces the post stored under name (such as
// "_posts/2022-02-11-NW202202112273376235.md") and rebuilds the pages it
// affects. Only the base name matters to Jekyll; the directory is part of
// the key. A file Jekyll would not publish gives a *SkipError and leaves
// the site unchanged (an earlier version under the same name stays).
func (s *Site) AddPost(name string, raw []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := parsePost(name, raw, s.set, s.naive)
	if err != nil {
		return err
	}
	s.posts[name] = p
	s.rebuildLocked()
	return nil
}

// AddPostsFromFS adds every file under dir of fsys as a post, named by its
// path in fsys, with one rebuild at the end. Files Jekyll would not
// publish are returned as skips; err is only for files that cannot be read,
// in which case nothing is added.
func (s *Site) AddPostsFromFS(fsys fs.FS, dir string) (skipped []*SkipError, err error) {
	type file struct {
		name string
		raw  []byte
	}
	var files []file
	err = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, file{p, raw})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fakesite: unable to read posts from %s: %w", dir, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range files {
		p, err := parsePost(f.name, f.raw, s.set, s.naive)
		var skip *SkipError
		if errors.As(err, &skip) {
			skipped = append(skipped, skip)
			continue
		}
		if err != nil {
			return skipped, err
		}
		s.posts[f.name] = p
	}
	s.rebuildLocked()
	return skipped, nil
}

// RemovePost deletes a post, as moving it out of _posts does on the real
// site: its page then answers 404 and it leaves the lists and the feed.
func (s *Site) RemovePost(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.posts[name]; !ok {
		return fmt.Errorf("fakesite: unable to remove post %s: %w", name, ErrNoSuchPost)
	}
	delete(s.posts, name)
	s.rebuildLocked()
	return nil
}

// SetBaseURL changes the site URL used in absolute links, typically to the
// httptest server's URL once it is known, and rebuilds.
func (s *Site) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := *s.set
	set.url = strings.TrimSuffix(u, "/")
	s.set = &set
	s.rebuildLocked()
}

// PostURL returns the permalink path of the post added under name, as it
// appears in links (percent-encoded).
func (s *Site) PostURL(name string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.posts[name]
	if !ok {
		return "", false
	}
	return p.url, true
}

// Paths lists the files the site serves, sorted, as decoded paths such as
// "/index.html" and "/category/wuzhouribao.html".
func (s *Site) Paths() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.files))
	for p := range s.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Page returns the body served at a request path, without going through
// HTTP, faults or the request log.
func (s *Site) Page(urlPath string) ([]byte, bool) {
	res, _, ok := s.lookup(urlPath)
	if !ok {
		return nil, false
	}
	return bytes.Clone(res.body), true
}

// rebuildLocked re-renders everything and keeps the validators of the
// files whose bytes did not change. The feed's <updated> (Jekyll's
// site.time) moves only when its entries change, so an unchanged feed
// keeps answering 304. Callers hold s.mu.
func (s *Site) rebuildLocked() {
	list := make([]*post, 0, len(s.posts))
	for _, p := range s.posts {
		list = append(list, p)
	}
	out, sorted := buildSite(s.set, s.theme, list, s.siteTime, s.needPosts)
	if _, themed := out["/feed.xml"]; !themed {
		feed := renderFeed(s.set, sorted, s.siteTime)
		if old, ok := s.files["/feed.xml"]; ok && !bytes.Equal(old.body, feed) {
			s.siteTime = s.now()
			feed = renderFeed(s.set, sorted, s.siteTime)
		}
		out["/feed.xml"] = rendered{body: feed, contentType: feedType}
	}
	now := s.now()
	next := make(map[string]*resource, len(out))
	changed := 0
	for p, r := range out {
		if old, ok := s.files[p]; ok && old.contentType == r.contentType && bytes.Equal(old.body, r.body) {
			next[p] = old
			continue
		}
		next[p] = newResource(r, now)
		changed++
	}
	s.files = next
	s.log.Debug("Rebuilt fake site", slog.Int("posts", len(s.posts)), slog.Int("files", len(next)), slog.Int("changed", changed))
}

// lookup resolves a request path the way GitHub Pages does: "/x/" serves
// /x/index.html, "/x" serves /x or /x.html, and a folder without its slash
// redirects.
func (s *Site) lookup(urlPath string) (res *resource, redirect string, ok bool) {
	p := urlPath
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	trailing := strings.HasSuffix(p, "/")
	p = path.Clean(p)
	if trailing && p != "/" {
		p += "/"
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if strings.HasSuffix(p, "/") {
		res, ok = s.files[p+"index.html"]
		return res, "", ok
	}
	if res, ok = s.files[p]; ok {
		return res, "", true
	}
	if res, ok = s.files[p+".html"]; ok {
		return res, "", true
	}
	if _, ok = s.files[p+"/index.html"]; ok {
		return nil, p + "/", false
	}
	return nil, "", false
}
