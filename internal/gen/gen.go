// Package gen generates synthetic 梧州日报 posts in the Jekyll format of
// finews.withounder.com, for benchmarks that need 100k articles. Output is
// a pure function of (seed, index): any post can be regenerated alone, and
// disjoint ranges can be generated in parallel.
package gen

import (
	"fmt"
	"io/fs"
	"time"
)

// Post is one generated article.
type Post struct {
	Index     int
	Name      string // _posts/2023-04-05-NW202304051800000123.md
	ID        string // NW202304051800000123
	Title     string
	Published time.Time // Asia/Shanghai (+08:00)
	// Topics are the topic tags the article drew, main topic first.
	Topics []string
	// Body is the body as plain text, one paragraph per line, as a parser
	// that strips tags, the "> " marker, the source line and the footer
	// would see it. Search tests match queries against Title and Body.
	Body string
	// ReprintOf is the index of the earlier post this one copies, or -1.
	ReprintOf int
	// Backdated reports that Published is days to weeks before the
	// neighbouring posts.
	Backdated bool
	// Raw is the complete post file.
	Raw []byte
}

// Generator builds posts. It is immutable after New and safe for
// concurrent use.
type Generator struct {
	opts        Options
	v           vocab
	topics      []topic
	topicWeight []float64 // cumulative, for the main topic
	generic     templateSet
	titles      templateSet
	confounders templateSet
	real        corpusSentences
}

// New returns a generator with DefaultOptions(seed). The corpus holds
// Jekyll posts (for example os.DirFS of the finews sample) whose sentences
// are mixed into the generated text.
func New(corpus fs.FS, seed int64) (*Generator, error) {
	return NewWithOptions(corpus, DefaultOptions(seed))
}

// NewWithOptions returns a generator with explicit options.
func NewWithOptions(corpus fs.FS, opts Options) (*Generator, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	real, err := loadSentences(corpus)
	if err != nil {
		return nil, err
	}
	g := &Generator{opts: opts, v: newVocab(), real: real}
	if g.topics, err = parseTopics(topicSources()); err != nil {
		return nil, err
	}
	if g.generic, err = parseTemplates(genericSentences()); err != nil {
		return nil, err
	}
	if g.titles, err = parseTemplates(genericTitles()); err != nil {
		return nil, err
	}
	if g.confounders, err = parseTemplates(confounderSentences()); err != nil {
		return nil, err
	}
	g.topicWeight = cumulative(mainTopicWeights(g.topics))
	return g, nil
}

// Options returns the options the generator was built with.
func (g *Generator) Options() Options { return g.opts }

// mainTopicWeights makes some topics lead more often than others, as in a
// local paper where 民生 and 工业 outnumber 文化 and 天气.
func mainTopicWeights(ts []topic) []float64 {
	w := make([]float64, len(ts))
	for i, t := range ts {
		switch t.name {
		case "民生", "工业":
			w[i] = 1.4
		case "文化", "天气":
			w[i] = 0.6
		case "法治", "旅游":
			w[i] = 0.8
		default:
			w[i] = 1
		}
	}
	return w
}

func cumulative(w []float64) []float64 {
	out := make([]float64, len(w))
	sum := 0.0
	for i, x := range w {
		sum += x
		out[i] = sum
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// Post returns post i (i >= 0).
func (g *Generator) Post(i int) Post {
	if i < 0 {
		panic(fmt.Sprintf("gen: negative post index %d", i))
	}
	published, backdated := g.publishedAt(i)
	src, edit := g.reprintSource(i)
	var a article
	if src >= 0 {
		a = g.compose(src)
		a = g.reprint(a, i, edit)
	} else {
		a = g.compose(i)
	}
	return g.render(i, published, backdated, src, &a)
}

// reprintSource decides whether post i copies an earlier post, and which.
// Sources lie within the previous 3,000 posts (about three months), the
// window in which a paper reprints or a feed re-sends a story.
func (g *Generator) reprintSource(i int) (int, bool) {
	r := newRNG(g.opts.Seed, i, streamReprint)
	if i == 0 || !r.chance(g.opts.ReprintFraction) {
		return -1, false
	}
	back := min(i, 3000)
	return i - 1 - r.intn(back), r.chance(0.5)
}
