// Package fakecmd holds what the fakes' own commands (cmd/fake-telegram,
// cmd/fake-wechat, cmd/fake-oa) share: their main, their usage, and the
// reading of what a person types into their console.
package fakecmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Run is a command's body: it serves until ctx ends or stdin does.
type Run func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// Main runs run on the process's arguments and streams, with a context
// that SIGINT and SIGTERM end, and exits with status 1 and "name: error"
// when it fails. Asking for --help is no failure.
func Main(name string, run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Flags returns the flag set of the command cmd/name, whose usage says how
// to run it, then about, then the flags.
func Flags(name, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run -tags sqlite_fts5 ./cmd/%s [flags]\n\n%s\n\nFlags:\n", name, about)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args into fs and refuses what is not a flag.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// Lines sends the lines of in, one by one, until in ends or ctx does; then
// it closes the channel, after which readErr reports a read error, if any.
// The reading goroutine stays blocked in in.Read after ctx ends if in never
// returns (a terminal's stdin); that is harmless in a command that exits
// next.
func Lines(ctx context.Context, in io.Reader) (lines <-chan string, readErr func() error) {
	out := make(chan string)
	var err error
	go func() {
		defer close(out)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case out <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		err = sc.Err() // read after close(out), which orders it
	}()
	return out, func() error { return err }
}
