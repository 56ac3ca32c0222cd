package articles

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"wzdaily/internal/db"
)

// ErrNotFound means no stored article has the requested id.
var ErrNotFound = errors.New("article not found")

// Store keeps articles, their tags and the search index in SQLite.
type Store struct {
	db     *db.DB
	topics *Topics
	now    func() time.Time
	window int // articles in a search's first window; see Search
	// sizesThroughAPI makes the ranking read each row's sizes through
	// FTS5's xColumnSize instead of the join in ranker.window: tests and
	// a benchmark compare the two.
	sizesThroughAPI bool

	tagsMu  sync.Mutex
	tags    []TagCount // cached by Tags until the generation moves
	tagsGen int64
}

// StoreOptions configure a Store. Zero values take defaults.
type StoreOptions struct {
	Topics *Topics          // tagged with while the database holds no table set with SetTopics; default: DefaultTopics()
	Now    func() time.Time // default: time.Now
}

// NewStore returns a store over a database migrated with Schema.
func NewStore(conn *db.DB, opts StoreOptions) *Store {
	if opts.Topics == nil {
		opts.Topics = DefaultTopics()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Store{db: conn, topics: opts.Topics, now: opts.Now, window: firstWindow}
}

// Outcome says what saving an article did.
type Outcome int

const (
	Unchanged Outcome = iota
	New
	Updated
)

func (o Outcome) String() string {
	return [...]string{"unchanged", "new", "updated"}[o]
}

// Save stores one article in its own transaction.
func (s *Store) Save(ctx context.Context, a *Article) (Outcome, error) {
	p := s.prepare(a)
	var out Outcome
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = s.save(ctx, tx, p); err != nil || out == Unchanged {
			return err
		}
		return bumpGeneration(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("store: article %s: %w", a.ID, err)
	}
	logClamped(p)
	return out, nil
}

// prepared is an article with the work done that needs no database: its
// hash, its topics and its index text. Ingest prepares one batch while the
// previous one is being written.
type prepared struct {
	a                     *Article
	hash                  string
	titleIndex, bodyIndex string
	clamped               bool // save stored a new claimed date in the future; see logClamped
}

func (s *Store) prepare(a *Article) *prepared {
	a.Topics = s.topics.Match(a)
	return &prepared{a: a, hash: contentHash(a), titleIndex: bigrams(a.Title), bodyIndex: bigrams(searchedText(a))}
}

// save inserts a new article, or updates a changed one and its index
// entry. The same article arriving again unchanged touches nothing.
func (s *Store) save(ctx context.Context, tx *sql.Tx, p *prepared) (Outcome, error) {
	a := p.a
	var seq, oldDoc, oldPublished, oldClaimed int64
	var oldHash string
	err := tx.QueryRowContext(ctx, `SELECT seq, doc, published_at, claimed_at, hash FROM articles WHERE id = ?`, a.ID).
		Scan(&seq, &oldDoc, &oldPublished, &oldClaimed, &oldHash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return 0, fmt.Errorf("store: unable to look up article %s: %w", a.ID, err)
	case oldHash == p.hash:
		a.Seq = seq
		a.setDates(oldPublished, oldClaimed)
		return Unchanged, nil
	}
	now := s.now().Unix()
	published, claimed := storedDate(claimedDate(a).Unix(), now, oldPublished, oldClaimed)
	p.clamped = claimed != 0 && claimed != oldClaimed
	a.setDates(published, claimed)
	doc := oldDoc
	if seq == 0 || published != oldPublished {
		if doc, err = freeDoc(ctx, tx, published); err != nil {
			return 0, fmt.Errorf("store: article %s: %w", a.ID, err)
		}
	}
	outcome := Updated
	if seq == 0 {
		outcome = New
		res, err := tx.ExecContext(ctx, `INSERT INTO articles
			(id, doc, title, published_at, claimed_at, body, lead, source_url, url, categories, hash, ingested_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, doc, a.Title, published, claimed, a.Body, a.Lead, a.SourceURL, a.URL,
			strings.Join(a.Categories, " "), p.hash, now, now)
		if err != nil {
			return 0, fmt.Errorf("store: unable to insert article %s: %w", a.ID, err)
		}
		if seq, err = res.LastInsertId(); err != nil {
			return 0, fmt.Errorf("store: unable to read the seq of article %s: %w", a.ID, err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET
			doc = ?, title = ?, published_at = ?, claimed_at = ?, body = ?, lead = ?, source_url = ?, url = ?,
			categories = ?, hash = ?, updated_at = ?
			WHERE seq = ?`,
			doc, a.Title, published, claimed, a.Body, a.Lead, a.SourceURL, a.URL,
			strings.Join(a.Categories, " "), p.hash, now, seq); err != nil {
			return 0, fmt.Errorf("store: unable to update article %s: %w", a.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`, oldDoc); err != nil {
			return 0, fmt.Errorf("store: unable to unindex article %s: %w", a.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE seq = ?`, seq); err != nil {
			return 0, fmt.Errorf("store: unable to clear the tags of article %s: %w", a.ID, err)
		}
	}
	a.Seq = seq
	if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)`,
		doc, p.titleIndex, p.bodyIndex); err != nil {
		return 0, fmt.Errorf("store: unable to index article %s: %w", a.ID, err)
	}
	if err := insertTags(ctx, tx, seq, doc, a.Tags, a.Topics); err != nil {
		return 0, fmt.Errorf("store: unable to tag article %s: %w", a.ID, err)
	}
	return outcome, nil
}

// An article's id in the search index is the hour it was published,
// shifted left docBits, plus a counter for the articles of that hour. Id
// order is then time order, which lets a search rank the newest articles
// first, and neighbouring ids stay close, which keeps the index small:
// FTS5 stores each posting's rowid as a varint delta. rank.c decodes the
// hour with the same constants.
const (
	docBits    = 7
	docPerHour = 1 << docBits
)

// docOf returns the first index id of the hour holding the unix time t.
func docOf(t int64) int64 { return floorDiv(t, 3600) << docBits }

// publishedOf returns the start of the hour an index id belongs to.
func publishedOf(doc int64) int64 { return (doc >> docBits) * 3600 }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// freeDoc returns an unused index id for an article published at the
// given time. When an hour's ids run out the article takes the next
// hour's, which moves it by an hour for ranking and nothing else.
func freeDoc(ctx context.Context, tx *sql.Tx, published int64) (int64, error) {
	first := docOf(published)
	for range 1 << 16 {
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(doc) FROM articles WHERE doc >= ? AND doc < ?`,
			first, first+docPerHour).Scan(&last); err != nil {
			return 0, fmt.Errorf("unable to allocate an index id: %w", err)
		}
		switch {
		case !last.Valid:
			return first, nil
		case last.Int64+1 < first+docPerHour:
			return last.Int64 + 1, nil
		}
		first += docPerHour
	}
	return 0, fmt.Errorf("no free index id near %d", published)
}

