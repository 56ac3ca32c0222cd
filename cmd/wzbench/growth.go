package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
	"wzdaily/subscribers"
)

// growthTarget is how much slower search may get at the largest size than
// at the smallest: p99 at 300k articles at most 1.5 times p99 at 100k.
const growthTarget = 1.5

// stage is the corpus at one size: its database, and a store whose clock
// stands at the corpus's newest article, as a live site's does. A smaller
// size's corpus is the oldest posts of the largest one; searched at the
// real time, all of it would be years old, and the recency decay, which
// lets a search stop early, would not tell its articles apart.
type stage struct {
	n     int
	label string // " at N articles" when several sizes are measured
	conn  *db.DB
	store *articles.Store
	now   time.Time
}

// freeze returns the stage at size n: the live database when it is the
// last size, else a copy of it, so that growing further leaves the copy as
// it was and every size can be searched in the same rounds.
func freeze(ctx context.Context, dir string, conn *db.DB, n int, last bool) (*stage, error) {
	var newest int64
	if err := conn.QueryRowContext(ctx, `SELECT max(published_at) FROM articles`).Scan(&newest); err != nil {
		return nil, fmt.Errorf("unable to read the newest article: %w", err)
	}
	st := &stage{n: n, conn: conn, now: time.Unix(newest, 0)}
	if !last {
		path := filepath.Join(dir, fmt.Sprintf("bench-%d.db", n))
		if err := copyDB(ctx, conn, path); err != nil {
			return nil, err
		}
		c, err := db.Open(ctx, path, articles.Schema(), subscribers.Schema())
		if err != nil {
			return nil, err
		}
		st.conn = c
	}
	st.store = articles.NewStore(st.conn, articles.StoreOptions{Now: func() time.Time { return st.now }})
	return st, nil
}

// copyDB copies the database file page for page, after a checkpoint has
// moved the write-ahead log into it. VACUUM INTO would write a compacted
// copy: not the database as it grew.
func copyDB(ctx context.Context, conn *db.DB, path string) error {
	var busy, logPages, moved int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &moved); err != nil {
		return fmt.Errorf("unable to checkpoint %s: %w", conn.Path(), err)
	}
	if busy != 0 {
		return errors.New("unable to checkpoint the database: it is in use")
	}
	src, err := os.Open(conn.Path())
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("unable to copy %s: %w", conn.Path(), err)
	}
	return dst.Close()
}

// printGrowth compares ours at every size with ours at the first, all
// timed in the same rounds: wall time, and the CPU time that excludes the
// waits for a CPU that other work on the machine causes.
func printGrowth(queries []gen.Query, stages []*stage, ours []series) {
	first, last := stages[0], stages[len(stages)-1]
	fmt.Printf("### Growth: ours at each size, median / p99 (ms), timed in the same rounds\n\n")
	header, rule := "| class |", "|---|"
	for _, kind := range []string{"wall", "CPU"} {
		for _, st := range stages {
			header += fmt.Sprintf(" %s, %d |", kind, st.n)
			rule += "---|"
		}
		for _, st := range stages[1:] {
			header += fmt.Sprintf(" %s p99 %d ÷ %d |", kind, st.n, first.n)
			rule += "---|"
		}
	}
	fmt.Println(header + "\n" + rule)
	// all and worst (over classes) of the last size's p99 ratio, wall
	// and CPU.
	var all, worst [2]float64
	for _, c := range classes(queries) {
		line := "| " + className(c) + " |"
		for kind, of := range []func(series, []gen.Query, string) []time.Duration{series.of, series.cpuOf} {
			for _, s := range ours {
				d := of(s, queries, c)
				line += fmt.Sprintf(" %s / %s |", ms(pct(d, .5)), ms(pct(d, .99)))
			}
			base := pct(of(ours[0], queries, c), .99)
			var r float64
			for _, s := range ours[1:] {
				r = float64(pct(of(s, queries, c), .99)) / float64(base)
				line += fmt.Sprintf(" %.2f× |", r)
			}
			if c == "" {
				all[kind] = r
			} else {
				worst[kind] = max(worst[kind], r)
			}
		}
		fmt.Println(line)
	}
	fmt.Printf("\nTarget: p99 at %d articles at most %.1f× p99 at %d.\n", last.n, growthTarget, first.n)
	for kind, name := range []string{"Wall time", "CPU time"} {
		met := "met"
		if all[kind] > growthTarget || worst[kind] > growthTarget {
			met = "not met"
		}
		fmt.Printf("%s: **%s**, %.2f× over all queries, at most %.2f× in a class.\n", name, met, all[kind], worst[kind])
	}
	fmt.Println()
}

// parseSizes reads -n: one size, or ascending sizes separated by commas.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-n %q: want article counts such as 100000 or 100000,300000", s)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, fmt.Errorf("-n %q: sizes must grow", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func joinSizes(sizes []int, sep string) string {
	parts := make([]string, len(sizes))
	for i, n := range sizes {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, sep)
}
