package articles

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ListQuery selects stored articles, newest publication first.
type ListQuery struct {
	Tags    []string // the article must carry every one of these tags
	AnyTags []string // and, when set, at least one of these
	After   int64    // only articles with Seq > After
	// From and To, when set, bound the publication time (To excluded), at
	// the hour, rounded outward: the index orders articles by the hour.
	From, To time.Time
	Limit    int // default 10, at most 500
	Offset   int
}

// List returns the articles that match q with their tags. A tag's
// articles are read from the tag index (tag, doc), newest first, so a
// tag's newest page costs its rows, not the tag's every article.
func (s *Store) List(ctx context.Context, q ListQuery) ([]*Article, error) {
	limit := clampLimit(q.Limit, 10, 500)
	// The index knows the hour of publication: From and To apply at the
	// hour, rounded outward.
	var span []any
	var within string
	if !q.From.IsZero() {
		within, span = within+` AND {col} >= ?`, append(span, docOf(q.From.Unix()))
	}
	if !q.To.IsZero() {
		within, span = within+` AND {col} < ?`, append(span, docOf(q.To.Unix()+3599))
	}
	from, order := `articles a`, `a.doc`
	var where string
	var args []any
	tags := q.Tags
	if len(tags) > 0 {
		from, order = `article_tags t JOIN articles a ON a.seq = t.seq`, `t.doc`
		where, args = ` AND t.tag = ?`, []any{tags[0]}
		tags = tags[1:]
	}
	where += strings.ReplaceAll(within, "{col}", order)
	args = append(args, span...)
	w, a := tagFilter("a.seq", tags)
	where, args = where+w, append(args, a...)
	if len(q.AnyTags) > 0 {
		where += ` AND a.seq IN (SELECT seq FROM article_tags WHERE tag IN (` + placeholders(len(q.AnyTags)) + `)` + strings.ReplaceAll(within, "{col}", "doc") + `)`
		for _, t := range q.AnyTags {
			args = append(args, t)
		}
		args = append(args, span...)
	}
	if q.After > 0 {
		where += ` AND a.seq > ?`
		args = append(args, q.After)
	}
	args = append(args, limit, max(q.Offset, 0))
	out, err := s.queryArticles(ctx, `SELECT `+articleColumns+` FROM `+from+`
		WHERE 1=1`+where+` ORDER BY `+order+` DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, err
	}
	return out, s.loadTags(ctx, out)
}

// tagFilter restricts col (an article seq) to articles that carry every tag.
func tagFilter(col string, tags []string) (string, []any) {
	var where string
	var args []any
	for _, t := range tags {
		where += ` AND ` + col + ` IN (SELECT seq FROM article_tags WHERE tag = ?)`
		args = append(args, t)
	}
	return where, args
}

func clampLimit(n, def, most int) int {
	if n <= 0 {
		return def
	}
	return min(n, most)
}

// TagCount is one tag with the number of articles that carry it.
type TagCount struct {
	Tag   string
	Topic bool // a topic tag from the rule table, not one the site gave
	Count int
}

// Tags lists every tag in use, the most used first. Counting scans every
// tag row, so the result is kept until the articles change: a chat asks
// for it on every 订阅.
func (s *Store) Tags(ctx context.Context) ([]TagCount, error) {
	gen, err := s.generation(ctx)
	if err != nil {
		return nil, err
	}
	s.tagsMu.Lock()
	defer s.tagsMu.Unlock()
	if s.tagsGen == gen && s.tags != nil {
		return slices.Clone(s.tags), nil
	}
	tags, err := s.countTags(ctx)
	if err != nil {
		return nil, err
	}
	s.tags, s.tagsGen = tags, gen
	return slices.Clone(tags), nil
}

func (s *Store) countTags(ctx context.Context) ([]TagCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT tag, max(kind = 'topic'), count(*) AS n
		FROM article_tags GROUP BY tag ORDER BY n DESC, tag`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count tags: %w", err)
	}
	defer rows.Close()
	out := []TagCount{}
	for rows.Next() {
		var tc TagCount
		if err := rows.Scan(&tc.Tag, &tc.Topic, &tc.Count); err != nil {
			return nil, fmt.Errorf("store: unable to count tags: %w", err)
		}
		out = append(out, tc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to count tags: %w", err)
	}
	return out, nil
}

// Stats summarises what is stored.
type Stats struct {
	Articles       int
	Oldest, Newest time.Time
	LastSeq        int64
	LastIngest     time.Time
}

// Stats counts the stored articles.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	var oldest, newest, last int64
	err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(min(published_at), 0), coalesce(max(published_at), 0),
		coalesce(max(seq), 0), coalesce(max(ingested_at), 0) FROM articles`).Scan(&st.Articles, &oldest, &newest, &st.LastSeq, &last)
	if err != nil {
		return st, fmt.Errorf("store: unable to count articles: %w", err)
	}
	if st.Articles > 0 {
		st.Oldest, st.Newest = time.Unix(oldest, 0).In(shanghai), time.Unix(newest, 0).In(shanghai)
		st.LastIngest = time.Unix(last, 0).In(shanghai)
	}
	return st, nil
}

// Has reports whether an article with the post id is stored, or was and
// has been pruned.
func (s *Store) Has(ctx context.Context, id string) (bool, error) {
	var n int
	// A pruned post counts as had: it is not to be fetched and stored again.
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?) OR EXISTS (SELECT 1 FROM pruned WHERE id = ?)`,
		id, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: unable to look up article %s: %w", id, err)
	}
	return n > 0, nil
}

