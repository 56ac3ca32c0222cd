package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
	"wzdaily/internal/sample"
)

// benchIngest times only the ingest of n generated posts from a folder.
func benchIngest(ctx context.Context, n int, cpuprofile string) error {
	postsDir, conn, store, done, err := tempSetUp(ctx, n)
	if err != nil {
		return err
	}
	defer done()
	defer profile(cpuprofile)()
	start := time.Now()
	rep, err := store.Ingest(ctx, &source.Dir{FS: os.DirFS(postsDir), Label: "bench"}, articles.IngestOptions{})
	if err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Printf("ingest: %d posts (new %d) in %.2f s = %.0f posts/s; database %.1f MB\n", rep.Read, rep.New, d.Seconds(), float64(rep.Read)/d.Seconds(), mb(dbSize(conn)))
	return nil
}

// tempSetUp is setUp in a temporary folder; done closes the store and
// removes the folder.
func tempSetUp(ctx context.Context, n int) (postsDir string, conn *db.DB, store *articles.Store, done func(), err error) {
	dir, err := os.MkdirTemp("", "wzbench-")
	if err != nil {
		return "", nil, nil, nil, err
	}
	_, postsDir, conn, store, err = setUp(ctx, dir, n, 1)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, nil, nil, err
	}
	return postsDir, conn, store, func() { conn.Close(); os.RemoveAll(dir) }, nil
}

// setUp writes n generated posts under dir and opens an empty store there.
// The posts end before the generator's end date, however many there are.
func setUp(ctx context.Context, dir string, n int, seed int64) (*gen.Generator, string, *db.DB, *articles.Store, error) {
	g, err := gen.NewWithOptions(sample.FS(), gen.DefaultOptions(seed).Fit(n))
	if err != nil {
		return nil, "", nil, nil, err
	}
	postsDir := filepath.Join(dir, "site")
	if err := writePosts(g, postsDir, 0, n); err != nil {
		return nil, "", nil, nil, err
	}
	conn, err := app.Open(ctx, filepath.Join(dir, "bench.db"), db.Create)
	if err != nil {
		return nil, "", nil, nil, err
	}
	return g, postsDir, conn, articles.NewStore(conn, articles.StoreOptions{}), nil
}
