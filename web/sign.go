package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// DigestLinkTTL is how long a digest's link opens its page.
const DigestLinkTTL = 30 * 24 * time.Hour

// KeySize is the length of a link key, in bytes.
const KeySize = 32

var (
	errTampered = errors.New("web: the link is not one we signed")
	errExpired  = errors.New("web: the link has expired")
)

// Signer makes and checks the links of digest pages: the digest's id and
// an expiry, with an HMAC-SHA256 over both, so a link names one digest
// for a while and cannot be made for another.
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner signs with key (at least KeySize bytes).
func NewSigner(key []byte, now func() time.Time) (*Signer, error) {
	if len(key) < KeySize {
		return nil, errors.New("web: a link key needs at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{key: key, now: now}, nil
}

// tokenSize: the id, the expiry, and the first 16 bytes of the MAC.
const tokenSize = 8 + 8 + 16

// Token signs digest id until DigestLinkTTL from now.
func (s *Signer) Token(id int64) string {
	b := make([]byte, 16, tokenSize)
	binary.BigEndian.PutUint64(b, uint64(id))
	binary.BigEndian.PutUint64(b[8:], uint64(s.now().Add(DigestLinkTTL).Unix()))
	return base64.RawURLEncoding.EncodeToString(append(b, s.mac(b)...))
}

func (s *Signer) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("wzdaily digest link\x00"))
	m.Write(b)
	return m.Sum(nil)[:16]
}

// check returns the digest a token names: errTampered for a token we did
// not sign, errExpired for one past its time.
func (s *Signer) check(token string) (int64, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != tokenSize || !hmac.Equal(s.mac(b[:16]), b[16:]) {
		return 0, errTampered
	}
	if int64(binary.BigEndian.Uint64(b[8:16])) < s.now().Unix() {
		return 0, errExpired
	}
	return int64(binary.BigEndian.Uint64(b[:8])), nil
}
