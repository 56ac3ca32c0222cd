package config

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// readFile reads the YAML config file into dotted keys. Settings may nest
// (telegram: {token: x}) or be written dotted at any level
// ("telegram.token": x). A null value (key: or key: ~) leaves the option to
// its default, so a template can list keys without setting them.
//
// The error is for a file that cannot be read or parsed at all; problems
// with single keys come back as FieldErrors so that Load reports them with
// the bad values.
func readFile(path string, known map[string]int) (map[string]input, Errors, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("config: unable to read config file: %w", err)
	}
	return decodeFile(path, data, known)
}

// decodeFile is readFile once the bytes are read; path is for messages.
func decodeFile(path string, data []byte, known map[string]int) (map[string]input, Errors, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("config: unable to parse config file %s: %w", path, err)
	}
	w := walker{path: path, known: known, values: make(map[string]input)}
	for k := range known {
		w.depth = max(w.depth, strings.Count(k, ".")+1)
	}
	if len(doc.Content) == 0 {
		return w.values, nil, nil
	}
	root := deref(doc.Content[0])
	switch {
	case root.Kind == yaml.MappingNode:
		w.walk("", root, 1)
	case root.Tag != "!!null":
		return nil, nil, fmt.Errorf("config: unable to parse config file %s: line %d: expected a map of settings", path, root.Line)
	}
	return w.values, w.problems, nil
}

type walker struct {
	path     string
	known    map[string]int
	depth    int // of the deepest key; walking stops there
	values   map[string]input
	lines    map[string]int
	problems Errors
}

// walk reads the mapping m found under prefix, at nesting level level.
// Stopping at the deepest known key also ends aliases that contain
// themselves (a: &x {b: *x}), which would otherwise recurse forever.
func (w *walker) walk(prefix string, m *yaml.Node, level int) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := deref(m.Content[i]), deref(m.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			w.problem(prefix, fmt.Sprintf("line %d: a key must be a plain name", k.Line))
			continue
		}
		key := k.Value
		if prefix != "" {
			key = prefix + "." + key
		}
		if _, ok := w.known[key]; !ok {
			if v.Kind == yaml.MappingNode && level < w.depth {
				w.walk(key, v, level+1)
			} else {
				w.problem(key, "unknown key"+w.suggest(key))
			}
			continue
		}
		if first, ok := w.lines[key]; ok {
			w.problem(key, fmt.Sprintf("set twice in the file, on lines %d and %d", first, k.Line))
			continue
		}
		if w.lines == nil {
			w.lines = make(map[string]int)
		}
		w.lines[key] = k.Line
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		case v.Kind == yaml.ScalarNode:
			w.values[key] = input{text: v.Value}
		case v.Kind == yaml.SequenceNode:
			in := input{seq: true}
			for _, item := range v.Content {
				if item = deref(item); item.Kind != yaml.ScalarNode {
					w.problem(key, fmt.Sprintf("line %d: list items must be plain values", item.Line))
					continue
				}
				in.items = append(in.items, item.Value)
			}
			in.text = strings.Join(in.items, ",")
			w.values[key] = in
		default:
			w.problem(key, fmt.Sprintf("line %d: must be a single value, not a map", v.Line))
		}
	}
}

// problem records a key the file gets wrong. Its value is left out: a
// misspelt or misplaced key may well hold a secret.
func (w *walker) problem(key, reason string) {
	if key == "" {
		key = "(top level)"
	}
	w.problems = append(w.problems, FieldError{Key: key, Source: SourceFile, Origin: w.path, Reason: reason, noValue: true})
}

// suggest names the known key closest to key: by edit distance over the
// whole key, or over the last part, for a key put in the wrong section.
func (w *walker) suggest(key string) string {
	keys := make([]string, 0, len(w.known))
	for k := range w.known {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return w.known[keys[i]] < w.known[keys[j]] })
	best, bestDist := "", -1
	for _, k := range keys {
		d := min(distance(key, k), distance(leaf(key), leaf(k))+1)
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}

func leaf(key string) string { return key[strings.LastIndexByte(key, '.')+1:] }

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// deref follows YAML aliases (*name) to the node they point at.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}
