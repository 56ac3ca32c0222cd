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

// tagNames are the English names of the tags a reader meets first: the
// built-in topics and the site's own tags. A tag is typed as it is (订阅
// 工业), so English readers see both.
var tagNames = map[string]string{
	"工业": "industry", "教育": "education", "交通": "transport", "医疗": "health care", "旅游": "tourism", "文化": "culture",
	"农业": "farming", "城建": "city building", "法治": "law", "民生": "daily life", "天气": "weather",
	"梧州日报新闻": "Wuzhou Daily news", "东财滚动新闻": "Eastmoney news flashes", "站长消息": "site notices",
}

// Tag shows a tag to a reader: as it is in Chinese, with its English name
// after it in English when it has one: 工业 (industry).
func (l Lang) Tag(tag string) string {
	if en, ok := tagNames[tag]; ok && l == EN {
		return tag + " (" + en + ")"
	}
	return tag
}
