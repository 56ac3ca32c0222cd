// Package cli parses the command line and runs one command.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"wzdaily/internal/db"
)

// Env is what a command may touch of the outside world.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "try the bot at once: a fresh database with the bundled sample articles", runDemo},
		{"serve", "run the bot: poll the site, compose digests on schedule, deliver them", runServe},
		{"officialaccount", "officialaccount menu: install the Official Account's menu (今日摘要 · 搜索 · 我的订阅)", runOfficialAccount},
		{"config", "config check: print the settings serve would use, or what is wrong with them", runConfig},
		{"backup", "an online, consistent copy of the database, while the bot runs", runBackup},
		{"migrate", "create the database, or bring it up to this version's schema", runMigrate},
		{"digest", "preview a subscriber's digest, compose due digests, list dead letters", runDigest},
		{"subscribers", "list the chats that follow the paper, with their ids, state, tags and next digest", runSubscribers},
		{"ingest", "bring articles in from the site, a folder, or the bundled sample", runIngest},
		{"search", "search stored articles (Chinese and Latin, any substring)", runSearch},
		{"articles", "list the newest stored articles", runArticles},
		{"tags", "list tags with their article counts", runTags},
		{"version", "print the version", runVersion},
	}
}

// errUsage marks an error the user can fix by changing the command line;
// it exits with status 2.
var errUsage = errors.New("usage")

// Run runs the command named by args[0] and returns the exit status.
func Run(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return Run(ctx, env, []string{args[1], "--help"})
		}
		usage(env.Stdout)
		return 0
	}
	// Every command refuses to run without FTS5, naming the missing flag:
	// otherwise the failure would surface only at the first search.
	if err := db.CheckFTS5(ctx); err != nil {
		fmt.Fprintln(env.Stderr, "wzdaily:", err)
		return 1
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		switch {
		case err == nil || errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(env.Stderr, "wzdaily %s: %v\n", c.name, strings.TrimPrefix(err.Error(), "usage: "))
			return 2
		default:
			fmt.Fprintf(env.Stderr, "wzdaily %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "wzdaily: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "wzdaily: the 梧州日报 digest bot.")
	fmt.Fprintln(w, "\nUsage: wzdaily <command> [flags] [arguments]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'wzdaily <command> --help' for a command's flags.")
	fmt.Fprintln(w, "Build and run with the SQLite FTS5 tag: go run -tags sqlite_fts5 . <command>")
}

// newFlags returns a flag set that prints its usage to env.Stderr and
// returns errors instead of exiting.
func newFlags(env *Env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: wzdaily %s [flags] %s\n\n%s\n\nFlags:\n", name, args, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags wherever they appear among the arguments, so
// "search 梧州 --tag 工业" works as well as "search --tag 工业 梧州".
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dbFlag adds --db, whose default comes from WZDAILY_DB.
func dbFlag(fs *flag.FlagSet, env *Env) *string {
	def := env.Getenv("WZDAILY_DB")
	if def == "" {
		def = "wzdaily.db"
	}
	return fs.String("db", def, "the SQLite database file (environment: WZDAILY_DB)")
}

// OSEnv returns the process's own environment.
func OSEnv() *Env {
	return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}
