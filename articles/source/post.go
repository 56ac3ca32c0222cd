package source

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"wzdaily/articles"
)

// maxPostBytes bounds a single post; the largest real one is about 14 KB.
const maxPostBytes = 1 << 20

// PostOptions say where the site is, to build each article's URL.
type PostOptions struct {
	SiteURL string // e.g. https://finews.withounder.com
}

type frontMatter struct {
	Title      string
	Date       string
	DateQuoted bool // written as a YAML string, so not a YAML timestamp
	Categories []string
	Tags       []string
}

var datedName = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})-(.+)$`)

// ParsePost turns a Jekyll post file into an article. name is the file's
// path (e.g. _posts/2022-02-11-NW202202112273376235.md); the id and, when
// the front matter has none, the date come from it.
func ParsePost(name string, raw []byte, opts PostOptions) (*articles.Article, error) {
	reject := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w: %s", name, articles.ErrRejected, fmt.Sprintf(format, args...))
	}
	if len(raw) > maxPostBytes {
		return nil, reject("file is %d bytes, over the %d limit", len(raw), maxPostBytes)
	}
	if !utf8.Valid(raw) {
		raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	base := strings.TrimSuffix(path.Base(filepathSlash(name)), path.Ext(name))
	fmText, body, ok := splitFrontMatter(string(raw))
	if !ok {
		return nil, reject("no front matter (a post starts with a line ---, its fields, and another ---)")
	}
	fm := parseFrontMatter(fmText)

	a := &articles.Article{
		Title:      articles.FinishTitle(cleanLine(fm.Title)),
		Categories: fm.Categories,
		Tags:       fm.Tags,
	}
	var fileDate time.Time
	if m := datedName.FindStringSubmatch(base); m != nil {
		a.ID = m[4]
		fileDate, _ = time.ParseInLocation("2006-01-02", m[1]+"-"+m[2]+"-"+m[3], articles.Zone())
	} else {
		a.ID = strings.TrimLeft(base, "-_ ")
	}
	if a.ID == "" || !validID(a.ID) {
		return nil, reject("no usable post id in the file name %q", base)
	}
	if a.Title == "" {
		return nil, reject("empty title")
	}
	if t, ok := parseDate(fm.Date, fm.dateZone()); ok {
		a.Published = t
	} else if !fileDate.IsZero() {
		a.Published = fileDate
	} else {
		return nil, reject("no usable date (front matter date %q, and the file name has none)", fm.Date)
	}

	if !parseBody(body).fill(a) {
		return nil, reject("empty body")
	}
	a.URL = postURL(opts.SiteURL, a.Categories, a.Published, a.ID)
	return a, nil
}

func filepathSlash(name string) string { return strings.ReplaceAll(name, `\`, "/") }

// validID keeps ids to what Jekyll slugs and our URLs can carry.
func validID(id string) bool {
	if len(id) > 128 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			return false
		}
	}
	return true
}

// splitFrontMatter separates the YAML block between the first two "---"
// lines from the body. Leading blank lines are allowed: one real post
// starts with an empty line.
func splitFrontMatter(s string) (fm, body string, ok bool) {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimLeft(s, " \t\n")
	if !strings.HasPrefix(s, "---\n") {
		return "", "", false
	}
	rest := s[4:]
	if strings.HasPrefix(rest, "---\n") || rest == "---" {
		return "", rest[3:], true
	}
	end := strings.Index(rest, "\n---")
	if end < 0 {
		return "", "", false
	}
	fm = rest[:end]
	body = rest[end+4:]
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		body = body[i+1:]
	} else {
		body = ""
	}
	return fm, body, true
}

// parseFrontMatter reads the fields we use. YAML first; a site script that
// wrote an unquoted colon or a stray quote breaks YAML, so fall back to
// reading "key: value" lines.
func parseFrontMatter(text string) frontMatter {
	var raw map[string]yaml.Node
	if err := yaml.Unmarshal([]byte(text), &raw); err == nil {
		date := raw["date"]
		return frontMatter{
			Title:      scalar(raw["title"]),
			Date:       scalar(date),
			DateQuoted: date.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0,
			Categories: words(raw["categories"]),
			Tags:       words(raw["tags"]),
		}
	}
	var fm frontMatter
	for _, line := range strings.Split(text, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		quoted := len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0]
		if quoted {
			val = val[1 : len(val)-1]
		}
		switch strings.TrimSpace(key) {
		case "title":
			fm.Title = val
		case "date":
			fm.Date, fm.DateQuoted = val, quoted
		case "categories":
			fm.Categories = strings.Fields(strings.Trim(val, "[]"))
		case "tags":
			fm.Tags = strings.Fields(strings.Trim(val, "[]"))
		}
	}
	return fm
}

// scalar returns a node's text as written, which keeps a date such as
// 2022-02-11 09:04:31 +0800 out of YAML's own timestamp rules.
func scalar(n yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// words reads a Jekyll list field: a YAML list, or one string of
// space-separated words, as Jekyll allows for categories and tags.
func words(n yaml.Node) []string {
	var out []string
	switch n.Kind {
	case yaml.ScalarNode:
		out = strings.Fields(n.Value)
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode {
				out = append(out, strings.Fields(c.Value)...)
			}
		}
	}
	for i, w := range out {
		out[i] = cleanLine(w)
	}
	return out
}

var dateLayouts = []string{
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02T15:04:05-07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// yamlTimestamp is a date and time that YAML itself reads as a timestamp
// when it is not quoted: seconds are required, a zone is optional.
var yamlTimestamp = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d{2}:\d{2}`)

// dateZone is the zone of a front-matter date that names none, as Jekyll
// reads it: YAML takes an unquoted "2021-12-08 10:46:18" for UTC, and the
// page shows it as 2021-12-08 18:46:18 in the site's zone (the real build in
// internal/fakesite/jekyll-build). A page shows only the time, so reading the
// file the same way gives a post one time from a clone and over HTTP. (The
// site's scripts meant Beijing time; they now write +0800.) A quoted date,
// or one without seconds, goes through Ruby's Time.parse, in the site's zone.
func (fm frontMatter) dateZone() *time.Location {
	if !fm.DateQuoted && yamlTimestamp.MatchString(strings.TrimSpace(fm.Date)) {
		return time.UTC
	}
	return articles.Zone()
}

// parseDate reads a Jekyll date, in zone when it names none, and returns
// it in the site's zone.
func parseDate(s string, zone *time.Location) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t.In(articles.Zone()), true
		}
	}
	return time.Time{}, false
}

// postURL is Jekyll's default permalink, /:categories/:year/:month/:day/:title.html.
func postURL(site string, categories []string, published time.Time, id string) string {
	if site == "" {
		return ""
	}
	p := "/"
	for _, c := range categories {
		p += url.PathEscape(c) + "/"
	}
	p += published.In(articles.Zone()).Format("2006/01/02/") + id + ".html"
	return strings.TrimRight(site, "/") + p
}

// cleanLine drops control characters and collapses space.
func cleanLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r < 0x20 || r == 0x7f || r == 0x3000
	}), " ")
}
