package fakesite

import (
	"strings"
	"testing"
	"time"
)

func testContext() *renderContext {
	loc := time.FixedZone("CST", 8*3600)
	set := &siteSettings{url: "https://example.com", title: "金融消息", lang: "zh-CN", author: "ZNing", loc: loc,
		now: func() time.Time { return time.Date(2022, 5, 26, 0, 0, 0, 0, loc) }}
	tags := newHash()
	tags.set("b", []any{"b1", "b2"})
	tags.set("a", []any{"a1"})
	cats := newHash()
	cats.set("wuzhouribao", []any{map[string]any{"url": "/w.html", "title": "W"}, map[string]any{"url": "/v.html", "title": "V"}})
	site := map[string]any{"lang": "zh-CN", "title": "金融消息", "url": set.url, "tags": tags, "categories": cats}
	page := map[string]any{
		"title":    "T & <b>",
		"date":     time.Date(2022, 2, 11, 9, 4, 31, 0, loc),
		"tags":     []any{"x", "y"},
		"empty":    []any{},
		"category": "wuzhouribao",
		"n":        3,
	}
	return newRenderContext(set, map[string]any{"site": site, "page": page})
}

func TestLiquidRender(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"variable":              {"{{ page.title }}", "T & <b>"},
		"no spaces":             {"{{page.n}}", "3"},
		"unknown variable":      {"[{{ nothing.here }}]", "[]"},
		"index":                 {"{{ page.tags[1] }}", "y"},
		"index out of range":    {"[{{ page.tags[9] }}]", "[]"},
		"bracket lookup":        {"{{ site.categories[page.category][0].title }}", "W"},
		"size":                  {"{{ page.tags.size }}", "2"},
		"join":                  {`<em>{{ page.tags | join: "</em> - <em>" }}</em>`, "<em>x</em> - <em>y</em>"},
		"default kept":          {`{{ site.lang | default: "en-US" }}`, "zh-CN"},
		"default used":          {`{{ site.nope | default: "en-US" }}`, "en-US"},
		"default on empty":      {`{{ "" | default: "d" }}`, "d"},
		"append relative_url":   {`{{ "/assets/css/style.css?v=" | append: site.github.build_revision | relative_url }}`, "/assets/css/style.css?v="},
		"absolute_url":          {`{{ "/" | absolute_url }}`, "https://example.com/"},
		"absolute stays":        {`{{ "http://x/y" | absolute_url }}`, "http://x/y"},
		"date":                  {`{{ page.date | date: "%Y-%m-%d %H:%M:%S" }}`, "2022-02-11 09:04:31"},
		"date words":            {`{{ page.date | date: "%a %b %-d %y %I%p %Z %z %%" }}`, "Fri Feb 11 22 09AM CST +0800 %"},
		"date string":           {`{{ "2021-12-08 10:46:18" | date: "%H" }}`, "10"},
		"date_to_xmlschema":     {"{{ page.date | date_to_xmlschema }}", "2022-02-11T09:04:31+08:00"},
		"plain date output":     {"{{ page.date }}", "2022-02-11 09:04:31 +0800"},
		"xml_escape":            {"{{ page.title | xml_escape }}", "T &amp; &lt;b&gt;"},
		"strip_html":            {"{{ page.title | strip_html }}", "T & "},
		"unknown filter":        {"{{ page.n | frobnicate: 1 }}", "3"},
		"array output":          {"{{ page.tags }}", "xy"},
		"if empty array truthy": {"{% if page.empty %}yes{% endif %}", "yes"},
		"if nil":                {"{% if page.nope %}yes{% else %}no{% endif %}", "no"},
		"elsif":                 {"{% if page.n == 1 %}a{% elsif page.n == 3 %}b{% else %}c{% endif %}", "b"},
		"unless":                {"{% unless page.nope %}u{% endunless %}", "u"},
		"and or":                {"{% if page.nope or page.n > 2 and page.tags contains 'y' %}ok{% endif %}", "ok"},
		"empty literal":         {"{% if page.empty == empty %}e{% endif %}", "e"},
		"contains string":       {`{% if page.title contains "&" %}c{% endif %}`, "c"},
		"for limit":             {"{% for t in page.tags limit:1 %}[{{ t }}]{% endfor %}", "[x]"},
		"for limit spaced":      {"{% for t in page.tags limit: 5 %}[{{ t }}]{% endfor %}", "[x][y]"},
		"for offset reversed":   {"{% for t in page.tags offset:1 reversed %}{{ t }}{% endfor %}", "y"},
		"forloop":               {"{% for t in page.tags %}{{ forloop.index }}{% if forloop.last %}!{% endif %}{% endfor %}", "12!"},
		"for else":              {"{% for t in page.empty %}x{% else %}none{% endfor %}", "none"},
		"for over hash":         {"{% for tag in site.tags %}{{ tag[0] }}={{ tag[1] | join: ',' }};{% endfor %}", "b=b1,b2;a=a1;"},
		"category layout":       {"{% for post in site.categories[page.category]  limit:1 %}<h2>{{ page.tags[0] }}</h2>{% endfor %}", "<h2>x</h2>"},
		"range":                 {"{% for i in (1..3) %}{{ i }}{% endfor %}", "123"},
		"assign and capture":    {"{% assign a = page.n %}{% capture c %}[{{ a }}]{% endcapture %}{{ c }}", "[3]"},
		"include is empty":      {"a{% include head-custom.html %}b", "ab"},
		"unknown tag":           {"a{% frob x %}b", "ab"},
		"raw":                   {"{% raw %}{{ x }}{% endraw %}", "{{ x }}"},
		"comment":               {"a{% comment %}{{ x }}{% endcomment %}b", "ab"},
		"whitespace control":    {"a  {{- page.n -}}  b", "a3b"},
		"unclosed output":       {"a {{ b", "a {{ b"},
		"unclosed if":           {"{% if page.n %}x", "x"},
		"stray end":             {"a{% endif %}b", "ab"},
		"seo title":             {"{% seo %}", "<title>T &amp; | 金融消息</title>"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := parseTemplate(tc.in).render(testContext())
			if name == "seo title" {
				if !strings.Contains(got, tc.want) {
					t.Errorf("render(%q) = %q, want it to contain %q", tc.in, got, tc.want)
				}
				return
			}
			if got != tc.want {
				t.Errorf("render(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStrftime(t *testing.T) {
	t.Parallel()
	tm := time.Date(2021, 3, 4, 15, 6, 7, 0, time.FixedZone("CST", 8*3600))
	tests := map[string]string{
		"%Y-%m-%d": "2021-03-04",
		"%-m/%-d":  "3/4",
		"%e|%k":    " 4|15",
		"%I:%M %p": "03:06 PM",
		"%B %^b":   "March MAR",
		"%j %u %w": "063 4 4",
		"%F %T":    "2021-03-04 15:06:07",
		"%Q":       "%Q",
	}
	for format, want := range tests {
		if got := strftime(tm, format); got != want {
			t.Errorf("strftime(%q) = %q, want %q", format, got, want)
		}
	}
}

func FuzzLiquid(f *testing.F) {
	for _, s := range []string{"{{ a | b: c, d }}", "{% for x in y limit:1 %}{{ x }}{% endfor %}", "{% if a == b and c %}", "{{", "{%-", "{% raw %}", "{{ (1..) }}", "{% for %}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseTemplate(s).render(testContext())
	})
}
