package gen

import (
	"time"
	"unicode/utf8"
)

// article is the content of a post before it is given an ID and a date.
// Reprints copy it, so everything that makes "the same body" lives here.
type article struct {
	title    string
	text     []byte // paragraphs, each ended by '\n'
	paraEnds []int  // offset just past each paragraph's '\n'
	lead     int    // length of the first sentence, used for the digest line
	topics   []string
	main     int    // index of the main topic in Generator.topics
	plain    bool   // plain-text paragraphs instead of <p>…</p>
	indent   bool   // paragraphs start with two ideographic spaces
	digest   bool   // body leads with a "> " summary line
	byline   string // reporter name, or ""
}

// Per-article choices are drawn from these ranges so that word
// frequencies differ between articles.
const (
	confounderRate = 0.004 // share of sentences that are confounders
	plainRate      = 0.2
	digestRate     = 0.05
	indentRate     = 0.2
	bylineRate     = 0.6
)

// state carries what one article has drawn while its sentences are built.
type state struct {
	g       *Generator
	r       rng
	when    time.Time
	year    int
	month   int
	topics  [3]int
	cum     [3]float64 // cumulative topic weights
	nTopics int
	focus   [3]string // each topic's favourite word in this article
	focusP  float64
	pReal   float64
	pLocal  float64
	pGen    float64
	cur     int          // topic of the sentence being built
	recent  [4]*template // last sentences, not to be repeated soon
	nRecent int
}

func (st *state) isRecent(t *template) bool {
	for _, r := range st.recent {
		if r == t {
			return true
		}
	}
	return false
}

func (g *Generator) compose(i int) article {
	when, _ := g.publishedAt(i)
	st := state{g: g, r: newRNG(g.opts.Seed, i, streamContent), when: when}
	st.year, st.month = when.Year(), int(when.Month())
	st.drawMix(-1)

	a := article{text: make([]byte, 0, 3072)}
	a.plain = st.r.chance(plainRate)
	a.digest = st.r.chance(digestRate)
	a.indent = !a.plain && st.r.chance(indentRate)
	if st.r.chance(bylineRate) {
		a.byline = g.v.reporters[st.r.zipf(len(g.v.reporters))]
	}
	a.main = st.topics[0]
	a.topics = make([]string, st.nTopics)
	for k := 0; k < st.nTopics; k++ {
		a.topics[k] = g.topics[st.topics[k]].name
	}
	a.title = st.title()

	paras := st.r.between(3, 12)
	perPara := 1.5 + 3*st.r.float() // mean sentences per paragraph
	a.paraEnds = make([]int, 0, paras)
	for p := 0; p < paras; p++ {
		n := 1 + st.r.intn(int(2*perPara))
		for s := 0; s < n; s++ {
			a.text = st.sentence(a.text)
			if p == 0 && s == 0 {
				a.lead = len(a.text)
			}
		}
		a.text = append(a.text, '\n')
		a.paraEnds = append(a.paraEnds, len(a.text))
	}
	return a
}

// drawMix picks the article's topics, their weights and the shares of
// real, generic and topic sentences. A main topic >= 0 is kept as given.
func (st *state) drawMix(main int) {
	g, r := st.g, &st.r
	u := r.float()
	if main < 0 {
		main = 0
		for main < len(g.topicWeight)-1 && u > g.topicWeight[main] {
			main++
		}
	}
	st.topics[0] = main
	st.nTopics = 1 + r.intn(3)
	weights := [3]float64{1}
	for k := 1; k < st.nTopics; k++ {
		t := r.intn(len(g.topics) - 1)
		if t >= main {
			t++ // never the main topic again
		}
		st.topics[k] = t
		weights[k] = 0.1 + 0.4*r.float()
	}
	sum := 0.0
	for k := 0; k < st.nTopics; k++ {
		sum += weights[k]
		st.cum[k] = sum
	}
	for k := 0; k < st.nTopics; k++ {
		st.cum[k] /= sum
		words := g.topics[st.topics[k]].words
		st.focus[k] = words[r.zipf(len(words))]
	}
	st.focusP = 0.15 + 0.5*r.float()
	st.pReal = 0.1 + 0.3*r.float()
	st.pLocal = 0.2 + 0.4*r.float()
	st.pGen = 0.2 + 0.3*r.float()
}

