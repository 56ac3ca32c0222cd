package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestVersionPrintsBuildInformation(t *testing.T) {
	var out bytes.Buffer
	if code := Run(context.Background(), &Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}, []string{"version"}); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	for _, want := range []string{"wzdaily ", "\ncommit  ", "\ngo      go1.", "\ntags    ", "sqlite_fts5"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}
