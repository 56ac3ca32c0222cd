package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"unicode"
)

// Readers do not type spaces between Chinese words: 梧州工业 for an article
// that says 再造一个工业梧州. When the exact search finds too little, the
// terms are split into the words they are made of, and the words searched
// for together. The splitter needs no dictionary: the search index is its
// vocabulary. Two neighbouring characters belong to one word when, among
// the newest articles, they come together often compared with how often
// each comes at all: 梧 nearly always comes as 梧州, while 州工 is rare
// beside 州 or 工. docs/BENCHMARKS.md measures it against a dictionary
// segmenter.

// SplitCohesion is the cohesion (see cohesionAt) below which two
// characters are taken to belong to different words. Chosen by
// measurement (wzbench split): every value from 0.02 to 0.2 splits 39 or
// 40 of the 40 labelled queries right; 0.1 is the middle.
const SplitCohesion = 0.1

// minSplitRunes is the shortest term worth splitting: a two-character term
// would split into single characters, which match almost anything.
const minSplitRunes = 3

// Split returns the words the folded terms of text are made of, in order,
// when at least one term splits; nil when none does. Terms of Latin
// letters and digits are kept whole; a term that mixes scripts is cut
// where the script changes. cohesion is the threshold (SplitCohesion for
// what Search does).
func (s *Store) Split(ctx context.Context, text string, cohesion float64) ([]string, error) {
	sp, err := s.newSplitter(ctx, cohesion)
	if err != nil {
		return nil, err
	}
	return sp.words(ctx, splitTerms(text))
}

// splitter splits terms with document frequencies from the newest
// articles, which it counts once each.
type splitter struct {
	store    *Store
	cohesion float64
	lo, hi   int64 // the newest window: doc ids in [lo, hi)
	df       map[string]float64
}

