package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// ErrEmptyQuery means the input held nothing that can be searched for,
// such as only punctuation or emoji.
var ErrEmptyQuery = errors.New("nothing to search for")

// SearchQuery is a keyword search with optional filters and paging.
type SearchQuery struct {
	Text   string
	Tags   []string  // every one of these tags
	From   time.Time // published at or after, when set
	To     time.Time // published before, when set
	Offset int
	Limit  int // default 10, at most 50
	// Relax: when the terms as typed find fewer than FewHits articles,
	// search also for the words they are made of (see Split), the
	// articles that hold the terms first. Results.Words says so.
	Relax bool
	// Count asks for Results.Total, which may cost a count of the
	// matches beyond the page.
	Count bool
}

// Hit is one matching article with its highlighted title and snippet.
type Hit struct {
	Article *Article
	Title   Snippet
	Snippet Snippet
	Score   float64
}

// Results is one page of hits, best first.
type Results struct {
	Terms []string // the folded terms searched for
	// Words is set when the terms found too little and the search was
	// relaxed: the words the hits hold. The first Exact hits of the whole
	// list (not of this page) hold the terms as typed.
	Words []string
	Exact int
	Hits  []Hit
	More  bool // another page follows
	// Total counts every match, when the query asked for it: exactly up to
	// CountCap; beyond, it is CountCap and TotalOver is set.
	Total     int
	TotalOver bool
}

// FewHits is when a relaxed search splits the terms: the terms as typed
// found fewer articles than this.
const FewHits = 3

// CountCap bounds the count of a search's matches: counting all 93,000
// articles that hold 梧州 would cost more than the search.
const CountCap = 1000

// Ranking constants. The score is bm25 over title and body, the title's
// term frequency weighted three times the body's, divided by (1 + age /
// recencyTau): a year-old article needs twice the relevance of today's.
const (
	titleWeight = 3.0
	bodyWeight  = 1.0
	recencyTau  = 365 * 24 * 3600.0
	k1          = 1.2 // bm25's term-frequency saturation, as in rank.c
	// firstWindow is how many of the newest articles the search ranks
	// first, and the sample its document frequencies come from.
	firstWindow = 2000
	// windowGrowth multiplies the time span of each further window.
	windowGrowth = 6
)

// Search ranks matching articles, best first. It ranks the newest articles
// first, in time windows that grow toward the past, and stops as soon as
// no older article could outrank the results it has: the recency decay
// caps what an old article can score. Any input is safe: each term becomes
// a quoted phrase of letters and digits before it reaches FTS5. The first
// pass finds exactly the articles that hold every term; only a relaxed
// query (SearchQuery.Relax) that it finds too little for searches again.
func (s *Store) Search(ctx context.Context, q SearchQuery) (*Results, error) {
	terms := splitTerms(q.Text)
	phrases := termPhrases(terms)
	if len(phrases) == 0 {
		return nil, ErrEmptyQuery
	}
	limit := clampLimit(q.Limit, 10, 50)
	offset := max(q.Offset, 0)
	want := offset + limit + 1
	if q.Relax {
		want = max(want, FewHits)
	}
	r := s.newRanker(q, phrases, want)
	top, err := r.run(ctx)
	if err != nil {
		return nil, err
	}
	res := &Results{Terms: terms}
	marks := terms
	if q.Relax && len(top) < FewHits {
		var relaxed *ranker
		if relaxed, err = s.relax(ctx, q, res, top); err != nil {
			return nil, err
		}
		if relaxed != nil {
			more, err := relaxed.run(ctx)
			if err != nil {
				return nil, err
			}
			if len(more) > len(top) { // the words found more than the terms
				r, marks, top = relaxed, res.Words, exactFirst(top, more)
			} else {
				res.Words, res.Exact = nil, 0
			}
		}
	}
	if q.Count {
		if err := r.total(ctx, res, len(top)); err != nil {
			return nil, err
		}
	}
	if len(top) > offset {
		top = top[offset:]
	} else {
		top = nil
	}
	if len(top) > limit {
		res.More = true
		top = top[:limit]
	}
	docs := make([]int64, len(top))
	for i, h := range top {
		docs[i] = h.doc
	}
	list, err := s.byDoc(ctx, docs)
	if err != nil {
		return nil, err
	}
	for i, a := range list {
		res.Hits = append(res.Hits, Hit{
			Article: a,
			Title:   highlight(a.Title, marks, 0),
			Snippet: highlight(searchedText(a), marks, SnippetRunes),
			Score:   top[i].score,
		})
	}
	return res, nil
}

// newRanker prepares one pass of q over phrases, for the best want.
func (s *Store) newRanker(q SearchQuery, phrases []string, want int) *ranker {
	r := &ranker{
		store: s, expr: strings.Join(phrases, " AND "), phrases: phrases, tags: q.Tags,
		now: s.now().Unix(), want: want,
		lo: math.MinInt64, hi: math.MaxInt64,
	}
	// The index knows the hour of publication, so the range is applied
	// at hour resolution, rounded outward.
	if !q.From.IsZero() {
		r.lo = docOf(q.From.Unix())
	}
	if !q.To.IsZero() {
		r.hi = docOf(q.To.Unix() + 3599)
	}
	return r
}

