package fakesite

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The layouts render every published post of the sample to its captured
// page: the same <title>, and the same <section> (date, title, body, tags)
// compared as parsed HTML. The head beyond the title is the SEO plugin's,
// which the bot does not read and the layouts keep short.
func TestLayoutsRenderTheCapturedPostPages(t *testing.T) {
	s := newTestSite(t, Options{})
	if len(s.posts) != 63 {
		t.Fatalf("%d posts published, want the 63 of _posts/ that Jekyll builds with its layout", len(s.posts))
	}
	for _, p := range s.posts {
		samePage(t, p.url, s.renderPost(p), s.captured[p.url].body)
	}
}

func TestLayoutsRenderTheCapturedCategoryPages(t *testing.T) {
	s := newTestSite(t, Options{})
	if want := []string{"anhuiribao", "emnews", "wuzhouribao"}; !slices.Equal(sortedKeys(s.categories), want) {
		t.Fatalf("category pages %v, want %v", sortedKeys(s.categories), want)
	}
	for c, title := range s.categories {
		var listed []*post
		for _, p := range s.newest() {
			if slices.Contains(p.categories, c) {
				listed = append(listed, p)
			}
		}
		p := "/category/" + c + ".html"
		samePage(t, p, s.renderCategory(c, title, listed), s.captured[p].body)
	}
}

// The feed template renders the ten newest posts to the captured feed.xml,
// entry by entry, the content compared as parsed HTML.
func TestLayoutsRenderTheCapturedFeed(t *testing.T) {
	s := newTestSite(t, Options{})
	got, want := parseAtom(t, s.renderFeed(s.newest()[:feedLimit])), parseAtom(t, s.captured["/feed.xml"].body)
	if got.ID != want.ID || got.Title != want.Title || got.Lang != want.Lang || len(got.Entries) != len(want.Entries) {
		t.Fatalf("feed %q %q %q with %d entries, want %q %q %q with %d", got.ID, got.Title, got.Lang, len(got.Entries), want.ID, want.Title, want.Lang, len(want.Entries))
	}
	for i, g := range got.Entries {
		w := want.Entries[i]
		gc, wc := g.Content, w.Content
		g.Content, w.Content = atomText{}, atomText{}
		if g.Summary.Text = strings.Join(strings.Fields(g.Summary.Text), " "); g.Summary.Text != strings.Join(strings.Fields(w.Summary.Text), " ") {
			t.Errorf("entry %d summary:\n%s\nwant\n%s", i, g.Summary.Text, w.Summary.Text)
		}
		g.Summary, w.Summary = atomText{}, atomText{}
		if !equalEntries(g, w) {
			t.Errorf("entry %d:\n%+v\nwant\n%+v", i, g, w)
		}
		if gc.Base != wc.Base || normalized(fragment(t, gc.Text)) != normalized(fragment(t, wc.Text)) {
			t.Errorf("entry %d (%s): content differs", i, w.Link.Href)
		}
	}
}

func equalEntries(a, b atomEntry) bool {
	return a.Title == b.Title && a.Link == b.Link && a.Published == b.Published && a.Updated == b.Updated &&
		a.ID == b.ID && a.Author == b.Author && slices.Equal(a.Categories, b.Categories)
}

// samePage compares the title and the section of two pages.
func samePage(t *testing.T, name string, got, want []byte) {
	t.Helper()
	g, w := parseHTML(t, got), parseHTML(t, want)
	for _, a := range []atom.Atom{atom.Title, atom.Section} {
		gn, wn := normalized(find(g, a)), normalized(find(w, a))
		if wn == "" || gn != wn {
			t.Errorf("%s: <%s> differs from the capture:\n%s\nwant\n%s", name, a, gn, wn)
		}
	}
}

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func fragment(t *testing.T, s string) *html.Node {
	t.Helper()
	return parseHTML(t, []byte("<section>"+s+"</section>"))
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

// normalized writes a parsed tree with its white space collapsed, blank
// text left out and attributes sorted: what a browser or parser reads.
func normalized(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if text := strings.Join(strings.Fields(n.Data), " "); text != "" {
				b.WriteString(text + "\n")
			}
		case html.CommentNode:
			b.WriteString("<!--" + strings.TrimSpace(n.Data) + "-->\n")
		case html.ElementNode:
			attrs := make([]string, 0, len(n.Attr))
			for _, a := range n.Attr {
				attrs = append(attrs, a.Key+"="+a.Val)
			}
			slices.Sort(attrs)
			b.WriteString("<" + strings.Join(append([]string{n.Data}, attrs...), " ") + ">\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

type atomText struct {
	Type string `xml:"type,attr"`
	Base string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	Title atomText `xml:"title"`
	Link  struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Published  string   `xml:"published"`
	Updated    string   `xml:"updated"`
	ID         string   `xml:"id"`
	Content    atomText `xml:"content"`
	Author     string   `xml:"author>name"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
	Summary atomText `xml:"summary"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Updated string      `xml:"updated"`
	ID      string      `xml:"id"`
	Title   atomText    `xml:"title"`
	Entries []atomEntry `xml:"entry"`
}

func parseAtom(t *testing.T, body []byte) atomFeed {
	t.Helper()
	var f atomFeed
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
