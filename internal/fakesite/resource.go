package fakesite

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// resource is a served file with its HTTP validators.
type resource struct {
	body        []byte
	gz          []byte // gzip of body, nil when not worth it
	contentType string
	etag        string    // strong and quoted; gzip responses send W/ + etag
	modified    time.Time // UTC, whole seconds, as Last-Modified carries
}

// minGzipSize is below where compressing is not worth a header.
const minGzipSize = 256

func newResource(r rendered, now time.Time) *resource {
	sum := sha256.Sum256(r.body)
	res := &resource{
		body:        r.body,
		contentType: r.contentType,
		etag:        `"` + hex.EncodeToString(sum[:8]) + `"`,
		modified:    now.UTC().Truncate(time.Second),
	}
	if len(r.body) >= minGzipSize && compressible(r.contentType) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, werr := zw.Write(r.body)
		cerr := zw.Close()
		if werr == nil && cerr == nil && buf.Len() < len(r.body) {
			res.gz = buf.Bytes()
		}
	}
	return res
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "xml") ||
		strings.Contains(contentType, "json") || strings.Contains(contentType, "javascript")
}
