package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
)

// benchSplit measures how the search splits queries typed without spaces:
// against the hand-labelled gen.SplitQueries, for several cohesion
// thresholds, and what a relaxed search costs against the first pass.
// With dbPath it reads a database a `search -dir` run left; otherwise it
// builds one of n generated articles.
func benchSplit(ctx context.Context, n, reps int, dbPath string) error {
	var conn *db.DB
	if dbPath != "" {
		n = 0
		c, err := app.Open(ctx, dbPath, db.ReadOnly)
		if err != nil {
			return err
		}
		conn = c
		defer conn.Close()
	} else {
		postsDir, c, store, done, err := tempSetUp(ctx, n)
		if err != nil {
			return err
		}
		defer done()
		conn = c
		if _, err := store.Ingest(ctx, &source.Dir{FS: os.DirFS(postsDir), Label: "bench"}, articles.IngestOptions{}); err != nil {
			return err
		}
	}
	store := articles.NewStore(conn, articles.StoreOptions{})
	var count int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&count); err != nil {
		return err
	}
	queries := gen.SplitQueries()
	fmt.Printf("## Splitting queries typed without spaces, at %d articles\n\n", count)
	if dbPath != "" && n == 0 {
		fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench split -db %s -reps %d`  \n", filepath.Base(dbPath), reps)
	} else {
		fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench split -n %d -reps %d`  \n", n, reps)
	}
	fmt.Printf("Machine: %d CPUs (%s/%s), %s, run %s. %d hand-labelled queries (internal/gen/splitqueries.go).\n\n",
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), time.Now().Format("2006-01-02"), len(queries))
	fmt.Println("| cohesion threshold | split as labelled | ms a query (median) | wrong |\n|---|---|---|---|")
	for _, th := range []float64{0.02, 0.05, 0.1, 0.15, 0.2, 0.3} {
		right := 0
		var wrong []string
		var took []time.Duration
		for _, q := range queries {
			start := time.Now()
			words, err := store.Split(ctx, q.Text, th)
			took = append(took, time.Since(start))
			if err != nil {
				return err
			}
			got := strings.Join(words, " ")
			if labelled(q, got) {
				right++
			} else {
				wrong = append(wrong, q.Text+" → "+got)
			}
		}
		mark := ""
		if th == articles.SplitCohesion {
			mark = " (used)"
		}
		fmt.Printf("| %.2f%s | %d of %d | %s | %s |\n", th, mark, right, len(queries), ms(pct(took, .5)), strings.Join(wrong, "; "))
	}
	fmt.Println()

	// What a search costs when it has to split, against the first pass
	// alone, interleaved query by query.
	var exact, relaxed []time.Duration
	split := 0
	for range reps {
		for _, q := range queries {
			start := time.Now()
			if _, err := store.Search(ctx, articles.SearchQuery{Text: q.Text, Limit: 5}); err != nil {
				return err
			}
			exact = append(exact, time.Since(start))
			start = time.Now()
			res, err := store.Search(ctx, articles.SearchQuery{Text: q.Text, Limit: 5, Relax: true, Count: true})
			if err != nil {
				return err
			}
			relaxed = append(relaxed, time.Since(start))
			if res.Words != nil {
				split++
			}
		}
	}
	fmt.Println("| the labelled queries, as a search page asks (5 results) | median ms | p99 ms |\n|---|---|---|")
	fmt.Printf("| first pass only (exact) | %s | %s |\n", ms(pct(exact, .5)), ms(pct(exact, .99)))
	fmt.Printf("| relaxed, with the total: what the bot runs | %s | %s |\n\n", ms(pct(relaxed, .5)), ms(pct(relaxed, .99)))
	fmt.Printf("%d of %d queries found fewer than %d articles as typed and were split.\n", split/max(reps, 1), len(queries), articles.FewHits)
	return nil
}

// labelled reports whether words, joined by spaces, is one of q's right
// splits.
func labelled(q gen.SplitQuery, words string) bool {
	for _, w := range q.Words {
		if w == words {
			return true
		}
	}
	return false
}
