package fakeoa

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

func TestSignatureIsTheLibrarys(t *testing.T) {
	for _, parts := range [][]string{
		{"wzdailyfake", "1764545400", "42"},
		{"token", "1", "2", "ciphertext+/="},
		{"b", "a", "c"},
	} {
		if got, want := signature(parts...), util.Signature(parts...); got != want {
			t.Errorf("signature(%q) = %s, the library's %s", parts, got, want)
		}
	}
}

// Every length around the 32-byte padding block, both ways against the
// library.
func TestCipherBoxAndTheLibraryOpenEachOthersMessages(t *testing.T) {
	const appID = "wx0123456789abcdef"
	box, err := newCipherBox(testKey, appID)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= 100; n++ {
		msg := bytes.Repeat([]byte("梧"), n)[:n]
		_, got, err := util.DecryptMsg(appID, box.encrypt(msg), testKey)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("the library opened the fake's %d bytes as %q, %v", n, got, err)
		}
		sealed, err := util.EncryptMsg([]byte("0123456789abcdef"), msg, appID, testKey)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := box.decrypt(string(sealed)); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("the fake opened the library's %d bytes as %q, %v", n, got, err)
		}
	}
}

func TestDecryptRefusesWhatIsNotSealedForTheAccount(t *testing.T) {
	box, err := newCipherBox(testKey, "wx0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	other, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte("<xml/>"), "wxffffffffffffffff", testKey)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(box.encrypt([]byte("<xml/>")))
	// Flipping the last byte of the block before the last flips the pad
	// byte's plaintext: 20 (44 bytes padded to 64) becomes 235.
	badPad := bytes.Clone(raw)
	badPad[len(badPad)-33] ^= 0xFF
	for name, tc := range map[string]struct{ sealed, want string }{
		"not base64":        {"%%%", "not base64"},
		"empty":             {"", "not a positive multiple"},
		"not whole blocks":  {base64.StdEncoding.EncodeToString(raw[:40]), "not a positive multiple"},
		"another account's": {string(other), "names AppID"},
		"a broken padding":  {base64.StdEncoding.EncodeToString(badPad), "padding"},
	} {
		if _, err := box.decrypt(tc.sealed); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error about %q", name, err, tc.want)
		}
	}
}

func TestNewRefusesSettingsThePlatformRefuses(t *testing.T) {
	for name, opts := range map[string]Options{
		"a token of 2":          {Token: "ab"},
		"a token with a dash":   {Token: "wz-daily"},
		"a key of 42":           {EncodingAESKey: testKey[:42]},
		"a key with a plus":     {EncodingAESKey: "+" + testKey[1:]},
		"an account without gh": {AccountID: "0123456789ab"},
	} {
		if _, err := New(opts); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	s, err := New(Options{})
	if err != nil || !strings.HasPrefix(s.AppID(), "wx") || len(s.AppSecret()) != 32 || !strings.HasPrefix(s.AccountID(), "gh_") || s.SafeMode() {
		t.Errorf("defaults: %v, %q %q %q", err, s.AppID(), s.AppSecret(), s.AccountID())
	}
}
