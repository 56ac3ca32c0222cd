package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OneOf accepts only the given values. For a List option, every item must
// be one of them.
func OneOf(values ...string) func(Value) error {
	allowed := strings.Join(values, ", ")
	return func(v Value) error {
		if v.kind != List {
			if !slices.Contains(values, v.text) {
				return errors.New("must be one of " + allowed)
			}
			return nil
		}
		for _, item := range v.list {
			if !slices.Contains(values, item) {
				return fmt.Errorf("%q is not allowed; each item must be one of %s", item, allowed)
			}
		}
		return nil
	}
}

// Between accepts an Int from lo to hi, both included.
func Between(lo, hi int) func(Value) error {
	return func(v Value) error {
		if v.kind != Int {
			return fmt.Errorf("the Between check needs an int option, not %s", v.kind)
		}
		if v.n < lo || v.n > hi {
			return fmt.Errorf("must be between %d and %d", lo, hi)
		}
		return nil
	}
}

// AtLeast accepts a Duration of d or more.
func AtLeast(d time.Duration) func(Value) error {
	return func(v Value) error {
		if v.kind != Duration {
			return fmt.Errorf("the AtLeast check needs a duration option, not %s", v.kind)
		}
		if v.d < d {
			return fmt.Errorf("must be at least %s", d)
		}
		return nil
	}
}

// URL accepts an absolute URL with one of the given schemes (any scheme if
// none are given), or "" for unset. The reason never quotes the URL, which
// may carry credentials.
func URL(schemes ...string) func(Value) error {
	example := "https"
	if len(schemes) > 0 {
		example = schemes[0]
	}
	return func(v Value) error {
		if v.kind != String {
			return fmt.Errorf("the URL check needs a string option, not %s", v.kind)
		}
		if v.text == "" {
			return nil
		}
		u, err := url.Parse(v.text)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("not a full URL; write it like %s://example.com/path", example)
		}
		if len(schemes) > 0 && !slices.Contains(schemes, strings.ToLower(u.Scheme)) {
			return fmt.Errorf("must start with %s://", strings.Join(schemes, ":// or "))
		}
		return nil
	}
}

// HostPort accepts host:port, an empty host meaning every interface, or ""
// for unset.
func HostPort() func(Value) error {
	return func(v Value) error {
		if v.kind != String {
			return fmt.Errorf("the HostPort check needs a string option, not %s", v.kind)
		}
		if v.text == "" {
			return nil
		}
		_, port, err := net.SplitHostPort(v.text)
		if err != nil {
			return errors.New("not host:port; write it like 127.0.0.1:8080 or :8080")
		}
		if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return errors.New("the port must be a number from 0 to 65535")
		}
		return nil
	}
}
