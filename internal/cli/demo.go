package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"wzdaily/articles"
)

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "", `Starts at once with no account and no network: a fresh database (in a temporary
folder unless --db is given) holding the real posts built into the program. Type a
search on each line; an empty line or end of input quits.`)
	dbPath := fs.String("db", "", "keep the demo database in this file instead of a temporary one")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	path := *dbPath
	if path == "" {
		dir, err := os.MkdirTemp("", "wzdaily-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	}
	conn, store, err := openStore(ctx, path, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	rep, err := store.Ingest(ctx, sampleSource(DefaultSite), articles.IngestOptions{})
	if err != nil {
		return err
	}
	printReport(env.Stdout, rep)
	fmt.Fprintln(env.Stdout, "\nType words to search (for example 工业, 美元 港股, 5G); an empty line quits.")
	in := bufio.NewScanner(env.Stdin)
	in.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		fmt.Fprint(env.Stdout, "> ")
		if !in.Scan() {
			fmt.Fprintln(env.Stdout)
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		if line == "" {
			return nil
		}
		if err := printSearch(ctx, env.Stdout, store, articles.SearchQuery{Text: line, Limit: 5}); err != nil {
			return err
		}
	}
}
