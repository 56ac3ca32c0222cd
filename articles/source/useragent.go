package source

import "strings"

// ProjectURL is sent in the User-Agent so that the site's operators can
// find who is calling. The project has no public home of its own yet.
const ProjectURL = "https://github.com/wzdaily/wzdaily"

// UserAgent returns the User-Agent the fetcher sends for a version of the
// program, such as "wzdaily/v1.2.0 (+https://github.com/wzdaily/wzdaily)".
// It is ASCII whatever the version holds: header values are bytes, and a
// server may reject or mangle anything else.
func UserAgent(version string) string {
	return "wzdaily/" + productVersion(version) + " (+" + ProjectURL + ")"
}

// productVersion keeps what an HTTP token may hold (RFC 9110, section
// 5.6.2), so "(devel)" becomes "devel"; nothing left means "dev".
func productVersion(v string) string {
	var b strings.Builder
	for _, r := range v {
		if isTokenChar(r) && b.Len() < 64 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "dev"
	}
	return b.String()
}

func isTokenChar(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// asciiHeader drops from a given User-Agent whatever is not printable
// ASCII, and collapses the spaces left behind.
func asciiHeader(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
