package cli

import (
	"context"
	"fmt"
	"strings"

	"wzdaily/articles"
)

func runTags(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "tags", "", "Lists every tag with its number of articles: the site's tags, and topic tags from the topic table.")
	dbPath := dbFlag(fs, env)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return withStore(ctx, *dbPath, func(store *articles.Store) error {
		return printTags(ctx, env, store)
	})
}

func printTags(ctx context.Context, env *Env, store *articles.Store) error {
	tags, err := store.Tags(ctx)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		fmt.Fprintln(env.Stdout, "No articles yet. Run: wzdaily ingest")
		return nil
	}
	for _, t := range tags {
		kind := "site"
		if t.Topic {
			kind = "topic"
		}
		fmt.Fprintf(env.Stdout, "%6d  %s  (%s)\n", t.Count, t.Tag, kind)
	}
	return nil
}

func runArticles(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "articles", "", "Shows how many articles are stored and lists the newest.")
	dbPath := dbFlag(fs, env)
	tags := fs.String("tag", "", "only articles with these tags, comma-separated")
	limit := fs.Int("limit", 10, "how many to list (at most 500)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return withStore(ctx, *dbPath, func(store *articles.Store) error {
		q := articles.ListQuery{Tags: splitList(*tags), Limit: *limit}
		if err := checkTags(ctx, store, q.Tags); err != nil {
			return err
		}
		return printArticles(ctx, env, store, q)
	})
}

func printArticles(ctx context.Context, env *Env, store *articles.Store, q articles.ListQuery) error {
	st, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	if st.Articles == 0 {
		fmt.Fprintln(env.Stdout, "No articles yet. Run: wzdaily ingest")
		return nil
	}
	fmt.Fprintf(env.Stdout, "%d articles, published %s to %s.\n\n", st.Articles,
		st.Oldest.Format("2006-01-02"), st.Newest.Format("2006-01-02"))
	list, err := store.List(ctx, q)
	if err != nil {
		return err
	}
	for _, a := range list {
		fmt.Fprintf(env.Stdout, "%s  %s  [%s]\n    %s\n", a.ShownDate().Format("2006-01-02 15:04"), a.Title,
			strings.Join(a.AllTags(), " "), a.URL)
	}
	return nil
}
