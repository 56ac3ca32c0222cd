package fakesite

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ErrNotPublished is wrapped by AddPost's error for a file Jekyll would not
// publish as a post.
var ErrNotPublished = errors.New("fakesite: Jekyll would not publish this post")

// post is one file of _posts/ as Jekyll publishes it.
type post struct {
	name       string // as added, e.g. _posts/2022-02-11-NW202202112273376235.md
	version    string // a hash of the file, which tells a changed post
	title      string
	date       time.Time // in the site's zone
	categories []string
	tags       []string
	body       string // the Markdown after the front matter
	url        string // the permalink, e.g. /wuzhouribao/2022/02/11/NW202202112273376235.html
}

var (
	// postName is a post's file name: the date, then the slug.
	postName = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})-(.+)\.md$`)
	// frontMatter opens the file: Jekyll sees none after a blank line.
	frontMatter = regexp.MustCompile(`(?s)\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\z)`)
	// jekyllTime is a front-matter date: a date, a time, a zone.
	jekyllTime = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?[ \t]*(Z|[-+]\d{2}:?\d{2})?$`)
)

// readPost reads a post file the way Jekyll does, with the site in zone.
func readPost(name string, raw []byte, zone *time.Location) (*post, error) {
	skip := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrNotPublished, name, fmt.Sprintf(format, args...))
	}
	m := postName.FindStringSubmatch(path.Base(name))
	if m == nil {
		return nil, skip("the file name is not YYYY-MM-DD-slug.md, so Jekyll's post reader never reads it")
	}
	fm := frontMatter.FindSubmatch(raw)
	if fm == nil {
		return nil, skip("no front matter at the start of the file (Jekyll builds it as a bare page)")
	}
	var data struct {
		Title      string
		Date       yaml.Node
		Categories yaml.Node
		Tags       yaml.Node
	}
	if err := yaml.Unmarshal(fm[1], &data); err != nil {
		return nil, skip("the front matter is not YAML: %v", err)
	}
	p := &post{
		name:       name,
		version:    fmt.Sprintf("%x", sha256.Sum256(raw)),
		title:      data.Title,
		categories: listField(data.Categories),
		tags:       listField(data.Tags),
		body:       string(raw[len(fm[0]):]),
	}
	date := &data.Date
	if date.Kind == 0 {
		date = &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Value: m[1] + "-" + m[2] + "-" + m[3]}
	}
	var err error
	if p.date, err = publishedAt(date, zone); err != nil {
		return nil, skip("%v (Jekyll would abort the whole build)", err)
	}
	p.url = "/"
	for _, c := range p.categories {
		p.url += strings.ToLower(c) + "/"
	}
	p.url += p.date.Format("2006/01/02/") + m[4] + ".html"
	return p, nil
}

// publishedAt reads a front-matter date. YAML reads an unquoted date and
// time with seconds as a timestamp, in UTC when it names no zone; anything
// else goes through Ruby's Time.parse, in the site's zone. Jekyll shows the
// result in the site's zone.
func publishedAt(n *yaml.Node, zone *time.Location) (time.Time, error) {
	m := jekyllTime.FindStringSubmatch(strings.TrimSpace(n.Value))
	if n.Kind != yaml.ScalarNode || m == nil {
		return time.Time{}, fmt.Errorf("the date %q does not parse", n.Value)
	}
	num := make([]int, 7)
	for i := 1; i <= 6; i++ {
		num[i], _ = strconv.Atoi(m[i])
	}
	in := zone
	switch quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0; {
	case m[7] == "Z" || (m[7] == "" && !quoted && m[6] != ""):
		in = time.UTC
	case m[7] != "":
		off, err := time.Parse("-0700", strings.ReplaceAll(m[7], ":", ""))
		if err != nil {
			return time.Time{}, fmt.Errorf("the date %q has a bad zone", n.Value)
		}
		in = off.Location()
	}
	t := time.Date(num[1], time.Month(num[2]), num[3], num[4], num[5], num[6], 0, in)
	if int(t.Month()) != num[2] || t.Day() != num[3] || t.Hour() != num[4] || t.Minute() != num[5] || t.Second() != num[6] {
		return time.Time{}, fmt.Errorf("the date %q is out of range", n.Value)
	}
	return t.In(zone), nil
}

// listField reads categories or tags: a list, or words in one string.
func listField(n yaml.Node) []string {
	if n.Kind == yaml.ScalarNode {
		return strings.Fields(n.Value)
	}
	var out []string
	for _, c := range n.Content {
		out = append(out, c.Value)
	}
	return out
}

// newer orders posts as Jekyll lists them: newest first, by date, then by
// name.
func newer(a, b *post) int {
	if c := b.date.Compare(a.date); c != 0 {
		return c
	}
	return strings.Compare(b.name, a.name)
}
