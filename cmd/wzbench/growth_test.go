package main

import (
	"slices"
	"testing"
)

func TestParseSizes(t *testing.T) {
	cases := map[string]struct {
		in   string
		want []int // nil: an error
	}{
		"one size":          {"100000", []int{100000}},
		"growth":            {"100000,300000", []int{100000, 300000}},
		"spaces":            {"200, 300", []int{200, 300}},
		"shrinking":         {"300000,100000", nil},
		"the same twice":    {"300,300", nil},
		"zero":              {"0", nil},
		"not a number":      {"100k", nil},
		"empty":             {"", nil},
		"trailing comma":    {"100,", nil},
		"negative":          {"-5", nil},
		"three sizes grown": {"1,2,3", []int{1, 2, 3}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := parseSizes(c.in)
			if c.want == nil {
				if err == nil {
					t.Errorf("parseSizes(%q) = %v, want an error", c.in, got)
				}
				return
			}
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("parseSizes(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
		})
	}
}
