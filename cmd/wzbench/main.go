// Command wzbench measures the article store at scale against naive
// baselines run in the same process, and prints Markdown for
// docs/BENCHMARKS.md:
//
//	go run -tags sqlite_fts5 ./cmd/wzbench search -n 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: wzbench search|split|ingest|bot|telegram|deliver|compose|web [flags]")
		os.Exit(2)
	}
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "search":
		fs := flag.NewFlagSet("search", flag.ExitOnError)
		n := fs.String("n", "100000", "articles to generate; ascending sizes such as 100000,300000 grow one corpus through each and time every size in the same rounds")
		reps := fs.Int("reps", 5, "timed rounds over the query mix, ours")
		likeReps := fs.Int("like-reps", 3, "timed rounds over the query mix, LIKE baseline")
		seed := fs.Int64("seed", 1, "generator seed")
		dir := fs.String("dir", "", "work folder (default: a temporary one, removed after)")
		cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run (ingest and searches) to this file")
		fs.Parse(os.Args[2:])
		sizes, perr := parseSizes(*n)
		if perr != nil {
			fmt.Fprintln(os.Stderr, "wzbench:", perr)
			os.Exit(2)
		}
		defer profile(*cpuprofile)()
		err = benchSearch(ctx, searchOptions{sizes: sizes, reps: *reps, likeReps: *likeReps, seed: *seed, dir: *dir})
	case "split":
		fs := flag.NewFlagSet("split", flag.ExitOnError)
		n := fs.Int("n", 20000, "articles to generate")
		reps := fs.Int("reps", 5, "timed rounds over the labelled queries")
		dbPath := fs.String("db", "", "a database a `search -dir` run left, instead of generating one")
		fs.Parse(os.Args[2:])
		err = benchSplit(ctx, *n, *reps, *dbPath)
	case "ingest":
		fs := flag.NewFlagSet("ingest", flag.ExitOnError)
		n := fs.Int("n", 20000, "articles to generate")
		cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the ingest to this file")
		fs.Parse(os.Args[2:])
		err = benchIngest(ctx, *n, *cpuprofile)
	case "compose":
		fs := flag.NewFlagSet("compose", flag.ExitOnError)
		n := fs.Int("n", 100000, "subscribers")
		naive := fs.Int("naive", 5000, "subscribers to time the naive way on")
		cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
		fs.Parse(os.Args[2:])
		defer profile(*cpuprofile)()
		err = benchCompose(ctx, *n, *naive)
	case "deliver":
		fs := flag.NewFlagSet("deliver", flag.ExitOnError)
		n := fs.Int("n", 600, "chats to deliver to")
		fs.Parse(os.Args[2:])
		err = benchDeliver(ctx, *n)
	case "telegram":
		fs := flag.NewFlagSet("telegram", flag.ExitOnError)
		rate := fs.Int("rate", 200, "updates a second")
		seconds := fs.Int("seconds", 30, "how long to send them")
		users := fs.Int("users", 1000, "simulated users")
		n := fs.Int("articles", 20000, "generated articles to search")
		deliver := fs.Int("deliver", 1500, "chats for the delivery measurement")
		fs.Parse(os.Args[2:])
		err = benchTelegram(ctx, *rate, *seconds, *users, *n, *deliver)
	case "web":
		fs := flag.NewFlagSet("web", flag.ExitOnError)
		n := fs.Int("n", 100000, "articles to generate")
		reps := fs.Int("reps", 400, "requests of each kind, ours and naive")
		fs.Parse(os.Args[2:])
		err = benchWeb(ctx, *n, *reps)
	case "bot":
		fs := flag.NewFlagSet("bot", flag.ExitOnError)
		users := fs.Int("users", 1000, "simulated users, all at once")
		per := fs.Int("commands", 10, "commands per user")
		n := fs.Int("articles", 20000, "generated articles to search")
		think := fs.Duration("think", 3*time.Second, "mean pause between a user's commands")
		cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
		fs.Parse(os.Args[2:])
		defer profile(*cpuprofile)()
		err = benchBot(ctx, *users, *per, *n, *think)
	default:
		err = fmt.Errorf("unknown benchmark %q", os.Args[1])
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "wzbench:", err)
		os.Exit(1)
	}
}

// profile starts a CPU profile into path ("" for none) and returns what
// stops it.
func profile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pprof.StartCPUProfile(f)
	return pprof.StopCPUProfile
}