// SourceStatus is what the store knows of one source's runs.
type SourceStatus struct {
	Name                          string
	LastRun, LastSuccess, LastNew time.Time
	LastError                     string
	Errors                        int // failed runs in a row
	ArticlesNew                   int // new articles in all runs
	// LastOutcome is how the last run ended; "" for one recorded by an
	// older version.
	LastOutcome RunOutcome
}

// Sources reports every source that has run, by name.
func (s *Store) Sources(ctx context.Context) ([]SourceStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, last_run_at, last_success_at, last_new_at, last_error, errors, articles_new, last_outcome
		FROM sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read sources: %w", err)
	}
	defer rows.Close()
	var out []SourceStatus
	for rows.Next() {
		var st SourceStatus
		var run, ok, last int64
		if err := rows.Scan(&st.Name, &run, &ok, &last, &st.LastError, &st.Errors, &st.ArticlesNew, &st.LastOutcome); err != nil {
			return nil, fmt.Errorf("store: unable to read sources: %w", err)
		}
		st.LastRun, st.LastSuccess, st.LastNew = unixOrZero(run), unixOrZero(ok), unixOrZero(last)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to read sources: %w", err)
	}
	return out, nil
}

func unixOrZero(t int64) time.Time {
	if t == 0 {
		return time.Time{}
	}
	return time.Unix(t, 0).In(shanghai)
}

// generation changes whenever stored articles or their tags change, in this
// process or another.
func (s *Store) generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT CAST(value AS INTEGER) FROM article_meta WHERE key = 'generation'), 0)`).Scan(&g)
	if err != nil {
		return 0, fmt.Errorf("store: unable to read the article generation: %w", err)
	}
	return g, nil
}

func bumpGeneration(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO article_meta (key, value) VALUES ('generation', '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`)
	if err != nil {
		return fmt.Errorf("store: unable to mark a change: %w", err)
	}
	return nil
}

// Since returns up to limit of the newest articles stored after seq, with
// their tags, in ingest order.
func (s *Store) Since(ctx context.Context, seq int64, limit int) ([]*Article, error) {
	out, err := s.queryArticles(ctx, `SELECT `+articleColumns+` FROM articles a
		WHERE a.seq > ? ORDER BY a.seq DESC LIMIT ?`, seq, limit)
	if err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, s.loadTags(ctx, out)
}

// SeqBefore returns the ingest sequence of the last article stored before
// t, or 0: a new subscriber's first digest starts after it.
func (s *Store) SeqBefore(ctx context.Context, t time.Time) (int64, error) {
	var seq int64
	// articles_ingested answers this from the index: the last article in
	// by ingest time. Ingest times follow seq (both grow as articles come
	// in), so it is the greatest seq before t.
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM articles WHERE ingested_at < ? ORDER BY ingested_at DESC, seq DESC LIMIT 1), 0)`,
		t.Unix()).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("store: unable to find the articles before %s: %w", t, err)
	}
	return seq, nil
}
