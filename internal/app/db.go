package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

// Schemas lists every package's tables, in dependency order. All of them
// are always passed, so a file written by a newer program is recognised.
func Schemas() []db.Schema {
	return []db.Schema{articles.Schema(), subscribers.Schema(), digest.Schema()}
}

// Open opens the database at path with every package's schema.
func Open(ctx context.Context, path string, access db.Access) (*db.DB, error) {
	return db.OpenWith(ctx, path, db.Options{Access: access}, Schemas()...)
}

// builtinTopics, given to --topics, puts the built-in topic table back in
// force. A file of that name is given as ./builtin.
const builtinTopics = "builtin"

// TopicChoice is what --topics asked for, read before the database is
// opened so that a bad file changes nothing.
type TopicChoice struct {
	file  string // absolute; "" for the built-in table
	table *articles.Topics
}

// ReadTopics reads --topics: "" keeps the table in force (nil),
// "builtin" asks for the built-in one, anything else names a file that
// replaces it.
func ReadTopics(value string) (*TopicChoice, error) {
	switch value {
	case "":
		return nil, nil
	case builtinTopics:
		return &TopicChoice{}, nil
	}
	f, err := os.Open(value)
	if err != nil {
		return nil, fmt.Errorf("topic table: %w", err)
	}
	defer f.Close()
	t, err := articles.ParseTopics(f)
	if err != nil {
		return nil, fmt.Errorf("topic table %s: %w", value, err)
	}
	abs, err := filepath.Abs(value)
	if err != nil {
		return nil, fmt.Errorf("topic table %s: %w", value, err)
	}
	return &TopicChoice{file: abs, table: t}, nil
}

// Apply makes the choice the table in force in the store's database.
func (c *TopicChoice) Apply(ctx context.Context, store *articles.Store) (articles.TopicChange, error) {
	if c.table == nil {
		return store.ResetTopics(ctx)
	}
	return store.SetTopics(ctx, c.table, c.file)
}

// Use puts the chosen topic table in force, or takes up the one in force
// when none was chosen (a nil choice). A replacement is logged, with the
// number of articles tagged again. Over a database it may write, stored
// articles tagged with another table are tagged again: the first start of
// a version whose built-in table changed does that once.
func (c *TopicChoice) Use(ctx context.Context, store *articles.Store, readOnly bool) error {
	if c == nil {
		if readOnly {
			_, err := store.LoadTopics(ctx)
			return err
		}
		_, err := store.RetagIfChanged(ctx)
		return err
	}
	ch, err := c.Apply(ctx, store)
	if err != nil {
		return err
	}
	if ch.Changed || ch.Retagged > 0 {
		slog.Info("Replaced the topic table", slog.String("topics", TopicsName(ch.TopicsInForce)), slog.Int("articles_retagged", ch.Retagged))
	}
	return nil
}

// TopicsName names a table in force for people.
func TopicsName(in articles.TopicsInForce) string {
	n := fmt.Sprintf("%d topics", in.Topics)
	if in.Topics == 1 {
		n = "1 topic"
	}
	if in.Name == "" {
		return fmt.Sprintf("the built-in table (%s)", n)
	}
	return fmt.Sprintf("the table from %s (%s)", in.Name, n)
}

// DescribeUpgrades lists what a migration did: "articles 2 → 3, digest 4 → 5".
func DescribeUpgrades(ups []db.Upgrade) string {
	parts := make([]string, len(ups))
	for i, u := range ups {
		parts[i] = fmt.Sprintf("%s %d → %d", u.Schema, u.From, u.To)
	}
	return strings.Join(parts, ", ")
}

// DescribePending lists the schemas a migration would bring up:
// "articles at version 2 of 3".
func DescribePending(ups []db.Upgrade) string {
	parts := make([]string, len(ups))
	for i, u := range ups {
		parts[i] = fmt.Sprintf("%s at version %d of %d", u.Schema, u.From, u.To)
	}
	return strings.Join(parts, ", ")
}