func (s *Store) newSplitter(ctx context.Context, cohesion float64) (*splitter, error) {
	sp := &splitter{store: s, cohesion: cohesion, lo: math.MinInt64, hi: math.MaxInt64, df: map[string]float64{}}
	var doc int64
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM articles ORDER BY doc DESC LIMIT 1 OFFSET ?`, s.window-1).Scan(&doc)
	switch {
	case err == nil:
		sp.lo = doc
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("store: unable to read the article index: %w", err)
	}
	return sp, nil
}

// words splits each term and returns all the words, each once, or nil
// when no term split.
func (sp *splitter) words(ctx context.Context, terms []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	split := false
	for _, t := range terms {
		ws, err := sp.term(ctx, []rune(t))
		if err != nil {
			return nil, err
		}
		if len(ws) > 1 {
			split = true
		}
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	if !split {
		return nil, nil
	}
	return out, nil
}

// term splits one folded term. It is split at least once when it can be:
// the caller asks because the whole found too little.
func (sp *splitter) term(ctx context.Context, rs []rune) ([]string, error) {
	if len(rs) < minSplitRunes {
		return []string{string(rs)}, nil
	}
	var out []string
	for _, run := range scriptRuns(rs) {
		if !isCJK(run[0]) || len(run) < 2 {
			out = append(out, string(run))
			continue
		}
		ws, err := sp.run(ctx, run, len(out) == 0 && len(run) == len(rs))
		if err != nil {
			return nil, err
		}
		out = append(out, joinSingles(ws)...)
	}
	long := false
	for _, w := range out {
		long = long || len([]rune(w)) > 1
	}
	if len(out) < 2 || !long {
		return []string{string(rs)}, nil // single characters would match almost anything
	}
	return out, nil
}

// run splits a run of CJK characters at every weak boundary; a part that
// the index does not hold is split again at its weakest. force splits the
// run even when it holds together and occurs.
func (sp *splitter) run(ctx context.Context, run []rune, force bool) ([]string, error) {
	if len(run) < 2 {
		return []string{string(run)}, nil
	}
	strength := make([]float64, len(run)-1) // between run[i] and run[i+1]
	weakest := 0
	var cuts []int
	for i := range strength {
		c, err := sp.cohesionAt(ctx, run[i], run[i+1])
		if err != nil {
			return nil, err
		}
		strength[i] = c
		if c < strength[weakest] {
			weakest = i
		}
		if c < sp.cohesion {
			cuts = append(cuts, i+1)
		}
	}
	if len(cuts) == 0 {
		if !force {
			ok, err := sp.occurs(ctx, string(run))
			if err != nil || ok {
				return []string{string(run)}, err
			}
		}
		cuts = []int{weakest + 1}
	}
	var out []string
	from := 0
	for _, at := range append(cuts, len(run)) {
		ws, err := sp.run(ctx, run[from:at], false)
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
		from = at
	}
	return out, nil
}

// joinSingles joins neighbouring one-character words: a pair that is
// rare as a pair (升值 among few articles) is still one word to the reader
// who typed it, and single characters match almost anything.
func joinSingles(ws []string) []string {
	var out []string
	single := false
	for _, w := range ws {
		one := len([]rune(w)) == 1
		if one && single {
			out[len(out)-1] += w
			continue
		}
		out = append(out, w)
		single = one
	}
	return out
}

// cohesionAt is how often a and b come together, as Dice's coefficient
// of the articles holding each: twice those holding the pair over the sum
// of those holding a and those holding b. The share of the rarer one's
// articles was measured too; it takes a rare character's one neighbour
// for a word (业梧 in 工业梧州 among the sample's few articles).
func (sp *splitter) cohesionAt(ctx context.Context, a, b rune) (float64, error) {
	pair, err := sp.count(ctx, string([]rune{a, b}))
	if err != nil {
		return 0, err
	}
	da, err := sp.count(ctx, string(a))
	if err != nil {
		return 0, err
	}
	db, err := sp.count(ctx, string(b))
	if err != nil {
		return 0, err
	}
	if da+db > 0 {
		return 2 * pair / (da + db), nil
	}
	return 0, nil
}

// count returns how many of the newest articles hold w.
func (sp *splitter) count(ctx context.Context, w string) (float64, error) {
	if n, ok := sp.df[w]; ok {
		return n, nil
	}
	var n float64
	if err := sp.store.db.QueryRowContext(ctx, `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? AND rowid < ?`,
		termPhrase(w), sp.lo, sp.hi).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unable to count %q: %w", w, err)
	}
	sp.df[w] = n
	return n, nil
}

// occurs reports whether any article, however old, holds w.
func (sp *splitter) occurs(ctx context.Context, w string) (bool, error) {
	if n, err := sp.count(ctx, w); err != nil || n > 0 {
		return n > 0, err
	}
	var one int
	err := sp.store.db.QueryRowContext(ctx, `SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1`, termPhrase(w)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: unable to look for %q: %w", w, err)
	}
	return true, nil
}

// scriptRuns cuts rs where it changes between CJK and other letters and
// digits, and drops what is neither where it stands beside CJK: 5g基站 →
// 5g, 基站; 梧州，工业 → 梧州, 工业; pm2.5 stays whole.
func scriptRuns(rs []rune) [][]rune {
	var out [][]rune
	from := -1 // start of the non-CJK piece being read
	flush := func(to int) {
		if from >= 0 {
			piece := rs[from:to]
			for len(piece) > 0 && !isWord(piece[len(piece)-1]) {
				piece = piece[:len(piece)-1]
			}
			if len(piece) > 0 {
				out = append(out, piece)
			}
			from = -1
		}
	}
	for i := 0; i < len(rs); i++ {
		switch {
		case isCJK(rs[i]):
			flush(i)
			j := i
			for j < len(rs) && isCJK(rs[j]) {
				j++
			}
			out = append(out, rs[i:j])
			i = j - 1
		case from < 0 && isWord(rs[i]):
			from = i
		}
	}
	flush(len(rs))
	return out
}

// isCJK reports whether r is written without spaces between words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
