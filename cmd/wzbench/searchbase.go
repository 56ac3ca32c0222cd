package main

import (
	"context"
	"sort"
	"strings"

	"wzdaily/articles"
	"wzdaily/internal/db"
)

// The baselines that wzbench search times ours against.

// builtinTop10 is notes/search.md's design: SQLite's bm25() over every
// match, divided by the same recency decay.
func builtinTop10(ctx context.Context, conn *db.DB, q string, now int64) error {
	expr := articles.MatchExpression(q)
	return loadTen(ctx, conn, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?
		ORDER BY bm25(articles_fts, 3.0, 1.0) / (1.0 + max(0, ?2 - (rowid >> 7) * 3600) / 31536000.0) LIMIT 11`, expr, now)
}

// loadTen runs a query for doc ids, then loads those articles' text, as a
// search page does.
func loadTen(ctx context.Context, conn *db.DB, query string, args ...any) error {
	ids, err := queryInts(ctx, conn, query, args...)
	if err != nil {
		return err
	}
	docs := make([]any, len(ids))
	for i, d := range ids {
		docs[i] = d
	}
	return loadDocs(ctx, conn, docs)
}

// queryInts runs a query of one integer column.
func queryInts(ctx context.Context, conn *db.DB, query string, args ...any) ([]int64, error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func loadDocs(ctx context.Context, conn *db.DB, docs []any) error {
	if len(docs) == 0 {
		return nil
	}
	rows, err := conn.QueryContext(ctx, `SELECT title, body FROM articles WHERE doc IN (`+strings.TrimSuffix(strings.Repeat("?,", len(docs)), ",")+`)`, docs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var title, body string
		rows.Scan(&title, &body)
	}
	return rows.Err()
}

// likeNewestTop10 scans with LIKE from the newest article back and stops
// at ten matches: fast when a word is common, a full scan when it is rare,
// and no relevance at all.
func likeNewestTop10(ctx context.Context, conn *db.DB, q string) error {
	where, args := likeWhere(q)
	return loadTen(ctx, conn, `SELECT doc FROM articles WHERE `+where+` ORDER BY doc DESC LIMIT 10`, args...)
}

// likeRankedTop10 is the naive way to rank: fetch every LIKE match and
// score it in Go by term counts (title three times) and the same decay.
func likeRankedTop10(ctx context.Context, conn *db.DB, q string, now int64) error {
	where, args := likeWhere(q)
	rows, err := conn.QueryContext(ctx, `SELECT doc, published_at, title, body FROM articles WHERE `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	terms := strings.Fields(strings.ToLower(q))
	type hit struct {
		doc   int64
		score float64
	}
	var hits []hit
	for rows.Next() {
		var doc, pub int64
		var title, body string
		if err := rows.Scan(&doc, &pub, &title, &body); err != nil {
			return err
		}
		title, body = strings.ToLower(title), strings.ToLower(body)
		score := 0.0
		for _, t := range terms {
			score += float64(3*strings.Count(title, t) + strings.Count(body, t))
		}
		hits = append(hits, hit{doc, score / (1 + float64(max(0, now-pub))/31536000)})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	var docs []any
	for i := range min(10, len(hits)) {
		docs = append(docs, hits[i].doc)
	}
	return loadDocs(ctx, conn, docs)
}

func likeWhere(q string) (string, []any) {
	var parts []string
	var args []any
	for _, t := range strings.Fields(q) {
		parts = append(parts, `(title LIKE ? OR lead LIKE ? OR body LIKE ?)`)
		p := "%" + t + "%"
		args = append(args, p, p, p)
	}
	return strings.Join(parts, " AND "), args
}
