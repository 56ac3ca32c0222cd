package source

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"

	"golang.org/x/net/html/charset"
)

// ErrMalformedFeed means the feed is not well-formed XML, nests deeper
// than any feed does, or is not a feed.
var ErrMalformedFeed = errors.New("malformed feed")

// maxFeedDepth bounds how deeply a feed's elements nest. jekyll-feed
// writes four levels (feed, entry, author, name); escaped HTML content
// adds none, and XHTML content a few dozen at the very most.
const maxFeedDepth = 64

// maxFeedNodes bounds a feed's elements and attributes together. gofeed
// allocates about a kilobyte and a half for each, so 8 MiB of tiny
// elements cost it 1.4 GB; jekyll-feed's ten entries hold under 200.
const maxFeedNodes = 10000

// checkFeed reads the whole feed with a streaming tokenizer, which holds
// one element name per open level, before the feed parser builds anything:
// gofeed builds a value for every element and attribute, and 8 MiB of
// nested elements took it 1.76 GB and then gave an empty feed and no
// error. Bounding the depth and the count of elements and attributes
// bounds what gofeed allocates, whatever the feed's shape.
func checkFeed(body []byte) error {
	if err := checkTags(body); err != nil {
		return err
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charset.NewReaderLabel
	depth, nodes, root := 0, 0, ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrMalformedFeed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 && root != "" {
				return fmt.Errorf("%w: a second root element <%s> at byte %d", ErrMalformedFeed, t.Name.Local, d.InputOffset())
			}
			if depth == 0 {
				root = t.Name.Local
			}
			if depth++; depth > maxFeedDepth {
				return fmt.Errorf("%w: elements nested more than %d deep at byte %d", ErrMalformedFeed, maxFeedDepth, d.InputOffset())
			}
			if nodes += 1 + len(t.Attr); nodes > maxFeedNodes {
				return fmt.Errorf("%w: more than %d elements and attributes, by byte %d", ErrMalformedFeed, maxFeedNodes, d.InputOffset())
			}
		case xml.EndElement:
			depth--
		}
	}
	switch {
	case root == "":
		return fmt.Errorf("%w: no XML element", ErrMalformedFeed)
	case depth != 0:
		return fmt.Errorf("%w: it ends inside an element", ErrMalformedFeed)
	case root != "feed" && root != "rss" && root != "RDF":
		return fmt.Errorf("%w: the root element is <%s>, not an Atom or RSS feed", ErrMalformedFeed, root)
	}
	return nil
}

// maxTagBytes bounds one tag, from its < to its >. The tokenizer reads a
// start tag's attributes all at once, a few hundred bytes of memory for
// each: 8 MiB of attributes on one element took it 320 MB. The longest
// tag of a real feed is a link with its URL.
const maxTagBytes = 64 << 10

// checkTags finds every tag and bounds its length. Inside a tag a quoted
// value may hold '>'; comments, CDATA sections and processing
// instructions are skipped whole. Text cannot hold '<', so every other
// '<' starts a tag. Anything it cannot close is left to the tokenizer to
// report.
func checkTags(b []byte) error {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return nil
		}
		i += j
		rest := b[i:]
		skip := func(end string) int {
			k := bytes.Index(rest, []byte(end))
			if k < 0 {
				return len(rest)
			}
			return k + len(end)
		}
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i += skip("-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i += skip("]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			i += skip("?>")
		default:
			n := tagLength(rest)
			if n > maxTagBytes {
				return fmt.Errorf("%w: a tag longer than %d bytes at byte %d", ErrMalformedFeed, maxTagBytes, i)
			}
			i += max(n, 1)
		}
		if i >= len(b) {
			return nil
		}
	}
}

// tagLength is the length of the tag that tag starts with, up to and with
// its '>', or all of it when it does not end.
func tagLength(tag []byte) int {
	var quote byte
	for k := 1; k < len(tag); k++ {
		switch c := tag[k]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k + 1
		}
	}
	return len(tag)
}

// withoutControlChars drops the C0 control characters XML 1.0 forbids,
// as gofeed does before parsing: jekyll-feed escapes markup but copies a
// stray control character from a post. It works on bytes, which leaves
// any ASCII-compatible encoding intact.
func withoutControlChars(b []byte) []byte {
	if !slices.ContainsFunc(b, isForbiddenControl) {
		return b
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if !isForbiddenControl(c) {
			out = append(out, c)
		}
	}
	return out
}

func isForbiddenControl(c byte) bool {
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r'
}
