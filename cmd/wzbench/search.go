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

	"golang.org/x/sys/unix"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

type searchOptions struct {
	sizes          []int // ascending: one corpus grows through each size
	reps, likeReps int
	seed           int64
	dir            string
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
	last := o.sizes[len(o.sizes)-1]
	list := joinSizes(o.sizes, ",")
	if len(o.sizes) == 1 {
		fmt.Printf("## Search and ingest at %d articles\n\n", last)
	} else {
		fmt.Printf("## Search and ingest at %s articles, one corpus grown through each size\n\n", joinSizes(o.sizes, ", "))
	}
	fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench search -n %s -reps %d -like-reps %d -seed %d`  \n", list, o.reps, o.likeReps, o.seed)
	fmt.Printf("Machine: %d CPUs (%s/%s), %s, run %s.\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), time.Now().Format("2006-01-02"))

	// One generator for the largest size, so that the corpus ends before
	// the generator's end date; each smaller size is its first posts.
	g, err := gen.NewWithOptions(sample.FS(), gen.DefaultOptions(o.seed).Fit(last))
	if err != nil {
		return err
	}
	conn, err := db.Open(ctx, filepath.Join(dir, "bench.db"), articles.Schema(), subscribers.Schema())
	if err != nil {
		return err
	}
	defer conn.Close()
	store := articles.NewStore(conn, articles.StoreOptions{})
	var stages []*stage
	from := 0
	for i, n := range o.sizes {
		label := ""
		if len(o.sizes) > 1 {
			label = fmt.Sprintf(" at %d articles", n)
		}
		if err := grow(ctx, g, dir, conn, store, from, n, label); err != nil {
			return err
		}
		st, err := freeze(ctx, dir, conn, n, i == len(o.sizes)-1)
		if err != nil {
			return err
		}
		if st.conn != conn {
			defer st.conn.Close()
		}
		st.label = label
		stages = append(stages, st)
		from = n
	}

	queries := gen.Queries()
	var runners []runner
	for _, st := range stages {
		runners = append(runners, st.runners(ctx, o.reps, o.likeReps)...)
	}
	load := loadAverage()
	all := timeQueries(queries, runners)
	if load != "" {
		fmt.Printf("Load average over a minute (%d CPUs) as the searches' timing began and ended: %s, %s.\n\n", runtime.NumCPU(), load, loadAverage())
	}
	per := len(all) / len(stages)
	for i, st := range stages {
		printLatency(queries, all[i*per:(i+1)*per], st.label)
	}
	if len(stages) > 1 {
		var ours []series
		for i := range stages {
			ours = append(ours, all[i*per])
		}
		printGrowth(queries, stages, ours)
	}
	for _, st := range stages {
		printRare(ctx, st, o.reps)
	}
	for _, st := range stages {
		if err := printRecall(ctx, st, queries); err != nil {
			return err
		}
	}
	return nil
}

// grow ingests posts [from, to) into the store, as a site's archive grows
// into a database that holds the posts before from, merges the index, and
// prints what that took. From an empty database it also times the naive
// way to ingest.
func grow(ctx context.Context, g *gen.Generator, dir string, conn *db.DB, store *articles.Store, from, to int, label string) error {
	postsDir := filepath.Join(dir, fmt.Sprintf("site-%d", to))
	if err := writePosts(g, postsDir, from, to); err != nil {
		return err
	}
	defer os.RemoveAll(postsDir)
	start := time.Now()
	rep, err := store.Ingest(ctx, &source.Dir{FS: os.DirFS(postsDir), Label: "bench"}, articles.IngestOptions{})
	if err != nil {
		return err
	}
	ingest := time.Since(start)
	if rep.New+rep.Unchanged+rep.Rejected != to-from {
		return fmt.Errorf("ingest report %+v does not add up to %d", rep, to-from)
	}
	sizeBefore := dbSize(conn)
	optStart := time.Now()
	if err := store.Optimize(ctx); err != nil {
		return err
	}
	optimize := time.Since(optStart)
	size := dbSize(conn)
	fmt.Printf("### Ingest%s\n\n", label)
	fmt.Println("| measure | value |\n|---|---|")
	rate := float64(to-from) / ingest.Seconds()
	if from == 0 {
		fmt.Printf("| ingest from a folder of posts (read, parse, tag, store, index; batches of 2048) | %d posts in %.1f s = **%.0f posts/s** |\n", to, ingest.Seconds(), rate)
		naiveN := min(to, 3000)
		naive, err := naiveIngest(ctx, g, filepath.Join(dir, "naive.db"), naiveN)
		if err != nil {
			return err
		}
		naiveRate := float64(naiveN) / naive.Seconds()
		fmt.Printf("| naive baseline: one transaction per post (first %d posts) | %.0f posts/s; ours is **%.1f×** |\n", naiveN, naiveRate, rate/naiveRate)
	} else {
		fmt.Printf("| ingest from a folder of posts into the database of %d (read, parse, tag, store, index; batches of 2048) | %d posts in %.1f s = **%.0f posts/s** |\n", from, to-from, ingest.Seconds(), rate)
	}
	fmt.Printf("| report | new %d, unchanged %d (reprints with the same id: none expected), rejected %d |\n", rep.New, rep.Unchanged, rep.Rejected)
	fmt.Printf("| database before / after FTS optimize (%.1f s) | %.1f MB / %.1f MB |\n", optimize.Seconds(), mb(sizeBefore), mb(size))
	fmt.Printf("| **size per 1,000 articles** | **%.2f MB** |\n\n", mb(size)/float64(to)*1000)
	return nil
}

// runners are the ways to answer a query at this stage: ours and the
// baselines.
func (st *stage) runners(ctx context.Context, reps, likeReps int) []runner {
	now := st.now.Unix()
	return []runner{
		{"ours", reps, func(q string) error {
			_, err := st.store.Search(ctx, articles.SearchQuery{Text: q, Limit: 10})
			return err
		}},
		{"ours, as the bot asks (relaxed, with the total)", reps, func(q string) error {
			_, err := st.store.Search(ctx, articles.SearchQuery{Text: q, Limit: 10, Relax: true, Count: true})
			return err
		}},
		{"SQLite bm25(), whole match set", reps, func(q string) error { return builtinTop10(ctx, st.conn, q, now) }},
		{"LIKE scan, ranked in Go", likeReps, func(q string) error { return likeRankedTop10(ctx, st.conn, q, now) }},
		{"LIKE scan, newest first", likeReps, func(q string) error { return likeNewestTop10(ctx, st.conn, q) }},
	}
}

// rareQueries match few or no articles: a typo of 梧州, and combinations.
// They are outside the mix, shown apart: where a LIKE scan that stops at
// ten matches must read the whole table.
var rareQueries = []string{"梧洲", "龟苓膏 iPhone", "藤县 暴雨 G80", "qwerty"}

func printRare(ctx context.Context, st *stage, reps int) {
	store, conn := st.store, st.conn
	fmt.Printf("### Queries with few or no matches (outside the mix)%s, median ms\n", st.label)
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

// writePosts writes posts [from, to) under dir, on two cores.
func writePosts(g *gen.Generator, dir string, from, to int) error {
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := to - from
			errs[w] = g.WriteDir(dir, from+w*n/2, from+(w+1)*n/2)
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
// series ran after the one before. The runners' order changes from query
// to query too, so that no series always runs after the same one (after a
// LIKE scan, say, which leaves the CPU's caches full of other pages).
//
// Each query's CPU time is taken too: the time the thread running it
// spent on a CPU. A query runs on the calling goroutine's thread, cgo
// included, and the goroutine is locked to its thread, so that is the
// query's own work without the time it waited for a CPU, which under a
// shared machine's load is most of the wall time's tail.
func timeQueries(queries []gen.Query, runners []runner) []series {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	out := make([]series, len(runners))
	rounds := 0
	for i, r := range runners {
		out[i] = series{name: r.name, times: map[string][]time.Duration{}, cpu: map[string][]time.Duration{}}
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
			for _, k := range rng.Perm(len(runners)) {
				r := runners[k]
				if round >= r.reps {
					continue
				}
				start, startCPU := time.Now(), threadCPU()
				if err := r.run(q); err != nil {
					fmt.Fprintf(os.Stderr, "%s, query %q: %v\n", r.name, q, err)
				}
				out[k].times[q] = append(out[k].times[q], time.Since(start))
				out[k].cpu[q] = append(out[k].cpu[q], threadCPU()-startCPU)
			}
		}
	}
	return out
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
	times map[string][]time.Duration // wall time, by query
	cpu   map[string][]time.Duration // CPU time of the thread, by query
}

// threadCPU returns the CPU time the calling thread has used.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// loadAverage is the system's load average over the last minute, from
// /proc/loadavg; "" where there is none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	return strings.Fields(string(b))[0]
}

// classes lists the query classes in the order of the mix, then "" for
// all of them.
func classes(queries []gen.Query) []string {
	var out []string
	seen := map[string]bool{}
	for _, q := range queries {
		if !seen[q.Class] {
			seen[q.Class] = true
			out = append(out, q.Class)
		}
	}
	return append(out, "")
}

func className(c string) string {
	if c == "" {
		return "**all**"
	}
	return c
}

// of returns the series' wall times for the queries of a class ("" for
// all).
func (s series) of(queries []gen.Query, class string) []time.Duration {
	return byClass(s.times, queries, class)
}

// cpuOf returns the series' CPU times for the queries of a class.
func (s series) cpuOf(queries []gen.Query, class string) []time.Duration {
	return byClass(s.cpu, queries, class)
}

func byClass(times map[string][]time.Duration, queries []gen.Query, class string) []time.Duration {
	var out []time.Duration
	for _, q := range queries {
		if class == "" || q.Class == class {
			out = append(out, times[q.Text]...)
		}
	}
	return out
}

func printLatency(queries []gen.Query, all []series, label string) {
	collect := func(s series, class string) []time.Duration { return s.of(queries, class) }
	fmt.Printf("### Search%s: top 10 with snippets, median / p99 (ms)\n", label)
	fmt.Println()
	header := "| class |"
	rule := "|---|"
	for _, s := range all {
		header += " " + s.name + " |"
		rule += "---|"
	}
	fmt.Println(header + "\n" + rule)
	for _, c := range classes(queries) {
		line := "| " + className(c) + " |"
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

func printRecall(ctx context.Context, st *stage, queries []gen.Query) error {
	store, conn := st.store, st.conn
	fmt.Printf("### Result sets against the LIKE scan%s\n", st.label)
	fmt.Println()
	fmt.Println("| query | class | LIKE matches | ours | missing | extra |\n|---|---|---|---|---|---|")
	identical := 0
	for _, q := range queries {
		got, err := store.Matching(ctx, q.Text)
		if err != nil {
			return err
		}
		where, args := likeWhere(q.Text)
		want, err := queryInts(ctx, conn, `SELECT seq FROM articles WHERE `+where+` ORDER BY seq`, args...)
		if err != nil {
			return err
		}
		missing, extra := diff(want, got)
		if missing == 0 && extra == 0 {
			identical++
		}
		fmt.Printf("| %s | %s | %d | %d | %d | %d |\n", q.Text, q.Class, len(want), len(got), missing, extra)
	}
	fmt.Printf("\n**Identical result sets: %d of %d queries.**\n\n", identical, len(queries))
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
