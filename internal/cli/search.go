package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"wzdaily/articles"
)

func runSearch(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "search", "QUERY…", `Searches stored articles. Words are ANDed; each matches anywhere in the title
or text, as a substring, in Chinese or Latin script; full-width and case do not matter.
A query typed without spaces that finds fewer than 3 articles as it is, such as
梧州工业, is split into the words it is made of (梧州, 工业), and the output says so.

  wzdaily search 梧州 工业
  wzdaily search 梧州工业
  wzdaily search 茶 --tag 梧州日报新闻 --limit 5 --page 2`)
	dbPath := dbFlag(fs, env)
	tags := fs.String("tag", "", "only articles with these tags, comma-separated")
	limit := fs.Int("limit", 10, "results per page (at most 50)")
	page := fs.Int("page", 1, "which page of results")
	from := fs.String("from", "", "only articles published on or after this day (YYYY-MM-DD, Asia/Shanghai)")
	to := fs.String("to", "", "only articles published before this day (YYYY-MM-DD)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: what should I search for? For example: wzdaily search 西江", errUsage)
	}
	if *limit < 1 || *limit > 50 || *page < 1 {
		return fmt.Errorf("%w: --limit must be 1 to 50 and --page at least 1", errUsage)
	}
	q := articles.SearchQuery{Text: strings.Join(pos, " "), Tags: splitList(*tags), Limit: *limit, Offset: (*page - 1) * *limit,
		Relax: true, Count: true}
	if q.From, err = parseDay(*from); err != nil {
		return err
	}
	if q.To, err = parseDay(*to); err != nil {
		return err
	}
	if err := checkDays(q.From, q.To); err != nil {
		return err
	}
	return withStore(ctx, *dbPath, func(store *articles.Store) error {
		if err := checkTags(ctx, store, q.Tags); err != nil {
			return err
		}
		return printSearch(ctx, env.Stdout, store, q)
	})
}

func printSearch(ctx context.Context, w io.Writer, store *articles.Store, q articles.SearchQuery) error {
	res, err := store.Search(ctx, q)
	if errors.Is(err, articles.ErrEmptyQuery) {
		fmt.Fprintln(w, "Nothing to search for: use letters, digits or Chinese characters.")
		return nil
	}
	if err != nil {
		return err
	}
	if len(res.Hits) == 0 {
		if q.Offset > 0 {
			fmt.Fprintf(w, "No more results for %s.\n", strings.Join(res.Terms, " "))
		} else {
			fmt.Fprintf(w, "Nothing found for %s.\n", strings.Join(res.Terms, " "))
		}
		return nil
	}
	terms := strings.Join(res.Terms, " ")
	switch {
	case res.Words != nil && res.Exact == 0:
		fmt.Fprintf(w, "Nothing found for %s as typed; articles with all of %s:\n", terms, strings.Join(res.Words, ", "))
	case res.Words != nil:
		fmt.Fprintf(w, "%s as typed: %d, listed first; then articles with all of %s.\n", terms, res.Exact, strings.Join(res.Words, ", "))
	}
	if res.TotalOver {
		fmt.Fprintf(w, "More than %d found.\n", res.Total)
	} else {
		fmt.Fprintf(w, "%d found.\n", res.Total)
	}
	for i, h := range res.Hits {
		a := h.Article
		fmt.Fprintf(w, "%d. %s\n   %s · %s\n   %s\n   %s\n", q.Offset+i+1, h.Title.Mark("【", "】", nil),
			a.ShownDate().Format("2006-01-02 15:04"), strings.Join(a.AllTags(), " "),
			h.Snippet.Mark("【", "】", nil), a.URL)
	}
	if res.More {
		fmt.Fprintf(w, "More results: add --page %d\n", q.Offset/max(q.Limit, 1)+2)
	}
	return nil
}

func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q is not a day like 2026-11-26", errUsage, s)
	}
	return t, nil
}
