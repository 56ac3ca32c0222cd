package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/clocktest"
)

func TestSignedLinks(t *testing.T) {
	clock := clocktest.NewManual(time.Date(2022, 2, 11, 8, 0, 0, 0, time.UTC))
	key := bytes.Repeat([]byte{7}, KeySize)
	s, err := NewSigner(key, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	token := s.Token(42)
	if id, err := s.check(token); err != nil || id != 42 {
		t.Fatalf("check(Token(42)) = %d, %v", id, err)
	}
	// Every changed byte is refused, the id's, the expiry's and the MAC's.
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	for i := range raw {
		changed := bytes.Clone(raw)
		changed[i] ^= 1
		if _, err := s.check(base64.RawURLEncoding.EncodeToString(changed)); !errors.Is(err, errTampered) {
			t.Errorf("byte %d changed: %v", i, err)
		}
	}
	// The last character carries two bits of padding: a token has one
	// spelling, or a changed link could pass.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := string(alphabet[strings.IndexByte(alphabet, token[len(token)-1])^1])
	for _, bad := range []string{"", "x", token + "A", token[:len(token)-1], strings.Repeat("A", len(token)), token[:len(token)-1] + last} {
		if _, err := s.check(bad); !errors.Is(err, errTampered) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	other, _ := NewSigner(bytes.Repeat([]byte{8}, KeySize), clock.Now)
	if _, err := other.check(token); !errors.Is(err, errTampered) {
		t.Errorf("another key's check: %v", err)
	}
	clock.Advance(DigestLinkTTL)
	if _, err := s.check(token); err != nil {
		t.Errorf("at its expiry: %v", err)
	}
	clock.Advance(time.Second)
	if _, err := s.check(token); !errors.Is(err, errExpired) {
		t.Errorf("after its expiry: %v", err)
	}
	if _, err := NewSigner(key[:KeySize-1], nil); err == nil {
		t.Error("a short key is taken")
	}
}

// wholes is a test double of the engine: the digests it has, by id.
type wholes map[int64]*digest.Whole

func (w wholes) Whole(_ context.Context, id int64) (*digest.Whole, error) {
	if d, ok := w[id]; ok {
		return d, nil
	}
	return nil, digest.ErrNoDigest
}

func TestDigestPages(t *testing.T) {
	clock := clocktest.NewManual(time.Date(2022, 2, 11, 8, 0, 0, 0, time.UTC))
	store := sampleStore(t)
	list, err := store.List(context.Background(), articles.ListQuery{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := NewSigner(bytes.Repeat([]byte{7}, KeySize), clock.Now)
	d := &digest.Whole{Composed: clock.Now(), Groups: []digest.Group{{Tag: "东财滚动新闻", Items: list}}}
	s := newServer(t, store, Options{BaseURL: "https://news.example.org", Now: clock.Now, Signer: signer, Digests: wholes{1: d}})
	link := s.DigestURL(1)
	path := strings.TrimPrefix(link, "https://news.example.org")
	if !strings.HasPrefix(path, "/d/") {
		t.Fatalf("link %s", link)
	}
	got := get(t, s, path)
	if got.code != http.StatusOK || !strings.Contains(got.body, "摘要 · 2022年2月11日") || !strings.Contains(got.body, `<meta name="robots" content="noindex">`) {
		t.Fatalf("%d:\n%s", got.code, got.body)
	}
	for _, a := range list {
		if !strings.Contains(got.body, articlePath(a.ID)) {
			t.Errorf("the page lacks %s", a.ID)
		}
	}
	if got.h.Get("Referrer-Policy") != "no-referrer" || got.h.Get("Cache-Control") != "private, no-store" {
		t.Errorf("headers %v", got.h)
	}
	if gone := get(t, s, "/d/"+signer.Token(2)); gone.code != http.StatusGone {
		t.Errorf("a digest no longer stored: %d", gone.code)
	}
	clock.Advance(DigestLinkTTL + time.Second)
	if expired := get(t, s, path); expired.code != http.StatusGone || strings.Contains(expired.body, "/a/") ||
		!strings.Contains(expired.body, "发送 今日摘要") {
		t.Errorf("an expired link: %d\n%s", expired.code, expired.body)
	}
	if refused := get(t, newServer(t, store, Options{}), path); refused.code != http.StatusNotFound {
		t.Errorf("without digests: %d", refused.code)
	}
}

// FuzzDigestLink: any token is refused or names the digest it was signed
// for, and never panics.
func FuzzDigestLink(f *testing.F) {
	s, _ := NewSigner(bytes.Repeat([]byte{7}, KeySize), func() time.Time { return time.Unix(1644566400, 0) })
	f.Add(s.Token(1))
	f.Add("")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, token string) {
		id, err := s.check(token)
		if err != nil {
			return
		}
		got, _ := base64.RawURLEncoding.DecodeString(token)
		want, _ := base64.RawURLEncoding.DecodeString(s.Token(id))
		if !bytes.Equal(got, want) {
			t.Errorf("%q passed as digest %d", token, id)
		}
	})
}