// relax splits the terms into words and returns the pass that searches
// for them, with room for the exact hits it must leave out; nil when no
// term splits. It sets res.Words and res.Exact, which the caller clears
// when the words find nothing the terms did not.
func (s *Store) relax(ctx context.Context, q SearchQuery, res *Results, exact []scored) (*ranker, error) {
	sp, err := s.newSplitter(ctx, SplitCohesion)
	if err != nil {
		return nil, err
	}
	words, err := sp.words(ctx, res.Terms)
	if err != nil || words == nil {
		return nil, err
	}
	phrases := termPhrases(words)
	if len(phrases) == 0 {
		return nil, nil
	}
	res.Words, res.Exact = words, len(exact)
	return s.newRanker(q, phrases, max(q.Offset, 0)+clampLimit(q.Limit, 10, 50)+1+len(exact)), nil
}

// exactFirst returns the exact hits, then the others of all, best first
// each.
func exactFirst(exact, all []scored) []scored {
	out := slices.Clone(exact)
	for _, h := range all {
		if !slices.ContainsFunc(exact, func(e scored) bool { return e.doc == h.doc }) {
			out = append(out, h)
		}
	}
	return out
}

type scored struct {
	doc   int64
	score float64
}

// ranker runs one search's window queries.
type ranker struct {
	store    *Store
	expr     string
	phrases  []string
	tags     []string
	now      int64
	want     int // results needed: offset + limit + 1
	lo, hi   int64
	idf      []float64
	maxScore float64 // no document can score more than this, before decay
}

func (r *ranker) run(ctx context.Context) ([]scored, error) {
	newest, ok, err := r.docBelow(ctx, r.hi, 0)
	if err != nil || !ok {
		return nil, err
	}
	var oldest int64
	if err := r.store.db.QueryRowContext(ctx, `SELECT min(doc) FROM articles`).Scan(&oldest); err != nil {
		return nil, fmt.Errorf("store: unable to read the article index: %w", err)
	}
	r.lo = max(r.lo, oldest)
	first, ok, err := r.docBelow(ctx, r.hi, r.store.window-1)
	if err != nil {
		return nil, err
	}
	n := float64(r.store.window)
	if !ok || first < r.lo {
		first = r.lo
		n = -1 // fewer articles than a window: count them
	}
	if err := r.estimateIDF(ctx, first, min(r.hi, newest+1), n); err != nil {
		return nil, err
	}
	span := max(publishedOf(newest)-publishedOf(first), 24*3600)
	var top []scored
	upper, lower := r.hi, first
	for {
		got, err := r.window(ctx, lower, upper)
		if err != nil {
			return nil, err
		}
		top = mergeTop(top, got, r.want)
		if lower <= r.lo {
			return top, nil
		}
		// Everything left was published before lower's hour.
		age := math.Max(0, float64(r.now-publishedOf(lower))) / recencyTau
		if len(top) == r.want && top[r.want-1].score >= r.maxScore/(1+age) {
			return top, nil
		}
		upper = lower
		span *= windowGrowth
		lower = max(r.lo, docOf(publishedOf(newest)-span))
	}
}

// docBelow returns the (n+1)-th newest doc id below hi.
func (r *ranker) docBelow(ctx context.Context, hi int64, n int) (int64, bool, error) {
	var doc int64
	err := r.store.db.QueryRowContext(ctx, `SELECT doc FROM articles WHERE doc < ? ORDER BY doc DESC LIMIT 1 OFFSET ?`, hi, n).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: unable to read the article index: %w", err)
	}
	return doc, true, nil
}

