// Command gse measures a dictionary segmenter, github.com/go-ego/gse, on
// the labelled unspaced queries that `wzbench split` measures the search
// index's own splitter on: its start-up time, its memory, and how many
// queries it splits right. It is a module of its own, so that wzdaily
// does not depend on gse:
//
//	cd cmd/wzbench/gse && go run . ../../../internal/gen/splitqueries.go
package main

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	"github.com/go-ego/gse"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . PATH/TO/internal/gen/splitqueries.go")
		os.Exit(2)
	}
	src, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	labels := regexp.MustCompile("(?s)const splitLabels = `(.*?)`").FindSubmatch(src)
	if labels == nil {
		fmt.Fprintln(os.Stderr, "no splitLabels in", os.Args[1])
		os.Exit(1)
	}
	rssBefore := rss()
	start := time.Now()
	var seg gse.Segmenter
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	load := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("| gse %s, embedded zh_s dictionary | load %.2f s | RSS %.0f MB after load (%.0f MB before) | Go heap %.0f MB |\n",
		version(), load.Seconds(), rss(), rssBefore, float64(ms.HeapAlloc)/1e6)
	for _, mode := range []struct {
		name string
		cut  func(string) []string
	}{
		{"Cut, HMM", func(s string) []string { return seg.Cut(s, true) }},
		{"Cut, no HMM", func(s string) []string { return seg.Cut(s, false) }},
		{"CutSearch, HMM", func(s string) []string { return seg.CutSearch(s, true) }},
	} {
		right, n := 0, 0
		var wrong []string
		start := time.Now()
		for _, line := range strings.Split(strings.TrimSpace(string(labels[1])), "\n") {
			text, alts, _ := strings.Cut(line, "=")
			text = strings.TrimSpace(text)
			n++
			var words []string
			for _, w := range mode.cut(text) {
				if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0 {
					words = append(words, w)
				}
			}
			got := strings.Join(words, " ")
			ok := false
			for _, alt := range strings.Split(alts, "|") {
				ok = ok || strings.TrimSpace(alt) == got
			}
			if ok {
				right++
			} else {
				wrong = append(wrong, text+" → "+got)
			}
		}
		fmt.Printf("| %s | right %d of %d | %.3f ms a query | wrong: %s |\n", mode.name, right, n,
			float64(time.Since(start))/1e6/float64(n), strings.Join(wrong, "; "))
	}
}

// rss returns the resident set size in MB, from /proc.
func rss() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb / 1000
		}
	}
	return 0
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/go-ego/gse" {
				return d.Version
			}
		}
	}
	return "?"
}
