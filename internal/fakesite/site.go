// Package fakesite is a fake of finews.withounder.com, the Jekyll site the
// bot ingests, for tests. It serves the sample corpus as real Jekyll built
// it (jekyll-build/, see its README), the way GitHub Pages does
// (validators, 304s, 404s). Posts added, changed or removed during a test
// get their pages, their category pages and the feed from small templates
// shaped like the captured pages (layouts/), which golden_test.go holds to
// the capture. It records every request and injects faults on demand. Use
// it with httptest.NewServer(site).
package fakesite

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"
	_ "time/tzdata" // the site's zone must resolve where the OS has no zoneinfo

	"wzdaily/internal/sample"
)

// ErrNoSuchPost is returned by RemovePost for a name that is not published.
var ErrNoSuchPost = errors.New("fakesite: no such post")

// DefaultBaseURL is the site's address, which the captured pages carry.
const DefaultBaseURL = "https://finews.withounder.com"

// feedLimit is how many posts jekyll-feed lists: the newest of the site.
const feedLimit = 10

//go:embed layouts
var layoutFiles embed.FS

// Options configures a Site.
type Options struct {
	// Now is the clock: it stamps Last-Modified when a page changes, the
	// feed's <updated>, Expires, and Request.Time. Defaults to time.Now.
	Now func() time.Time
	// BaseURL is the site's address in the absolute links of the pages the
	// fake renders. Default DefaultBaseURL. Captured pages keep theirs.
	BaseURL string
	// CategoryPagesNeedPosts serves a category page only while the category
	// has a post, as the live site does: its scripts delete
	// category/<name>.html while the category has no current post, and the
	// page answers 404. By default a category page is served either way.
	CategoryPagesNeedPosts bool
}

// Site is the fake site. It is an http.Handler and safe for concurrent use.
type Site struct {
	now       func() time.Time
	zone      *time.Location
	needPosts bool
	layouts   *template.Template

	mu         sync.RWMutex
	base       string
	posts      map[string]*post        // by name, e.g. _posts/2022-02-11-NW202202112273376235.md
	categories map[string]string       // category → the title of its page
	captured   map[string]capturedFile // captured files the posts make, by path
	static     map[string][]byte       // the other captured files, by path
	files      map[string]*resource
	feedKey    string    // the entries of the feed last rendered
	feedTime   time.Time // its <updated>: when its entries last changed

	faults faultSet
	rec    recorder
}

// capturedFile is a captured file with the key of the inputs it was built from.
type capturedFile struct {
	key  string
	body []byte
}

