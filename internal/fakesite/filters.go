package fakesite

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"time"
)

// applyFilter runs one Liquid filter. Unknown filters return their input
// unchanged, which is what Jekyll's non-strict Liquid does.
func applyFilter(c *renderContext, name string, in any, args []any) any {
	arg := func(i int) any {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	switch name {
	case "date":
		return dateFilter(c, in, toText(arg(0)))
	case "date_to_xmlschema":
		if t, ok := asTime(c, in); ok {
			return t.Format(time.RFC3339)
		}
		return in
	case "date_to_rfc822":
		if t, ok := asTime(c, in); ok {
			return t.Format("Mon, 02 Jan 2006 15:04:05 -0700")
		}
		return in
	case "date_to_string":
		if t, ok := asTime(c, in); ok {
			return t.Format("02 Jan 2006")
		}
		return in
	case "join":
		sep := " "
		if len(args) > 0 {
			sep = toText(args[0])
		}
		list, ok := in.([]any)
		if !ok {
			return in
		}
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = toText(e)
		}
		return strings.Join(parts, sep)
	case "default":
		if in == nil || in == false || isEmpty(in) {
			return arg(0)
		}
		return in
	case "append":
		return toText(in) + toText(arg(0))
	case "prepend":
		return toText(arg(0)) + toText(in)
	case "relative_url":
		if in == nil {
			return nil
		}
		return relativeURL(c.site.baseurl, toText(in))
	case "absolute_url":
		if in == nil {
			return nil
		}
		return absoluteURL(c.site.url, c.site.baseurl, toText(in))
	case "xml_escape":
		if in == nil {
			return nil
		}
		return escapeXML(toText(in))
	case "escape":
		if in == nil {
			return nil
		}
		return htmlEscaper.Replace(toText(in))
	case "escape_once":
		return htmlEscaper.Replace(html.UnescapeString(toText(in)))
	case "strip_html":
		return stripHTML(toText(in))
	case "normalize_whitespace":
		return normalizeWhitespace(toText(in))
	case "strip":
		return strings.TrimSpace(toText(in))
	case "downcase":
		return strings.ToLower(toText(in))
	case "upcase":
		return strings.ToUpper(toText(in))
	case "size":
		if n, ok := property(in, "size").(int); ok {
			return n
		}
		return 0
	case "first", "last":
		return property(in, name)
	case "split":
		return splitFilter(toText(in), toText(arg(0)))
	case "replace":
		return strings.ReplaceAll(toText(in), toText(arg(0)), toText(arg(1)))
	case "remove":
		return strings.ReplaceAll(toText(in), toText(arg(0)), "")
	case "markdownify":
		return markdownToHTML(toText(in))
	case "smartify":
		return smartify(toText(in))
	case "jsonify":
		b, err := json.Marshal(jsonable(in))
		if err != nil {
			return ""
		}
		return string(b)
	}
	return in
}

// escapeXML is Jekyll's xml_escape: &, <, > and double quotes.
func escapeXML(s string) string {
	return xmlEscaper.Replace(s)
}

var (
	xmlEscaper  = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
)

var (
	scriptRE  = regexp.MustCompile(`(?is)<script.*?</script>`)
	commentRE = regexp.MustCompile(`(?s)<!--.*?-->`)
	styleRE   = regexp.MustCompile(`(?is)<style.*?</style>`)
	tagRE     = regexp.MustCompile(`(?s)<.*?>`)
	spaceRE   = regexp.MustCompile(`\s+`)
)

// stripHTML removes tags with the same regexps as Liquid's strip_html; it
// leaves entities alone.
func stripHTML(s string) string {
	s = scriptRE.ReplaceAllString(s, "")
	s = commentRE.ReplaceAllString(s, "")
	s = styleRE.ReplaceAllString(s, "")
	return tagRE.ReplaceAllString(s, "")
}

func normalizeWhitespace(s string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
}

func splitFilter(s, sep string) []any {
	var parts []string
	if sep == " " {
		parts = strings.Fields(s)
	} else {
		parts = strings.Split(s, sep)
	}
	// Ruby's split drops trailing empty strings.
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

// relativeURL prefixes baseurl and ensures a leading slash, unless the
// input is already an absolute URL.
func relativeURL(baseurl, in string) string {
	if isAbsoluteURL(in) {
		return in
	}
	base := strings.TrimSuffix(baseurl, "/")
	if base != "" && !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasPrefix(in, "/") {
		in = "/" + in
	}
	return base + in
}

func absoluteURL(siteURL, baseurl, in string) string {
	if isAbsoluteURL(in) {
		return in
	}
	return strings.TrimSuffix(siteURL, "/") + relativeURL(baseurl, in)
}

func isAbsoluteURL(s string) bool {
	i := strings.Index(s, ":")
	if i <= 0 {
		return false
	}
	for _, r := range s[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// asTime accepts what Liquid's date filter accepts: times, date strings,
// "now"/"today" and Unix seconds.
func asTime(c *renderContext, v any) (time.Time, bool) {
	loc := c.site.loc
	switch x := v.(type) {
	case time.Time:
		return x, true
	case int:
		return time.Unix(int64(x), 0).In(loc), true
	case float64:
		return time.Unix(int64(x), 0).In(loc), true
	case string:
		s := strings.TrimSpace(x)
		if s == "now" || s == "today" {
			return c.site.now().In(loc), true
		}
		if t, err := parseLooseTime(s, loc); err == nil {
			return t.In(loc), true
		}
	}
	return time.Time{}, false
}

func dateFilter(c *renderContext, in any, format string) any {
	if in == nil || in == "" {
		return in
	}
	if format == "" {
		return in
	}
	t, ok := asTime(c, in)
	if !ok {
		return in
	}
	return strftime(t, format)
}

// jsonable turns Liquid values into what encoding/json can print.
func jsonable(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.Format(rubyTimeLayout)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	case *hash:
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = jsonable(x.vals[k])
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonable(e)
		}
		return m
	case emptyValue, blankValue:
		return ""
	}
	return v
}
