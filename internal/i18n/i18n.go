// Package i18n holds every sentence the bot says to readers, in Chinese and
// in English, in one catalog, and picks the reader's language. Its test
// reads the conversation's and the digest's code and fails on a key that is
// used but not in the catalog, or in the catalog but used nowhere.
package i18n

import "fmt"

// Lang is a reader's language.
type Lang int

const (
	ZH Lang = iota // the paper's, and the default
	EN
)

// Of returns the language of a code: English for "en" and "en-…", else
// Chinese.
func Of(code string) Lang {
	if code == "en" || (len(code) > 2 && code[:3] == "en-") {
		return EN
	}
	return ZH
}

// Code is the language's code, as subscribers keep it.
func (l Lang) Code() string { return [...]string{"zh", "en"}[l] }

// T returns the sentence of key in l, formatted with args. A key missing
// from the catalog comes back as itself; the package's test keeps that from
// reaching a reader.
func (l Lang) T(key string, args ...any) string {
	w, ok := catalog[key]
	if !ok {
		return key
	}
	return fmt.Sprintf(w[l], args...)
}
