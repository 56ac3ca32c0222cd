package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"wzdaily/articles"
	"wzdaily/internal/app"
)

func runTags(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "tags", "", `Lists every tag with its number of articles: the site's tags, and topic tags from the topic table.

  wzdaily tags --why 202112082206753163    which words gave the article which topics`)
	dbPath := dbFlag(fs, env)
	why := fs.String("why", "", "an article's id (the last part of its address, before .html): show which rules and words gave it its topics")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: tags takes no arguments; for one article: wzdaily tags --why ID", errUsage)
	}
	return withStore(ctx, *dbPath, func(store *articles.Store) error {
		if *why != "" {
			return printWhy(ctx, env, store, *why)
		}
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
	current, err := store.TopicsCurrent(ctx)
	if err != nil {
		return err
	}
	if !current {
		fmt.Fprintln(env.Stdout, "\nThe topic tags were given by another table than the one in force (the built-in table of an older version?); "+
			"they are given again at the next serve, ingest or migrate.")
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

// printWhy says which rules of the table in force gave an article its
// topics, and which words.
func printWhy(ctx context.Context, env *Env, store *articles.Store, id string) error {
	a, err := store.Get(ctx, strings.TrimSuffix(strings.TrimSpace(id), ".html"))
	if errors.Is(err, articles.ErrNotFound) {
		return fmt.Errorf("no stored article has the id %q: the id is the last part of its address, as in …/202112082206753163.html", id)
	}
	if err != nil {
		return err
	}
	in, err := store.LoadTopics(ctx)
	if err != nil {
		return err
	}
	ex := store.ExplainTopics(a)
	w := env.Stdout
	fmt.Fprintf(w, "%s  %s\n", a.ID, a.Title)
	rules := "no section of their own, so the general rules"
	if ex.Section != "" {
		rules = fmt.Sprintf("the rules of section [%s]", ex.Section)
	}
	fmt.Fprintf(w, "Categories %s: %s of %s.\n", orNone(a.Categories), rules, app.TopicsName(in))
	fmt.Fprintf(w, "A topic needs %d points: a word in the title gives 2, a sentence of the body with a word 1.\n", ex.Min)
	if len(ex.Stopped) > 0 {
		fmt.Fprintf(w, "Stop phrases taken out first: %s\n", describeWords(ex.Stopped))
	}
	var given []string
	if len(ex.Topics) == 0 {
		fmt.Fprintln(w, "No topic word found.")
	}
	for _, t := range ex.Topics {
		verdict := "not enough"
		if t.Tagged {
			verdict = "tagged"
			given = append(given, t.Topic)
		}
		fmt.Fprintf(w, "  %s  %d %s, %s\n", t.Topic, t.Points, plural(t.Points, "point", "points"), verdict)
		var counted, not []articles.WordCount
		for _, wc := range t.Words {
			if wc.Counted {
				counted = append(counted, wc)
			} else {
				not = append(not, wc)
			}
		}
		if len(counted) > 0 {
			fmt.Fprintf(w, "      %s\n", describeWords(counted))
		}
		if len(not) > 0 {
			fmt.Fprintf(w, "      not counted: %s\n", describeWords(not))
		}
	}
	fmt.Fprintf(w, "Stored tags: %s\n", orNone(a.AllTags()))
	if stored := slices.Sorted(slices.Values(a.Topics)); !slices.Equal(stored, slices.Sorted(slices.Values(given))) {
		fmt.Fprintf(w, "The stored topic tags differ from what the table in force gives (%s): they were given by another table, "+
			"and are given again at the next serve, ingest or migrate.\n", orNone(given))
	}
	return nil
}

// describeWords lists words with where they were found: "注射 ×4 in the
// body, 召回 in the title (a title word)".
func describeWords(list []articles.WordCount) string {
	parts := make([]string, len(list))
	for i, wc := range list {
		p := wc.Word
		if wc.Count > 1 {
			p += fmt.Sprintf(" ×%d", wc.Count)
		}
		if wc.InTitle {
			p += " in the title"
		} else {
			p += " in the body"
		}
		switch {
		case wc.Kind == "title" && !wc.Counted:
			p += " (counts only in the title)"
		case wc.Kind == "place" && !wc.Counted:
			p += " (counts only in a clause that names a place)"
		case wc.Kind == "place":
			p += " (next to a place)"
		}
		parts[i] = p
	}
	return strings.Join(parts, ", ")
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