// estimateIDF sets each phrase's inverse document frequency from the
// window [lo, hi) of the newest articles, which holds n of them (or, when
// n < 0, as many as it holds). SQLite's bm25() would count every
// match in the whole table on every query, which for a common phrase costs
// more than the ranking; a recent sample ranks the same way.
func (r *ranker) estimateIDF(ctx context.Context, lo, hi int64, n float64) error {
	if n < 0 {
		if err := r.store.db.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE doc >= ? AND doc < ?`, lo, hi).Scan(&n); err != nil {
			return fmt.Errorf("store: unable to count articles: %w", err)
		}
	}
	r.idf = make([]float64, len(r.phrases))
	r.maxScore = 0
	for i, p := range r.phrases {
		var df float64
		if err := r.store.db.QueryRowContext(ctx, `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? AND rowid < ?`,
			p, lo, hi).Scan(&df); err != nil {
			return fmt.Errorf("store: unable to search for %s: %w", p, err)
		}
		// The bm25 idf as Lucene smooths it: never negative, so a word in
		// most articles still counts a little.
		r.idf[i] = math.Log(1 + (n-df+0.5)/(df+0.5))
		r.maxScore += r.idf[i] * (k1 + 1)
	}
	return nil
}

// window returns the best matches among docs in [lo, hi).
func (r *ranker) window(ctx context.Context, lo, hi int64) ([]scored, error) {
	args := []any{r.now, recencyTau, titleWeight, bodyWeight}
	for _, v := range r.idf {
		args = append(args, v)
	}
	where, filter := r.filter(lo, hi)
	args = append(args, filter...)
	args = append(args, r.want)
	// Each row's sizes (for bm25's length normalisation) come from the
	// index's own %_docsize table, joined here and handed to wzrank: read
	// through xColumnSize, they cost a statement of their own a row, most
	// of the ranking's time (docs/BENCHMARKS.md). The LEFT JOIN keeps the
	// index the outer loop, and a missing record is an error in wzrank,
	// as it is to xColumnSize, not a row left out.
	sizes, join := ", d.sz", " LEFT JOIN articles_fts_docsize d ON d.id = articles_fts.rowid"
	if r.store.sizesThroughAPI {
		sizes, join = "", ""
	}
	rows, err := r.store.db.QueryContext(ctx, `SELECT articles_fts.rowid, wzrank(articles_fts`+strings.Repeat(", ?", 4+len(r.idf))+sizes+`) AS score
		FROM articles_fts`+join+`
		WHERE `+where+`
		ORDER BY score DESC, articles_fts.rowid DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to search for %s: %w", r.expr, err)
	}
	defer rows.Close()
	var out []scored
	for rows.Next() {
		var h scored
		if err := rows.Scan(&h.doc, &h.score); err != nil {
			return nil, fmt.Errorf("store: unable to search for %s: %w", r.expr, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to search for %s: %w", r.expr, err)
	}
	return out, nil
}

// filter is the condition of a pass over docs in [lo, hi), with its
// arguments.
func (r *ranker) filter(lo, hi int64) (string, []any) {
	// Qualified: the window query joins a table with a rowid of its own.
	where := `articles_fts MATCH ? AND articles_fts.rowid >= ? AND articles_fts.rowid < ?`
	args := []any{r.expr, lo, hi}
	for _, t := range r.tags {
		where += ` AND articles_fts.rowid IN (SELECT doc FROM article_tags WHERE tag = ? AND doc >= ? AND doc < ?)`
		args = append(args, t, lo, hi)
	}
	return where, args
}

// total sets res.Total from found, the pass's results, when they are all
// there are; otherwise it counts the matches, up to CountCap.
func (r *ranker) total(ctx context.Context, res *Results, found int) error {
	if found < r.want {
		res.Total = found
		return nil
	}
	where, args := r.filter(r.lo, r.hi)
	var n int
	if err := r.store.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE `+where+` LIMIT ?)`,
		append(args, CountCap+1)...).Scan(&n); err != nil {
		return fmt.Errorf("store: unable to count matches of %s: %w", r.expr, err)
	}
	res.Total, res.TotalOver = min(n, CountCap), n > CountCap
	return nil
}

// mergeTop keeps the best n of both lists, best first; ties go to the
// newer article.
func mergeTop(a, b []scored, n int) []scored {
	all := append(a, b...)
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].doc > all[j].doc
	})
	if len(all) > n {
		all = all[:n]
	}
	return all
}

// byDoc loads articles in the order of docs.
func (s *Store) byDoc(ctx context.Context, docs []int64) ([]*Article, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	args := make([]any, len(docs))
	for i, v := range docs {
		args[i] = v
	}
	list, err := s.queryArticles(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.doc IN (`+placeholders(len(docs))+`)`, args...)
	if err != nil {
		return nil, err
	}
	found := make(map[int64]*Article, len(docs))
	for _, a := range list {
		found[a.doc] = a
	}
	out := make([]*Article, 0, len(docs))
	for _, d := range docs {
		if a := found[d]; a != nil {
			out = append(out, a)
		}
	}
	return out, s.loadTags(ctx, out)
}

// Matching returns the seq of every article that matches text, unranked,
// in ascending order.
func (s *Store) Matching(ctx context.Context, text string) ([]int64, error) {
	expr := matchExpr(splitTerms(text))
	if expr == "" {
		return nil, ErrEmptyQuery
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.seq FROM articles_fts f JOIN articles a ON a.doc = f.rowid
		WHERE articles_fts MATCH ? ORDER BY a.seq`, expr)
	if err != nil {
		return nil, fmt.Errorf("store: unable to search for %q: %w", expr, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, fmt.Errorf("store: unable to search for %q: %w", expr, err)
		}
		out = append(out, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to search for %q: %w", expr, err)
	}
	return out, nil
}

// Optimize merges the search index's segments, which makes queries faster
// after many inserts; run it now and then, for example nightly.
func (s *Store) Optimize(ctx context.Context) error {
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts) VALUES ('optimize')`)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: unable to optimize the search index: %w", err)
	}
	return nil
}

// BySeqs returns the stored articles with the given ingest sequences, with
// their tags; missing ones are left out.
func (s *Store) BySeqs(ctx context.Context, seqs []int64) ([]*Article, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	args := make([]any, len(seqs))
	for i, v := range seqs {
		args[i] = v
	}
	list, err := s.queryArticles(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.seq IN (`+placeholders(len(seqs))+`)`, args...)
	if err != nil {
		return nil, err
	}
	return list, s.loadTags(ctx, list)
}
