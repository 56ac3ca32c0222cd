package fakesite

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// hash is a Liquid hash that remembers insertion order, as Ruby's Hash
// does: {% for tag in site.tags %} walks tags in the order Jekyll met them.
type hash struct {
	keys []string
	vals map[string]any
}

func newHash() *hash { return &hash{vals: map[string]any{}} }

func (h *hash) set(k string, v any) {
	if _, ok := h.vals[k]; !ok {
		h.keys = append(h.keys, k)
	}
	h.vals[k] = v
}

func (h *hash) get(k string) (any, bool) {
	v, ok := h.vals[k]
	return v, ok
}

// rubyTimeLayout is how Ruby's Time#to_s prints, which is what Liquid
// outputs for a date without a filter.
const rubyTimeLayout = "2006-01-02 15:04:05 -0700"

// toText renders a value the way Liquid's output tag does.
func toText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return formatFloat(x)
	case time.Time:
		return x.Format(rubyTimeLayout)
	case []any:
		var b strings.Builder
		for _, e := range x {
			b.WriteString(toText(e))
		}
		return b.String()
	case *hash:
		parts := make([]string, 0, len(x.keys))
		for _, k := range x.keys {
			parts = append(parts, strconv.Quote(k)+"=>"+inspect(x.vals[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case map[string]any:
		keys := sortedKeys(x)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, strconv.Quote(k)+"=>"+inspect(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(x)
	}
}

// inspect is a rough Ruby #inspect, used only inside printed hashes.
func inspect(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		return strconv.Quote(x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, inspect(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return toText(x)
	}
}

func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// truthy follows Liquid: only nil and false are false; "" and [] are true.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	default:
		return true
	}
}

// isEmpty reports whether v equals Liquid's `empty`.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	case *hash:
		return len(x.keys) == 0
	default:
		return false
	}
}

// isBlank reports whether v equals Liquid's `blank`.
func isBlank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return strings.TrimSpace(x) == ""
	default:
		return isEmpty(v)
	}
}

// emptyValue and blankValue are the `empty` and `blank` literals.
type emptyValue struct{}
type blankValue struct{}

func valuesEqual(a, b any) bool {
	switch b.(type) {
	case emptyValue:
		return isEmpty(a)
	case blankValue:
		return isBlank(a)
	}
	switch a.(type) {
	case emptyValue:
		return isEmpty(b)
	case blankValue:
		return isBlank(b)
	}
	if fa, ok := toNumber(a); ok {
		if fb, ok := toNumber(b); ok {
			return fa == fb
		}
		return false
	}
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case []any, map[string]any, *hash:
		return reflect.DeepEqual(a, b)
	}
	return a == b
}

// toNumber converts ints and floats only; Liquid does not compare "1" == 1.
func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// compareValues orders numbers, strings and times; ok is false when Ruby
// would raise (and lax Liquid would render the condition false).
func compareValues(a, b any) (int, bool) {
	if fa, ok := toNumber(a); ok {
		if fb, ok := toNumber(b); ok {
			switch {
			case fa < fb:
				return -1, true
			case fa > fb:
				return 1, true
			}
			return 0, true
		}
		return 0, false
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), true
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y), true
		}
	}
	return 0, false
}

// toInt reads an integer argument such as a for-loop limit.
func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case float64:
		return int(x), true
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		return n, err == nil
	}
	return 0, false
}

// toList is what a for loop iterates: hashes give [key, value] pairs.
func toList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	case *hash:
		out := make([]any, 0, len(x.keys))
		for _, k := range x.keys {
			out = append(out, []any{k, x.vals[k]})
		}
		return out
	case map[string]any:
		out := make([]any, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, []any{k, x[k]})
		}
		return out
	default:
		return []any{x}
	}
}

// property reads v.key or v[key], including Liquid's size/first/last.
func property(v any, key any) any {
	switch x := v.(type) {
	case map[string]any:
		if k, ok := key.(string); ok {
			if val, ok := x[k]; ok {
				return val
			}
			if k == "size" {
				return len(x)
			}
		}
	case *hash:
		if k, ok := key.(string); ok {
			if val, ok := x.get(k); ok {
				return val
			}
			if k == "size" {
				return len(x.keys)
			}
		}
	case []any:
		if i, ok := key.(int); ok {
			if i < 0 {
				i += len(x)
			}
			if i >= 0 && i < len(x) {
				return x[i]
			}
			return nil
		}
		switch key {
		case "size":
			return len(x)
		case "first":
			if len(x) > 0 {
				return x[0]
			}
		case "last":
			if len(x) > 0 {
				return x[len(x)-1]
			}
		}
	case string:
		if key == "size" {
			return len([]rune(x))
		}
	}
	return nil
}
