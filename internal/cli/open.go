package cli

import (
	"context"
	"time"

	"wzdaily/articles"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
)

// openStore opens the database and an article store over it, which tags
// with the topic table in force in the database.
func openStore(ctx context.Context, path string, access db.Access) (*db.DB, *articles.Store, error) {
	conn, err := app.Open(ctx, path, access)
	if err != nil {
		return nil, nil, err
	}
	store := articles.NewStore(conn, articles.StoreOptions{Now: time.Now})
	if _, err := store.LoadTopics(ctx); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, store, nil
}

// withStore opens the database at path read-only for one command and
// closes it after.
func withStore(ctx context.Context, path string, fn func(*articles.Store) error) error {
	conn, store, err := openStore(ctx, path, db.ReadOnly)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(store)
}
