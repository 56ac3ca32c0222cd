package fakecmd

import (
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func TestFlagsAndParse(t *testing.T) {
	var usage strings.Builder
	fs := Flags("fake-x", "Runs a fake x.", &usage)
	addr := fs.String("addr", "127.0.0.1:1", "where to listen")
	if err := Parse(fs, []string{"--addr", "127.0.0.1:2"}); err != nil || *addr != "127.0.0.1:2" {
		t.Fatalf("Parse = %v, addr %q", err, *addr)
	}
	if err := Parse(fs, []string{"serve"}); err == nil || err.Error() != `unexpected argument "serve"` {
		t.Errorf("an argument: %v", err)
	}
	if !strings.HasPrefix(usage.String(), "Usage: go run -tags sqlite_fts5 ./cmd/fake-x [flags]\n\nRuns a fake x.\n\nFlags:\n") || !strings.Contains(usage.String(), "where to listen") {
		t.Errorf("usage = %q", usage.String())
	}
	if err := Parse(Flags("fake-x", "", io.Discard), []string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
}

func TestLinesEndsWithTheInputOrTheContext(t *testing.T) {
	lines, readErr := Lines(context.Background(), strings.NewReader("开始\n订阅 工业\n搜索"))
	var got []string
	for l := range lines {
		got = append(got, l)
	}
	if strings.Join(got, "|") != "开始|订阅 工业|搜索" || readErr() != nil {
		t.Errorf("lines %q, error %v", got, readErr())
	}

	lines, readErr = Lines(context.Background(), iotest.ErrReader(errors.New("broken pipe")))
	for range lines {
	}
	if err := readErr(); err == nil || err.Error() != "broken pipe" {
		t.Errorf("a failing input: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	in, w := io.Pipe()
	defer w.Close()
	lines, _ = Lines(ctx, in)
	go func() { _, _ = io.WriteString(w, "one\ntwo\n") }()
	<-lines
	cancel()
	select {
	case _, ok := <-lines:
		for ok {
			_, ok = <-lines
		}
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked: the lines did not end with the context")
	}
}
