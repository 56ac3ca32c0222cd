// Package articles brings the newspaper's posts in from the finews site,
// keeps them in SQLite and searches them in Chinese. The site's formats are
// read in articles/source; this package knows articles.
package articles

import "time"

// Article is one news post, cleaned for reading in a chat.
type Article struct {
	// Seq is the ingest sequence: assigned when the article is first
	// stored and never reused, so "stored since" is a simple comparison.
	Seq       int64
	ID        string // the post's own id, e.g. NW202202112273376235
	Title     string
	Published time.Time // when it was published, for ranking and retention; see Claimed
	// Claimed is the date the post itself gave, when that was more than a
	// day after it was fetched (a typo in the year, a wrong zone): then
	// Published is the fetch time instead, and Claimed is for display.
	// Zero otherwise.
	Claimed    time.Time
	Categories []string
	Tags       []string // the site's tags, e.g. 梧州日报新闻
	Topics     []string // topic tags from the rule table, e.g. 工业
	Body       string   // paragraphs separated by blank lines
	Lead       string
	SourceURL  string // the original publisher's page, when known
	URL        string // the article's page on the site

	doc int64 // its id in the search index, see freeDoc
}

// AllTags returns the site's tags followed by the topic tags.
func (a *Article) AllTags() []string {
	out := make([]string, 0, len(a.Tags)+len(a.Topics))
	out = append(out, a.Tags...)
	return append(out, a.Topics...)
}

// Paragraphs splits the body into its paragraphs.
func (a *Article) Paragraphs() []string {
	return splitParagraphs(a.Body)
}

// ShownDate is the date to show a reader: the one the post gives itself,
// even when it was too far ahead to rank by (see Claimed).
func (a *Article) ShownDate() time.Time {
	return claimedDate(a)
}

// shanghai is the newspaper's time zone, in which the site and the bot show
// dates.
var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The zone database is embedded (time/tzdata) by main, so this
		// cannot happen in a built binary.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Zone returns the newspaper's time zone, Asia/Shanghai.
func Zone() *time.Location { return shanghai }
