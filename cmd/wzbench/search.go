package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
)

type searchOptions struct {
	n, reps, likeReps int
	seed              int64
	dir               string
}

func benchSearch(ctx context.Context, o searchOptions) error {
	dir := o.dir
	if dir == "" {
		d, err := os.MkdirTemp("", "wzbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	fmt.Printf("## Search and ingest at %d articles\n\n", o.n)
	fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench search -n %d -reps %d -like-reps %d -seed %d`  \n", o.n, o.reps, o.likeReps, o.seed)
	fmt.Printf("Machine: %d CPUs (%s/%s), %s, run %s.\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), time.Now().Format("2006-01-02"))

	g, postsDir, conn, store, err := setUp(ctx, dir, o.n, o.seed)
	if err != nil {
		return err
	}
	defer conn.Close()

	// Ingest: read, parse, store and index every file, in batched transactions.
	start := time.Now()
	rep, err := store.Ingest(ctx, &source.Dir{FS: os.DirFS(postsDir), Label: "bench"}, articles.IngestOptions{})
	if err != nil {
		return err
	}
	ingest := time.Since(start)
	if rep.New+rep.Unchanged+rep.Rejected != o.n {
		return fmt.Errorf("ingest report %+v does not add up to %d", rep, o.n)
	}
	naiveN := min(o.n, 3000)
	naive, err := naiveIngest(ctx, g, filepath.Join(dir, "naive.db"), naiveN)
	if err != nil {
		return err
	}
	sizeBefore := dbSize(conn)
	optStart := time.Now()
	if err := store.Optimize(ctx); err != nil {
		return err
	}
	optimize := time.Since(optStart)
	size := dbSize(conn)
	fmt.Println("### Ingest")
	fmt.Println()
	fmt.Println("| measure | value |\n|---|---|")
	rate := float64(o.n) / ingest.Seconds()
	naiveRate := float64(naiveN) / naive.Seconds()
	fmt.Printf("| ingest from a folder of posts (read, parse, tag, store, index; batches of 2048) | %d posts in %.1f s = **%.0f posts/s** |\n", o.n, ingest.Seconds(), rate)
	fmt.Printf("| naive baseline: one transaction per post (first %d posts) | %.0f posts/s; ours is **%.1f×** |\n", naiveN, naiveRate, rate/naiveRate)
	fmt.Printf("| report | new %d, unchanged %d (reprints with the same id: none expected), rejected %d |\n", rep.New, rep.Unchanged, rep.Rejected)
	fmt.Printf("| database before / after FTS optimize (%.1f s) | %.1f MB / %.1f MB |\n", optimize.Seconds(), mb(sizeBefore), mb(size))
	fmt.Printf("| **size per 1,000 articles** | **%.2f MB** |\n\n", mb(size)/float64(o.n)*1000)

	queries := gen.Queries()
	printLatency(queries, timeQueries(queries, []runner{
		{"ours", o.reps, func(q string) error {
			_, err := store.Search(ctx, articles.SearchQuery{Text: q, Limit: 10})
			return err
		}},
		{"ours, as the bot asks (relaxed, with the total)", o.reps, func(q string) error {
			_, err := store.Search(ctx, articles.SearchQuery{Text: q, Limit: 10, Relax: true, Count: true})
			return err
		}},
		{"SQLite bm25(), whole match set", o.reps, func(q string) error { return builtinTop10(ctx, conn, q) }},
		{"LIKE scan, ranked in Go", o.likeReps, func(q string) error { return likeRankedTop10(ctx, conn, q) }},
		{"LIKE scan, newest first", o.likeReps, func(q string) error { return likeNewestTop10(ctx, conn, q) }},
	}))
	printRare(ctx, store, conn, o.reps)
	return printRecall(ctx, store, conn, queries)
}

// rareQueries match few or no articles: a typo of 梧州, and combinations.
// They are outside the mix, shown apart: where a LIKE scan that stops at
// ten matches must read the whole table.
var rareQueries = []string{"梧洲", "龟苓膏 iPhone", "藤县 暴雨 G80", "qwerty"}

func printRare(ctx context.Context, store *articles.Store, conn *db.DB, reps int) {
	fmt.Println("### Queries with few or no matches (outside the mix), median ms")
	fmt.Println()
	fmt.Println("| query | matches | ours | LIKE scan, newest first |\n|---|---|---|---|")
	for _, q := range rareQueries {
		var ours, like []time.Duration
		for range reps {
			start := time.Now()
			store.Search(ctx, articles.SearchQuery{Text: q, Limit: 10})
			ours = append(ours, time.Since(start))
			start = time.Now()
			likeNewestTop10(ctx, conn, q)
			like = append(like, time.Since(start))
		}
		n, _ := store.Matching(ctx, q)
		fmt.Printf("| %s | %d | %s | %s |\n", q, len(n), ms(pct(ours, .5)), ms(pct(like, .5)))
	}
	fmt.Println()
}

func writePosts(g *gen.Generator, dir string, n int) error {
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from, to := w*n/2, (w+1)*n/2
			errs[w] = g.WriteDir(dir, from, to)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// naiveIngest stores n posts the way a simple bot would: one transaction
// each.
func naiveIngest(ctx context.Context, g *gen.Generator, path string, n int) (time.Duration, error) {
	conn, err := db.Open(ctx, path, articles.Schema())
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	store := articles.NewStore(conn, articles.StoreOptions{})
	start := time.Now()
	for i := range n {
		p := g.Post(i)
		a, err := source.ParsePost(p.Name, p.Raw, source.PostOptions{})
		if err != nil {
			continue
		}
		if _, err := store.Save(ctx, a); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

func dbSize(conn *db.DB) int64 {
	var pages, size int64
	conn.QueryRow(`PRAGMA page_count`).Scan(&pages)
	conn.QueryRow(`PRAGMA page_size`).Scan(&size)
	return pages * size
}

func mb(b int64) float64 { return float64(b) / 1e6 }

// runner is one way to answer a query, timed reps times a query.
type runner struct {
	name string
	reps int
	run  func(string) error
}

// timeQueries times every query with every runner, round after round in a
// new random order, each query's runners one right after the other: a
// machine that slows down or speeds up during the run (a shared 2-core
// one does) then weighs on every series alike, as it would not if each
// series ran after the one before.
func timeQueries(queries []gen.Query, runners []runner) []series {
	out := make([]series, len(runners))
	rounds := 0
	for i, r := range runners {
		out[i] = series{name: r.name, times: map[string][]time.Duration{}}
		rounds = max(rounds, r.reps)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	order := make([]int, len(queries))
	for i := range order {
		order[i] = i
	}
	for round := range rounds {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			q := queries[i].Text
			for k, r := range runners {
				if round >= r.reps {
					continue
				}
				start := time.Now()
				if err := r.run(q); err != nil {
					fmt.Fprintf(os.Stderr, "%s, query %q: %v\n", r.name, q, err)
				}
				out[k].times[q] = append(out[k].times[q], time.Since(start))
			}
		}
	}
	return out
}

// builtinTop10 is notes/search.md's design: SQLite's bm25() over every
// match, divided by the same recency decay.
func builtinTop10(ctx context.Context, conn *db.DB, q string) error {
	expr := articles.MatchExpression(q)
	return loadTen(ctx, conn, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?
		ORDER BY bm25(articles_fts, 3.0, 1.0) / (1.0 + max(0, ?2 - (rowid >> 7) * 3600) / 31536000.0) LIMIT 11`, expr, time.Now().Unix())
}

// loadTen runs a query for doc ids, then loads those articles' text, as a
// search page does.
func loadTen(ctx context.Context, conn *db.DB, query string, args ...any) error {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	var docs []any
	for rows.Next() {
		var d int64
		rows.Scan(&d)
		docs = append(docs, d)
	}
	rows.Close()
	return loadDocs(ctx, conn, docs)
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
func likeRankedTop10(ctx context.Context, conn *db.DB, q string) error {
	where, args := likeWhere(q)
	rows, err := conn.QueryContext(ctx, `SELECT doc, published_at, title, body FROM articles WHERE `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	terms := strings.Fields(strings.ToLower(q))
	now := time.Now().Unix()
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

func pct(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := int(p*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/1e6) }

type series struct {
	name  string
	times map[string][]time.Duration
}

func printLatency(queries []gen.Query, all []series) {
	var classes []string
	seen := map[string]bool{}
	for _, q := range queries {
		if !seen[q.Class] {
			seen[q.Class] = true
			classes = append(classes, q.Class)
		}
	}
	collect := func(s series, class string) []time.Duration {
		var out []time.Duration
		for _, q := range queries {
			if class == "" || q.Class == class {
				out = append(out, s.times[q.Text]...)
			}
		}
		return out
	}
	fmt.Println("### Search: top 10 with snippets, median / p99 (ms)")
	fmt.Println()
	header := "| class |"
	rule := "|---|"
	for _, s := range all {
		header += " " + s.name + " |"
		rule += "---|"
	}
	fmt.Println(header + "\n" + rule)
	for _, c := range append(classes, "") {
		name := c
		if c == "" {
			name = "**all**"
		}
		line := "| " + name + " |"
		for _, s := range all {
			d := collect(s, c)
			line += fmt.Sprintf(" %s / %s |", ms(pct(d, .5)), ms(pct(d, .99)))
		}
		fmt.Println(line)
	}
	ours := collect(all[0], "")
	fmt.Printf("\nSamples: %d per series for ours and bm25(), %d for the LIKE series (fewer rounds: each takes seconds).\n\n", len(ours), len(collect(all[len(all)-1], "")))
	fmt.Println("| ratio to ours | median | p99 |\n|---|---|---|")
	for _, s := range all[1:] {
		d := collect(s, "")
		fmt.Printf("| %s ÷ ours | %.1f× | %.1f× |\n", s.name, float64(pct(d, .5))/float64(pct(ours, .5)), float64(pct(d, .99))/float64(pct(ours, .99)))
	}
	type slow struct {
		q string
		d time.Duration
	}
	var worst []slow
	for q, ds := range all[0].times {
		worst = append(worst, slow{q, pct(ds, .5)})
	}
	sort.Slice(worst, func(i, j int) bool { return worst[i].d > worst[j].d })
	fmt.Print("\nSlowest queries, ours (median ms): ")
	for i := range min(5, len(worst)) {
		fmt.Printf("%s %s; ", worst[i].q, ms(worst[i].d))
	}
	fmt.Println()
	fmt.Println()
}

func printRecall(ctx context.Context, store *articles.Store, conn *db.DB, queries []gen.Query) error {
	fmt.Println("### Result sets against the LIKE scan")
	fmt.Println()
	fmt.Println("| query | class | LIKE matches | ours | missing | extra |\n|---|---|---|---|---|---|")
	identical := 0
	for _, q := range queries {
		got, err := store.Matching(ctx, q.Text)
		if err != nil {
			return err
		}
		where, args := likeWhere(q.Text)
		rows, err := conn.QueryContext(ctx, `SELECT seq FROM articles WHERE `+where+` ORDER BY seq`, args...)
		if err != nil {
			return err
		}
		var want []int64
		for rows.Next() {
			var s int64
			rows.Scan(&s)
			want = append(want, s)
		}
		rows.Close()
		missing, extra := diff(want, got)
		if missing == 0 && extra == 0 {
			identical++
		}
		fmt.Printf("| %s | %s | %d | %d | %d | %d |\n", q.Text, q.Class, len(want), len(got), missing, extra)
	}
	fmt.Printf("\n**Identical result sets: %d of %d queries.**\n", identical, len(queries))
	return nil
}

// diff counts elements of want missing from got and of got not in want;
// both are sorted.
func diff(want, got []int64) (missing, extra int) {
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j == len(got) || (i < len(want) && want[i] < got[j]):
			missing++
			i++
		case i == len(want) || got[j] < want[i]:
			extra++
			j++
		default:
			i++
			j++
		}
	}
	return missing, extra
}
