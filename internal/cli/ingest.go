package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/internal/sample"
)

// DefaultSite and DefaultCategory are where 梧州日报 is published.
const (
	DefaultSite     = "https://finews.withounder.com"
	DefaultCategory = "wuzhouribao"
)

func runIngest(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "ingest", "[FOLDER | URL]", `Brings articles in and prints what it read: new, updated, unchanged, rejected (with reasons).

  wzdaily ingest                       poll the site's 梧州日报 category over HTTP
  wzdaily ingest ./finews              read a clone of the site's repository (_posts/, old_post/)
  wzdaily ingest https://example.org   poll another copy of the site
  wzdaily ingest --sample              the sample of real posts built into the program
  wzdaily ingest --feed                only the site's Atom feed (the 10 newest posts of the whole site)

A second run reads only what is new or changed.`)
	dbPath := dbFlag(fs, env)
	categories := fs.String("category", DefaultCategory, "categories to keep, comma-separated (a folder: empty keeps all)")
	tags := fs.String("tag", "", "for a folder or the feed: also keep posts with these site tags, comma-separated")
	siteURL := fs.String("site", DefaultSite, "the site's address, for article links and HTTP polling")
	useSample := fs.Bool("sample", false, "ingest the bundled sample of real posts")
	feed := fs.Bool("feed", false, "poll the site's Atom feed instead of the category pages")
	revalidate := fs.Bool("revalidate", false, "over HTTP, ask again (conditionally) for posts already stored, to pick up edits")
	topics := fs.String("topics", "", "a topic table file (the format of the built-in one, articles/topics.txt) to put in force instead of the one in force now; "+
		"it stays in force for every later run and for serve; \"builtin\" goes back to the built-in table")
	timeout := fs.Duration("timeout", 20*time.Second, "over HTTP, the timeout of each request")
	maxPosts := fs.Int("max-posts", source.DefaultMaxPosts, "over HTTP, post pages fetched from one category page at most; the rest come in the next runs")
	quiet := fs.Bool("quiet", false, "no progress bar")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("%w: give one folder or URL, not %d", errUsage, len(pos))
	}
	if *maxPosts < 1 {
		return fmt.Errorf("%w: --max-posts must be at least 1", errUsage)
	}
	choice, err := app.ReadTopics(*topics)
	if err != nil {
		return err
	}
	conn, store, err := openStore(ctx, *dbPath, db.Create)
	if err != nil {
		return err
	}
	defer conn.Close()
	if ups := conn.Upgrades(); len(ups) > 0 && !conn.Created() {
		fmt.Fprintf(env.Stdout, "%s: migrated %s\n", *dbPath, app.DescribeUpgrades(ups))
	}
	if choice != nil {
		ch, err := choice.Apply(ctx, store)
		if err != nil {
			return err
		}
		if ch.Changed || ch.Retagged > 0 {
			fmt.Fprintf(env.Stdout, "topics: %s is now in force; %d articles tagged again\n", app.TopicsName(ch.TopicsInForce), ch.Retagged)
		}
	}

	filter := source.Filter{Categories: splitList(*categories), Tags: splitList(*tags)}
	fetcher := source.NewFetcher(source.FetcherOptions{Client: &http.Client{}, Timeout: *timeout, Version: buildVersion()})
	var srcs []articles.Source
	switch {
	case *useSample:
		srcs = append(srcs, sampleSource(*siteURL))
	case len(pos) == 1 && !isURL(pos[0]):
		d, err := source.OpenDir(pos[0])
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		d.Post, d.Match = source.PostOptions{SiteURL: *siteURL}, filter
		srcs = append(srcs, d)
	default:
		base := *siteURL
		if len(pos) == 1 {
			base = pos[0]
		}
		if *feed {
			srcs = append(srcs, &source.Feed{URL: strings.TrimRight(base, "/") + "/feed.xml", Fetcher: fetcher, Match: filter})
			break
		}
		if len(filter.Categories) == 0 {
			return fmt.Errorf("%w: polling the site needs at least one --category", errUsage)
		}
		for _, c := range filter.Categories {
			srcs = append(srcs, &source.Site{BaseURL: base, Category: c, Fetcher: fetcher, Revalidate: *revalidate, MaxPosts: *maxPosts})
		}
	}
	var failed error
	for _, src := range srcs {
		rep, err := ingestWithProgress(ctx, env, store, src, !*quiet)
		printReport(env.Stdout, rep)
		if err != nil {
			failed = err
		}
	}
	return failed
}

// sampleSource reads the posts built into the program.
func sampleSource(siteURL string) articles.Source {
	return &source.Dir{FS: sample.FS(), Label: "sample", Post: source.PostOptions{SiteURL: siteURL}}
}

func ingestWithProgress(ctx context.Context, env *Env, store *articles.Store, src articles.Source, bar bool) (articles.Report, error) {
	var pb *progressbar.ProgressBar
	opts := articles.IngestOptions{}
	if bar && isTerminal(env.Stderr) {
		opts.Progress = func(done, expected int) {
			// A bar is worth drawing only for a backfill.
			if pb == nil && expected >= 200 {
				pb = progressbar.NewOptions(expected, progressbar.OptionSetWriter(env.Stderr),
					progressbar.OptionSetDescription("ingest"), progressbar.OptionShowCount(),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			if pb != nil {
				pb.Set(done)
			}
		}
	}
	rep, err := store.Ingest(ctx, src, opts)
	if pb != nil {
		pb.Finish()
	}
	return rep, err
}

func printReport(w io.Writer, rep articles.Report) {
	fmt.Fprintf(w, "%s: read %d, new %d, updated %d, unchanged %d, rejected %d",
		rep.Source, rep.Read, rep.New, rep.Updated, rep.Unchanged, rep.Rejected)
	if rep.Skipped > 0 {
		fmt.Fprintf(w, ", skipped %d (other categories)", rep.Skipped)
	}
	if rep.Gone > 0 {
		fmt.Fprintf(w, ", gone %d (pages no longer on the site)", rep.Gone)
	}
	if rep.Left > 0 {
		fmt.Fprintf(w, ", %d left for the next run", rep.Left)
	}
	if rep.Empty {
		fmt.Fprint(w, "; no current posts (the category page is absent)")
	}
	if rep.Interrupted {
		fmt.Fprint(w, "; interrupted")
	}
	fmt.Fprintln(w)
	for _, r := range rep.Rejections {
		fmt.Fprintf(w, "  %v\n", r)
	}
}

// isTerminal reports whether an input or output is a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