func (st *state) pickTopic() {
	u := st.r.float()
	k := 0
	for k < st.nTopics-1 && u > st.cum[k] {
		k++
	}
	st.cur = k
}

// sentence appends one sentence drawn from the article's mix.
func (st *state) sentence(buf []byte) []byte {
	g, r := st.g, &st.r
	st.pickTopic()
	u := r.float()
	var t *template
	switch {
	case u < confounderRate:
		t = g.confounders.pick(r)
	case u < confounderRate+st.pReal:
		pool := g.real.other
		if len(g.real.local) > 0 && (len(pool) == 0 || r.chance(st.pLocal)) {
			pool = g.real.local
		}
		for try := 0; try < 4; try++ {
			if t = &pool[r.intn(len(pool))]; !st.isRecent(t) {
				break
			}
		}
	case u < confounderRate+st.pReal+st.pGen:
		t = st.pick(&g.generic, &g.generic)
	default:
		t = st.pick(&g.topics[st.topics[st.cur]].sentences, &g.generic)
	}
	st.recent[st.nRecent%len(st.recent)] = t
	st.nRecent++
	return st.fill(buf, t)
}

// pick draws a template that fits the article's date and is not among the
// last few sentences, since a reporter does not repeat a sentence frame
// within a few lines. If a few draws fail (a summer-only set in winter),
// it draws from fallback, whose first template must fit any date.
func (st *state) pick(ts, fallback *templateSet) *template {
	for try := 0; try < 6; try++ {
		t := ts.pick(&st.r)
		if !st.isRecent(t) && t.fits(st.year, st.month) {
			return t
		}
	}
	if ts != fallback {
		return st.pick(fallback, fallback)
	}
	return &ts.list[0]
}

// Titles of real local headlines run from about 10 to 30 characters.
const (
	minTitleRunes = 10
	maxTitleRunes = 30
)

func (st *state) title() string {
	g := st.g
	st.cur = 0
	var buf [128]byte
	for try := 0; try < 8; try++ {
		ts := &g.titles
		if st.r.chance(0.7) {
			ts = &g.topics[st.topics[0]].titles
		}
		b := st.fill(buf[:0], st.pick(ts, &g.titles))
		if n := utf8.RuneCount(b); n >= minTitleRunes && n <= maxTitleRunes {
			return string(b)
		}
	}
	// Always 12–16 characters: 梧州市 + a 2–6 character word + 7.
	b := append(buf[:0], "梧州市"...)
	b = st.slot(b, segment{slot: slotWord})
	return string(append(b, "工作取得新进展"...))
}

// reprint turns a copy of an earlier article into post i's version:
// either the same title and body, or the same body lightly edited under a
// new headline.
func (g *Generator) reprint(a article, i int, edit bool) article {
	if !edit {
		return a
	}
	st := state{g: g, r: newRNG(g.opts.Seed, i, streamReprint^0x5eed)}
	st.when, _ = g.publishedAt(i)
	st.year, st.month = st.when.Year(), int(st.when.Month())
	st.drawMix(a.main) // a new headline on the same story
	a.title = st.title()
	text := make([]byte, 0, len(a.text)+16)
	if len(a.paraEnds) >= 4 {
		// Drop the last paragraph, as an editor trimming for space would.
		text = append(text, a.text[:a.paraEnds[len(a.paraEnds)-2]]...)
		a.paraEnds = a.paraEnds[: len(a.paraEnds)-1 : len(a.paraEnds)-1]
	} else {
		const tag = "本报讯 "
		text = append(append(text, tag...), a.text...)
		ends := make([]int, len(a.paraEnds))
		for k, e := range a.paraEnds {
			ends[k] = e + len(tag)
		}
		a.paraEnds = ends
		a.lead += len(tag)
	}
	a.text = text
	return a
}