func insertTags(ctx context.Context, tx *sql.Tx, seq, doc int64, site, topics []string) error {
	for _, group := range []struct {
		kind string
		tags []string
	}{{"site", site}, {"topic", topics}} {
		for _, t := range group.tags {
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_tags (seq, tag, kind, doc) VALUES (?, ?, ?, ?)
				ON CONFLICT (seq, tag) DO NOTHING`, seq, t, group.kind, doc); err != nil {
				return err
			}
		}
	}
	return nil
}

// contentHash covers everything the site gives; topics are derived and
// follow the rule table, not the post.
func contentHash(a *Article) string {
	h := sha256.New()
	for _, f := range []string{a.Title, claimedDate(a).UTC().Format(time.RFC3339), a.Body, a.Lead, a.SourceURL, a.URL,
		strings.Join(a.Categories, " "), strings.Join(a.Tags, " ")} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

const articleColumns = `a.seq, a.doc, a.id, a.title, a.published_at, a.claimed_at, a.body, a.lead, a.source_url, a.url, a.categories`

func scanArticle(sc interface{ Scan(...any) error }) (*Article, error) {
	var a Article
	var published, claimed int64
	var categories string
	if err := sc.Scan(&a.Seq, &a.doc, &a.ID, &a.Title, &published, &claimed, &a.Body, &a.Lead, &a.SourceURL, &a.URL, &categories); err != nil {
		return nil, err
	}
	a.setDates(published, claimed)
	a.Categories = strings.Fields(categories)
	return &a, nil
}

// Get returns the article with the given post id.
func (s *Store) Get(ctx context.Context, id string) (*Article, error) {
	a, err := scanArticle(s.db.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: article %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load article %s: %w", id, err)
	}
	if err := s.loadTags(ctx, []*Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// queryArticles runs a query that selects articleColumns and returns the
// articles in row order, without their tags.
func (s *Store) queryArticles(ctx context.Context, query string, args ...any) ([]*Article, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to load articles: %w", err)
	}
	defer rows.Close()
	var out []*Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("store: unable to load articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to load articles: %w", err)
	}
	return out, nil
}

// loadTags fills Tags and Topics of the given articles, a few hundred
// articles a query.
func (s *Store) loadTags(ctx context.Context, list []*Article) error {
	for start := 0; start < len(list); start += 500 {
		if err := s.loadTagsOnce(ctx, list[start:min(start+500, len(list))]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) loadTagsOnce(ctx context.Context, list []*Article) error {
	if len(list) == 0 {
		return nil
	}
	bySeq := make(map[int64]*Article, len(list))
	args := make([]any, len(list))
	for i, a := range list {
		bySeq[a.Seq] = a
		args[i] = a.Seq
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, tag, kind FROM article_tags
		WHERE seq IN (`+placeholders(len(list))+`) ORDER BY seq, kind, tag`, args...)
	if err != nil {
		return fmt.Errorf("store: unable to load tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var tag, kind string
		if err := rows.Scan(&seq, &tag, &kind); err != nil {
			return fmt.Errorf("store: unable to load tags: %w", err)
		}
		a := bySeq[seq]
		if kind == "site" {
			a.Tags = append(a.Tags, tag)
		} else {
			a.Topics = append(a.Topics, tag)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to load tags: %w", err)
	}
	return nil
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}
