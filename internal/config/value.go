package config

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of an option's value.
type Kind int

// The zero Kind is invalid, so an option that forgets its Kind fails New.
const (
	String Kind = iota + 1
	Int
	Bool
	Duration
	List // comma-separated text, or a YAML sequence in the file
)

// String returns the kind's name, as used in messages.
func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Int:
		return "int"
	case Bool:
		return "bool"
	case Duration:
		return "duration"
	case List:
		return "list"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Value is a parsed setting. Reading it as the wrong kind panics: that is a
// mistake in the code, not in the configuration.
type Value struct {
	kind Kind
	text string
	n    int
	b    bool
	d    time.Duration
	list []string
}

// Kind returns the kind the value was parsed as.
func (v Value) Kind() Kind { return v.kind }

// String returns the text the value was parsed from, without surrounding
// spaces; list items are joined with commas.
func (v Value) String() string { return v.text }

// Int returns the value of an Int option.
func (v Value) Int() int { v.must(Int); return v.n }

// Bool returns the value of a Bool option.
func (v Value) Bool() bool { v.must(Bool); return v.b }

// Duration returns the value of a Duration option.
func (v Value) Duration() time.Duration { v.must(Duration); return v.d }

// List returns a copy of the items of a List option.
func (v Value) List() []string { v.must(List); return slices.Clone(v.list) }

func (v Value) must(k Kind) {
	if v.kind != k {
		panic(fmt.Sprintf("config: %s value read as %s", v.kind, k))
	}
}

// input is one setting as a source gave it, before parsing. Items are set
// when the file holds a YAML sequence, whose items may contain commas.
type input struct {
	text  string
	items []string
	seq   bool
}

// parse turns text into a Value of kind k. The error is the reason shown to
// the operator; it never repeats the text, which may be a secret.
func parse(k Kind, in input) (Value, error) {
	if in.seq && k != List {
		return Value{}, errors.New("must be a single value, not a list")
	}
	text := strings.TrimSpace(in.text)
	v := Value{kind: k, text: text}
	switch k {
	case String:
	case Int:
		n, err := strconv.Atoi(text)
		if errors.Is(err, strconv.ErrRange) {
			return Value{}, errors.New("number out of range")
		}
		if err != nil {
			return Value{}, errors.New("not a whole number; write it like 42")
		}
		v.n = n
	case Bool:
		b, ok := parseBool(text)
		if !ok {
			return Value{}, errors.New("not a boolean; write true or false")
		}
		v.b = b
	case Duration:
		d, ok := parseDuration(text)
		if !ok {
			return Value{}, errors.New("not a duration; write it like 5s or 1m30s")
		}
		v.d = d
	case List:
		items := in.items
		if !in.seq {
			items = strings.Split(text, ",")
		}
		v.list = []string{}
		for _, it := range items {
			if it = strings.TrimSpace(it); it != "" {
				v.list = append(v.list, it)
			}
		}
		v.text = strings.Join(v.list, ",")
	default:
		return Value{}, fmt.Errorf("unknown kind %s", k)
	}
	return v, nil
}

// parseBool accepts the spellings operators write in shell environments.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, true
	case "0", "false", "no", "off":
		return false, true
	}
	return false, false
}

// parseDuration accepts Go syntax plus whole days ("30d"), since retention
// periods are naturally counted in days and Go has no unit for them.
func parseDuration(s string) (time.Duration, bool) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		const limit = math.MaxInt64 / int64(24*time.Hour)
		if err != nil || n > limit || n < -limit {
			return 0, false
		}
		return time.Duration(n) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}
