package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
	"wzdaily/web"
)

// benchWeb times the reader's web's server side at n generated articles:
// article pages, search pages and feeds (of a tag, of a search), each
// against a naive way to the same data timed in the same interleaved
// rounds. Requests go to the handler directly: server time, no network.
func benchWeb(ctx context.Context, n, reps int) error {
	postsDir, conn, store, done, err := tempSetUp(ctx, n)
	if err != nil {
		return err
	}
	defer done()
	start := time.Now()
	if _, err := store.Ingest(ctx, &source.Dir{FS: os.DirFS(postsDir), Label: "bench"}, articles.IngestOptions{}); err != nil {
		return err
	}
	fmt.Printf("ingested %d posts in %.0f s\n", n, time.Since(start).Seconds())
	st, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	// The clock at the newest article, as a live site's is: the ranking
	// decays with age.
	now := func() time.Time { return st.Newest }
	srv, err := web.New(web.Options{Articles: articles.NewStore(conn, articles.StoreOptions{Now: now}), Now: now,
		SearchRate: web.Rate{PerSecond: 1e9, Burst: 1 << 30}, FeedRate: web.Rate{PerSecond: 1e9, Burst: 1 << 30}})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ids, err := queryStrings(ctx, conn, `SELECT id FROM articles ORDER BY random() LIMIT 200`)
	if err != nil {
		return err
	}
	tags, err := store.Tags(ctx)
	if err != nil {
		return err
	}
	queries := gen.Queries()
	type kind struct {
		name       string
		ours       func(i int) string // a path
		naive      func(i int) error
		oursT, nvT []time.Duration
	}
	kinds := []*kind{
		{name: "article page", ours: func(i int) string { return "/a/" + url.PathEscape(ids[i%len(ids)]) },
			naive: func(i int) error { return naiveArticle(ctx, conn, ids[i%len(ids)]) }},
		{name: "search page", ours: func(i int) string { return "/search?q=" + url.QueryEscape(queries[i%len(queries)].Text) },
			naive: func(i int) error { return likeRankedTop10(ctx, conn, queries[i%len(queries)].Text, st.Newest.Unix()) }},
		{name: "tag feed", ours: func(i int) string { return "/feeds/tag/" + url.PathEscape(tags[i%len(tags)].Tag) + ".xml" },
			naive: func(i int) error { return naiveTagFeed(ctx, conn, tags[i%len(tags)].Tag) }},
		{name: "search feed", ours: func(i int) string { return "/feeds/search?q=" + url.QueryEscape(queries[i%len(queries)].Text) },
			naive: func(i int) error { return likeNewestTop10(ctx, conn, queries[i%len(queries)].Text) }},
	}
	for round := range reps {
		for _, k := range rng.Perm(len(kinds) * 2) {
			kd, naive := kinds[k/2], k%2 == 1
			i := round*7 + k
			t0 := time.Now()
			if naive {
				if err := kd.naive(i); err != nil {
					return fmt.Errorf("%s, naive: %w", kd.name, err)
				}
				kd.nvT = append(kd.nvT, time.Since(t0))
				continue
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, kd.ours(i), nil))
			d := time.Since(t0)
			if w.Code != http.StatusOK {
				return fmt.Errorf("%s %s: %d", kd.name, kd.ours(i), w.Code)
			}
			kd.oursT = append(kd.oursT, d)
		}
	}
	fmt.Printf("\n%d articles, %d requests of each kind, load average %s\n\n", n, reps, loadAverage())
	fmt.Println("| request | ours p50 ms | ours p99 ms | naive p50 ms | naive p99 ms | naive / ours at p99 |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, k := range kinds {
		fmt.Printf("| %s | %s | %s | %s | %s | %.1f× |\n", k.name, ms(pct(k.oursT, 0.5)), ms(pct(k.oursT, 0.99)),
			ms(pct(k.nvT, 0.5)), ms(pct(k.nvT, 0.99)), float64(pct(k.nvT, 0.99))/float64(pct(k.oursT, 0.99)))
	}
	return nil
}

// naiveArticle loads the article and the articles published within a
// week of it by published_at, which no index orders: what the page's
// related articles would cost without the index's order by the hour.
func naiveArticle(ctx context.Context, conn *db.DB, id string) error {
	var pub int64
	if err := conn.QueryRowContext(ctx, `SELECT published_at FROM articles WHERE id = ?`, id).Scan(&pub); err != nil {
		return err
	}
	_, err := queryStrings(ctx, conn, `SELECT title FROM articles WHERE published_at BETWEEN ? AND ? ORDER BY published_at DESC LIMIT 200`,
		pub-7*86400, pub+7*86400)
	return err
}

// naiveTagFeed is a tag's 20 newest by published_at, which no index
// orders: every article of the tag is read and sorted.
func naiveTagFeed(ctx context.Context, conn *db.DB, tag string) error {
	_, err := queryStrings(ctx, conn, `SELECT a.body FROM articles a WHERE a.seq IN (SELECT seq FROM article_tags WHERE tag = ?)
		ORDER BY a.published_at DESC LIMIT 20`, tag)
	return err
}

func queryStrings(ctx context.Context, conn *db.DB, query string, args ...any) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, strings.Clone(s))
	}
	return out, rows.Err()
}