// New returns the site as the capture shows it: the sample's _posts/ are
// published.
func New(opts Options) (*Site, error) {
	zone, err := time.LoadLocation("Asia/Shanghai") // _config.yml: timezone
	if err != nil {
		return nil, fmt.Errorf("fakesite: unable to load the site's zone: %w", err)
	}
	layouts, err := template.New("").Funcs(template.FuncMap{
		"join":    strings.Join,
		"rfc3339": func(t time.Time) string { return t.Format(time.RFC3339) },
		"xml":     xmlEscaper.Replace,
	}).ParseFS(layoutFiles, "layouts/*")
	if err != nil {
		return nil, fmt.Errorf("fakesite: unable to parse the layouts: %w", err)
	}
	s := &Site{
		now:        opts.Now,
		zone:       zone,
		needPosts:  opts.CategoryPagesNeedPosts,
		layouts:    layouts,
		base:       strings.TrimSuffix(opts.BaseURL, "/"),
		posts:      map[string]*post{},
		categories: map[string]string{},
		captured:   map[string]capturedFile{},
		static:     map[string][]byte{},
		faults:     faultSet{release: make(chan struct{})},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.base == "" {
		s.base = DefaultBaseURL
	}
	if err := s.loadCapture(); err != nil {
		return nil, err
	}
	s.rebuildLocked()
	return s, nil
}

// loadCapture publishes the sample's posts and takes the captured files:
// those the posts make are served as captured while their inputs stay the
// capture's, the others (index.html, a bare page) always.
func (s *Site) loadCapture() error {
	for name, raw := range sample.Posts() {
		if !strings.HasPrefix(name, "_posts/") {
			continue
		}
		// Two posts of the sample are not published: one without a date in
		// its name, one whose front matter follows a blank line (Jekyll
		// builds it as a bare page, which the capture holds).
		if p, err := readPost(name, raw, s.zone); err == nil {
			s.posts[name] = p
		}
	}
	files := map[string][]byte{}
	err := fs.WalkDir(Capture(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "README.md" {
			return err
		}
		body, err := fs.ReadFile(Capture(), p)
		if err != nil {
			return err
		}
		if c, ok := strings.CutPrefix(p, "category/"); ok {
			s.categories[strings.TrimSuffix(c, ".html")] = pageTitle(body)
		}
		files["/"+p] = body
		return nil
	})
	if err != nil {
		return fmt.Errorf("fakesite: unable to read the capture: %w", err)
	}
	made := s.outputs()
	for p, body := range files {
		if out, ok := made[p]; ok {
			s.captured[p] = capturedFile{key: out.key, body: body}
		} else {
			s.static[p] = body
		}
	}
	return nil
}

// titleTag is the page title the site's layout writes, before its name.
var titleTag = regexp.MustCompile(`<title>(.*) \| 金融消息</title>`)

func pageTitle(body []byte) string {
	if m := titleTag.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// AddPost publishes, or replaces, the post file stored under name (such as
// "_posts/2022-02-11-NW202202112273376235.md"), as the site's scripts do.
// A file Jekyll would not publish gives an error wrapping ErrNotPublished
// and leaves the site as it was.
func (s *Site) AddPost(name string, raw []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := readPost(name, raw, s.zone)
	if err != nil {
		return err
	}
	s.posts[name] = p
	for _, c := range p.categories {
		if _, ok := s.categories[c]; !ok && len(p.tags) > 0 {
			s.categories[c] = p.tags[0]
		}
	}
	s.rebuildLocked()
	return nil
}

// RemovePost unpublishes a post, as moving it to old_post/ does on the
// real site: its page answers 404, and it leaves its category page and the
// feed.
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

// SetBaseURL changes the site's address in the pages the fake renders,
// typically to the httptest server's once it is known.
func (s *Site) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.base = strings.TrimSuffix(u, "/")
	s.rebuildLocked()
}

// PostURL returns the permalink of the post published under name.
func (s *Site) PostURL(name string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.posts[name]
	if !ok {
		return "", false
	}
	return p.url, true
}

// Paths lists the files the site serves, sorted, such as "/index.html"
// and "/category/wuzhouribao.html".
func (s *Site) Paths() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.files))
	for p := range s.files {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Page returns the body served at a request path, without going through
// HTTP, faults or the request log.
func (s *Site) Page(urlPath string) ([]byte, bool) {
	res, ok := s.lookup(urlPath)
	if !ok {
		return nil, false
	}
	return bytes.Clone(res.body), true
}

// newest returns the published posts, newest first.
func (s *Site) newest() []*post {
	out := make([]*post, 0, len(s.posts))
	for _, p := range s.posts {
		out = append(out, p)
	}
	slices.SortFunc(out, newer)
	return out
}

// output is a file the posts make: its key changes when what it shows
// changes.
type output struct {
	key    string
	empty  bool // a category page without posts
	render func() []byte
}

// outputs returns the post pages, the category pages and the feed.
// Callers hold s.mu.
func (s *Site) outputs() map[string]output {
	posts := s.newest()
	out := map[string]output{}
	for _, p := range posts {
		out[p.url] = output{key: p.version, render: func() []byte { return s.renderPost(p) }}
	}
	for c, title := range s.categories {
		var listed []*post
		key := "category " + title
		for _, p := range posts {
			if slices.Contains(p.categories, c) {
				listed = append(listed, p)
				key += "\n" + p.url + " " + p.title
			}
		}
		out["/category/"+c+".html"] = output{key: key, empty: len(listed) == 0, render: func() []byte { return s.renderCategory(c, title, listed) }}
	}
	posts = posts[:min(feedLimit, len(posts))]
	key := "feed"
	for _, p := range posts {
		key += "\n" + p.name + " " + p.version
	}
	out["/feed.xml"] = output{key: key, render: func() []byte {
		if key != s.feedKey {
			// jekyll-feed's <updated> is the time of the build: it moves
			// when the entries change.
			s.feedKey, s.feedTime = key, s.now()
		}
		return s.renderFeed(posts)
	}}
	return out
}

// rebuildLocked makes every file: a captured one while its inputs are the
// capture's, else from the layouts. A file whose body did not change keeps
// its validators. Callers hold s.mu.
func (s *Site) rebuildLocked() {
	now := s.now()
	next := map[string]*resource{}
	for p, body := range s.static {
		next[p] = s.keep(p, body, now)
	}
	for p, out := range s.outputs() {
		if out.empty && s.needPosts {
			continue
		}
		body := s.captured[p].body
		if c, ok := s.captured[p]; !ok || c.key != out.key {
			body = out.render()
		}
		next[p] = s.keep(p, body, now)
	}
	s.files = next
}

// keep returns the resource for a body: the old one when it is unchanged.
func (s *Site) keep(p string, body []byte, now time.Time) *resource {
	if old := s.files[p]; old != nil && bytes.Equal(old.body, body) {
		return old
	}
	sum := sha256.Sum256(body)
	return &resource{body: body, contentType: contentType(p), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, modified: now.UTC().Truncate(time.Second)}
}
