package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Option describes one setting: where it may come from, its default and how
// it is checked.
type Option struct {
	Key     string // dotted key in the file, e.g. "wechat.gap"
	Flag    string // flag name without dashes; "" for none
	Env     string // environment variable; "" for none
	Kind    Kind
	Default string // text, parsed like any other source
	Help    string
	// Secret values are redacted everywhere. A secret has no flag, since
	// command lines are visible to every user through ps; a secret with an
	// Env can also be read from the file named by Env+"_FILE".
	Secret bool
	// Check, when set, runs on every resolved value. Its error explains
	// the fix, e.g. "must be one of text, json".
	Check func(v Value) error
}

// Source says where a resolved value came from.
type Source string

// Sources in order of precedence.
const (
	SourceFlag    Source = "flag"
	SourceEnv     Source = "env"
	SourceFile    Source = "file"
	SourceDefault Source = "default"
)

// Set is a table of options and their resolved values. Load must not run
// concurrently with reads.
type Set struct {
	opts    []Option
	index   map[string]int // Option.Key → position in opts
	values  []Value
	sources []Source
	origins []string // env variable, "-flag" or file path
}

// New checks the table and resolves every option to its default. A default
// that does not parse fails, and so does a non-empty default that fails its
// Check; an empty default may fail its Check on purpose, so that Load
// reports a required setting left unset.
func New(opts []Option) (*Set, error) {
	s := &Set{
		opts:    slices.Clone(opts),
		index:   make(map[string]int, len(opts)),
		values:  make([]Value, len(opts)),
		sources: make([]Source, len(opts)),
		origins: make([]string, len(opts)),
	}
	flags := make(map[string]int)   // flag → position in opts
	envs := make(map[string]string) // variable → key that claims it
	claimEnv := func(name, key string) error {
		if other, ok := envs[name]; ok {
			return fmt.Errorf("config: options %s and %s both use environment variable %s", other, key, name)
		}
		envs[name] = key
		return nil
	}
	for i, o := range s.opts {
		if err := checkOption(o); err != nil {
			return nil, fmt.Errorf("config: option %q: %w", o.Key, err)
		}
		if _, ok := s.index[o.Key]; ok {
			return nil, fmt.Errorf("config: option %s is defined twice", o.Key)
		}
		s.index[o.Key] = i
		if o.Flag != "" {
			if j, ok := flags[o.Flag]; ok {
				return nil, fmt.Errorf("config: options %s and %s both use flag -%s", s.opts[j].Key, o.Key, o.Flag)
			}
			flags[o.Flag] = i
		}
		if o.Env != "" {
			if err := claimEnv(o.Env, o.Key); err != nil {
				return nil, err
			}
			if o.Secret {
				if err := claimEnv(o.Env+"_FILE", o.Key); err != nil {
					return nil, err
				}
			}
		}
		v, err := parse(o.Kind, input{text: o.Default})
		if err == nil && o.Check != nil && o.Default != "" {
			err = o.Check(v)
		}
		if err != nil {
			fe := newFieldError(o, SourceDefault, "", input{text: o.Default}, err)
			return nil, fmt.Errorf("config: bad default in the options table: %w", fe)
		}
		s.values[i], s.sources[i] = v, SourceDefault
	}
	// A key that is also a section could not be written as nested YAML.
	for _, o := range s.opts {
		for p := o.Key; strings.Contains(p, "."); {
			p = p[:strings.LastIndexByte(p, '.')]
			if _, ok := s.index[p]; ok {
				return nil, fmt.Errorf("config: %s is both an option and the section of %s", p, o.Key)
			}
		}
	}
	return s, nil
}

func checkOption(o Option) error {
	switch {
	case o.Key == "" || strings.ContainsAny(o.Key, " \t\n") || slices.Contains(strings.Split(o.Key, "."), ""):
		return errors.New("key must be dotted words, like log.level")
	case o.Kind < String || o.Kind > List:
		return fmt.Errorf("invalid kind %s", o.Kind)
	case strings.HasPrefix(o.Flag, "-") || strings.ContainsAny(o.Flag, "= \t\n"):
		return fmt.Errorf("invalid flag name %q", o.Flag)
	case strings.ContainsAny(o.Env, "= \t\n"):
		return fmt.Errorf("invalid environment variable %q", o.Env)
	case o.Secret && o.Flag != "":
		return errors.New("a secret must not have a flag: command lines are visible in ps")
	}
	return nil
}

// Get returns the value of key. An unknown key is a programming error, so
// it panics.
func (s *Set) Get(key string) Value { return s.values[s.mustIndex(key)] }

// Source returns where the value of key came from.
func (s *Set) Source(key string) Source { return s.sources[s.mustIndex(key)] }

func (s *Set) mustIndex(key string) int {
	i, ok := s.index[key]
	if !ok {
		panic(fmt.Sprintf("config: unknown option %q", key))
	}
	return i
}

// Register defines a flag for every option that has one. Load reads back
// the flags the command line set; the others keep their lower sources.
func (s *Set) Register(fs *flag.FlagSet) {
	for _, o := range s.opts {
		if o.Flag == "" {
			continue
		}
		where := "file key " + o.Key
		if o.Env != "" {
			where = "env " + o.Env + ", " + where
		}
		fs.Var(&flagValue{text: o.Default, boolean: o.Kind == Bool}, o.Flag, o.Help+" ("+where+")")
	}
}

// Print writes the effective configuration, one option per line in table
// order, with secrets redacted.
func (s *Set) Print(w io.Writer) {
	var b strings.Builder
	for i, o := range s.opts {
		fmt.Fprintf(&b, "%s = %q (%s)\n", o.Key, redact(o, s.values[i].String()), describe(s.sources[i], s.origins[i]))
	}
	_, _ = io.WriteString(w, b.String())
}

const redacted = "******"

func redact(o Option, text string) string {
	if o.Secret && text != "" {
		return redacted
	}
	return text
}

func describe(src Source, origin string) string {
	if origin == "" {
		return string(src)
	}
	return string(src) + " " + origin
}

// flagValue holds a flag's text unparsed, so that a bad flag is reported by
// Load together with every other bad value instead of stopping flag.Parse.
type flagValue struct {
	text    string
	boolean bool
}

func (f *flagValue) String() string {
	if f == nil {
		return ""
	}
	return f.text
}

func (f *flagValue) Set(s string) error { f.text = s; return nil }

// IsBoolFlag lets a Bool option be given as a bare -name.
func (f *flagValue) IsBoolFlag() bool { return f != nil && f.boolean }
