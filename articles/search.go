package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
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
	Hits  []Hit
	More  bool // another page follows
}

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
// a quoted phrase of letters and digits before it reaches FTS5.
func (s *Store) Search(ctx context.Context, q SearchQuery) (*Results, error) {
	terms := splitTerms(q.Text)
	var phrases []string
	for _, t := range terms {
		if p := termPhrase(t); p != "" {
			phrases = append(phrases, p)
		}
	}
	if len(phrases) == 0 {
		return nil, ErrEmptyQuery
	}
	limit := clampLimit(q.Limit, 10, 50)
	offset := max(q.Offset, 0)
	r := &ranker{
		store: s, expr: strings.Join(phrases, " AND "), phrases: phrases, tags: q.Tags,
		now: s.now().Unix(), want: offset + limit + 1,
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
	top, err := r.run(ctx)
	if err != nil {
		return nil, err
	}
	res := &Results{Terms: terms}
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
			Title:   highlight(a.Title, terms, 0),
			Snippet: highlight(searchedText(a), terms, SnippetRunes),
			Score:   top[i].score,
		})
	}
	return res, nil
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
	args = append(args, r.expr, lo, hi)
	where := ""
	for _, t := range r.tags {
		where += ` AND articles_fts.rowid IN (SELECT doc FROM article_tags WHERE tag = ? AND doc >= ? AND doc < ?)`
		args = append(args, t, lo, hi)
	}
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
		WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? AND articles_fts.rowid < ?`+where+`
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
