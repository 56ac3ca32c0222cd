package fakesite

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// permalinkStyles are Jekyll 3's built-in permalink styles for posts.
var permalinkStyles = map[string]string{
	"date":    "/:categories/:year/:month/:day/:title:output_ext",
	"pretty":  "/:categories/:year/:month/:day/:title/",
	"ordinal": "/:categories/:year/:y_day/:title:output_ext",
	"none":    "/:categories/:title:output_ext",
}

var placeholderRE = regexp.MustCompile(`:([a-z_]+)`)

// postPermalink builds a post's URL from its front matter permalink, the
// site's permalink setting, or Jekyll's default date style.
func postPermalink(p *post, set *siteSettings) string {
	tmpl := permalinkStyles["date"]
	if s := str(set.data["permalink"]); s != "" {
		tmpl = s
		if style, ok := permalinkStyles[s]; ok {
			tmpl = style
		}
	}
	if s := str(p.data["permalink"]); s != "" {
		tmpl = s
	}
	cats := make([]string, 0, len(p.categories))
	seen := map[string]bool{}
	for _, c := range p.categories {
		c = strings.ToLower(c)
		if !seen[c] {
			seen[c] = true
			cats = append(cats, escapePath(c))
		}
	}
	d := p.date
	values := map[string]string{
		"year":        strconv.Itoa(d.Year()),
		"month":       d.Format("01"),
		"i_month":     strconv.Itoa(int(d.Month())),
		"day":         d.Format("02"),
		"i_day":       strconv.Itoa(d.Day()),
		"short_year":  d.Format("06"),
		"short_month": d.Format("Jan"),
		"long_month":  d.Format("January"),
		"y_day":       d.Format("002"),
		"hour":        d.Format("15"),
		"minute":      d.Format("04"),
		"second":      d.Format("05"),
		"title":       escapePath(slugifyPretty(p.slug)),
		"slug":        escapePath(slugifyPretty(p.slug)),
		"categories":  strings.Join(cats, "/"),
		"output_ext":  p.outExt,
	}
	u := placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		if v, ok := values[m[1:]]; ok {
			return v
		}
		return m
	})
	return sanitizeURL(u)
}

// sanitizeURL adds the leading slash and squeezes repeated slashes, so an
// uncategorised post gets /2021/12/08/x.html rather than //2021/….
func sanitizeURL(u string) string {
	u = "/" + u
	for strings.Contains(u, "//") {
		u = strings.ReplaceAll(u, "//", "/")
	}
	return u
}

// slugifyPretty is Jekyll's slugify in "pretty" mode with case kept.
func slugifyPretty(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._~!$&'()+,;=@", r) {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// escapePath percent-encodes what a URL path may not carry, as Jekyll's
// URL.escape_path does (non-ASCII included).
func escapePath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
	}
	return b.String()
}

// outputFile is where Jekyll writes a URL: decoded, with index.html for
// directory URLs. The server routes on this.
func outputFile(u string) string {
	if d, err := url.PathUnescape(u); err == nil {
		u = d
	}
	if strings.HasSuffix(u, "/") {
		u += "index.html"
	}
	return u
}
