package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

// schemas lists every package's tables, in dependency order. All of them
// are always passed, so a file written by a newer program is recognised.
func schemas() []db.Schema {
	return []db.Schema{articles.Schema(), subscribers.Schema(), digest.Schema()}
}

func openDB(ctx context.Context, path string) (*db.DB, error) {
	return db.Open(ctx, path, schemas()...)
}

// openStore opens the database and an article store over it, with the
// topic table from file when one is given.
func openStore(ctx context.Context, path, topicsFile string) (*db.DB, *articles.Store, error) {
	topics, err := loadTopics(topicsFile)
	if err != nil {
		return nil, nil, err
	}
	conn, err := openDB(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return conn, articles.NewStore(conn, articles.StoreOptions{Topics: topics, Now: time.Now}), nil
}

func loadTopics(path string) (*articles.Topics, error) {
	if path == "" {
		return articles.DefaultTopics(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("topic table: %w", err)
	}
	defer f.Close()
	t, err := articles.ParseTopics(f)
	if err != nil {
		return nil, fmt.Errorf("topic table %s: %w", path, err)
	}
	return t, nil
}

// withStore opens the database at path for one command and closes it after.
func withStore(ctx context.Context, path string, fn func(*articles.Store) error) error {
	conn, store, err := openStore(ctx, path, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(store)
}
