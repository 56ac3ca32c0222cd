package fakesite

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotPublished is matched (errors.Is) by every *SkipError.
var ErrNotPublished = errors.New("fakesite: Jekyll would not publish this post")

// SkipError says why Jekyll would not publish a file as a post.
type SkipError struct {
	Name   string // the name given to AddPost
	Reason string // a sentence for humans
	Err    error  // the underlying parse error, if any
}

func (e *SkipError) Error() string {
	return "fakesite: post " + e.Name + " not published: " + e.Reason
}

func (e *SkipError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotPublished) true for any skip.
func (e *SkipError) Is(target error) bool { return target == ErrNotPublished }

// postNameRE is Jekyll's DATE_FILENAME_MATCHER applied to the base name.
var postNameRE = regexp.MustCompile(`^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$`)

// markdownExts are Jekyll's default markdown_ext.
var markdownExts = wordSet(".markdown .mkdown .mkdn .mkd .md")

// post is one parsed file from _posts.
type post struct {
	name       string
	data       map[string]any // front matter
	body       string         // raw content after the front matter
	date       time.Time      // in the site timezone
	title      string
	slug       string
	ext        string
	outExt     string
	markdown   bool
	categories []string
	tags       []string
	url        string // as Jekyll prints it (percent-encoded)
	file       string // the decoded path the page is served at
	id         string

	content string // rendered body, set during a build
	excerpt string
}

// parsePost does what Jekyll's post reader does with one file, or says why
// the file would not become a post.
func parsePost(name string, raw []byte, set *siteSettings, naiveInSiteZone bool) (*post, error) {
	skip := func(reason string, err error) error { return &SkipError{Name: name, Reason: reason, Err: err} }
	base := path.Base(name)
	if strings.ContainsAny(base[:1], "._#~") || strings.HasSuffix(base, "~") {
		return nil, skip("Jekyll ignores files whose name starts with . _ # ~ or ends with ~", nil)
	}
	m := postNameRE.FindStringSubmatch(base)
	if m == nil {
		return nil, skip("the file name does not match YYYY-MM-DD-title.ext, so Jekyll's post reader never reads it", nil)
	}
	if !utf8.Valid(raw) {
		return nil, skip("the file is not valid UTF-8, which Jekyll drops", nil)
	}
	fm, body, _, err := splitFrontMatter(string(raw))
	if err != nil {
		return nil, skip(err.Error()+" (Jekyll logs an error and publishes a broken page)", err)
	}
	if v, ok := fm.data["published"]; ok && v == false {
		return nil, skip("the front matter says published: false", nil)
	}
	p := &post{
		name:     name,
		data:     fm.data,
		body:     body,
		slug:     m[2],
		ext:      m[3],
		markdown: markdownExts[strings.ToLower(m[3])],
	}
	p.outExt = p.ext
	if p.markdown {
		p.outExt = ".html"
	}
	if fm.date != nil {
		p.date, err = frontMatterDate(fm.date, set.loc, naiveInSiteZone)
		if err != nil {
			return nil, skip(fmt.Sprintf("front matter date %q does not parse (Jekyll would abort the whole build)", fm.date.Value), err)
		}
	} else {
		p.date, err = parseLooseTime(m[1], set.loc)
		if err != nil {
			return nil, skip(fmt.Sprintf("the date %q in the file name does not parse (Jekyll would abort the whole build)", m[1]), err)
		}
	}
	p.slug = strings.TrimRight(p.slug, ".")
	if s, ok := fm.data["slug"].(string); ok && s != "" {
		p.slug = s
	}
	p.title = titleizeSlug(p.slug)
	if v, ok := fm.data["title"]; ok && v != nil {
		p.title = toText(v)
	}
	p.categories = uniq(append(pluralized(fm.data, "", "categories"), pluralized(fm.data, "category", "")...))
	p.tags = pluralized(fm.data, "tag", "tags")
	p.url = postPermalink(p, set)
	p.file = outputFile(p.url)
	p.id = path.Join(path.Dir(p.url), p.slug)
	return p, nil
}

// pluralized reads a list the way Jekyll's pluralized_array_from_hash
// does: the singular key wins, a string plural is split on whitespace.
func pluralized(data map[string]any, singular, plural string) []string {
	if singular != "" {
		if v, ok := data[singular]; ok && v != nil {
			return []string{toText(v)}
		}
	}
	if plural == "" {
		return nil
	}
	switch v := data[plural].(type) {
	case string:
		return strings.Fields(v)
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if e != nil {
				out = append(out, toText(e))
			}
		}
		return out
	case nil:
		return nil
	default:
		return []string{toText(v)}
	}
}

func uniq(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// titleizeSlug is Jekyll's default title: words of the slug, capitalised
// the Ruby way (first letter up, the rest down).
func titleizeSlug(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w == "" {
			continue
		}
		r, n := utf8.DecodeRuneInString(w)
		words[i] = strings.ToUpper(string(r)) + strings.ToLower(w[n:])
	}
	return strings.Join(words, " ")
}

// lessPost orders like Jekyll's Document#<=>: by date, then by path.
func lessPost(a, b *post) bool {
	if !a.date.Equal(b.date) {
		return a.date.Before(b.date)
	}
	return a.name < b.name
}
