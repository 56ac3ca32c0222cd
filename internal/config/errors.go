package config

import (
	"fmt"
	"sort"
	"strings"
)

// FieldError is one bad setting.
type FieldError struct {
	Key    string
	Source Source
	Origin string // env variable, "-flag" or file path
	Value  string // redacted if the option is secret
	Reason string // what is wrong and how to fix it
	// noValue marks problems that are not about a value, such as an
	// unknown file key, whose value may well be a misplaced secret.
	noValue bool
}

func (e FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Key)
	if !e.noValue {
		fmt.Fprintf(&b, " = %q", e.Value)
	}
	fmt.Fprintf(&b, " (from %s): %s", describe(e.Source, e.Origin), e.Reason)
	return b.String()
}

// Errors lists every bad setting found by one Load, which returns it as
// *Errors; its text is one line per setting.
type Errors []FieldError

func (e *Errors) Error() string {
	lines := make([]string, len(*e))
	for i, fe := range *e {
		lines[i] = fe.Error()
	}
	return strings.Join(lines, "\n")
}

// newFieldError describes why in, from src, is not a valid value for o.
// For a secret, any echo of the value in the reason is redacted too, since
// a custom Check may quote what it was given.
func newFieldError(o Option, src Source, origin string, in input, err error) FieldError {
	reason := err.Error()
	if o.Secret {
		// The whole value or any list item, longest first so that an
		// item does not break up the whole value before it is replaced.
		parts := append(strings.Split(in.text, ","), in.items...)
		parts = append(parts, in.text)
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		sort.Slice(parts, func(i, j int) bool { return len(parts[i]) > len(parts[j]) })
		for _, s := range parts {
			if s != "" {
				reason = strings.ReplaceAll(reason, s, redacted)
			}
		}
	}
	return FieldError{
		Key:    o.Key,
		Source: src,
		Origin: origin,
		Value:  redact(o, strings.TrimSpace(in.text)),
		Reason: reason,
	}
}
