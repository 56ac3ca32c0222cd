package cli

import (
	"testing"

	"wzdaily/internal/config"
)

// recording notes which options settings reads.
type recording struct {
	set  *config.Set
	read map[string]bool
}

func (r recording) Get(key string) config.Value {
	r.read[key] = true
	return r.set.Get(key)
}

// TestEveryOptionReachesTheSettings: an option added to the table but not
// to settings would be accepted, printed by config check, and ignored.
func TestEveryOptionReachesTheSettings(t *testing.T) {
	opts := serveOptions()
	set, err := config.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Load(nil, func(string) string { return "" }, ""); err != nil {
		t.Fatal(err)
	}
	r := recording{set: set, read: map[string]bool{}}
	s := settings(r)
	for _, o := range opts {
		if !r.read[o.Key] {
			t.Errorf("option %s is never read into the settings", o.Key)
		}
	}
	if s.DB != "wzdaily.db" || s.WeChat.Gap.String() != "5s" || s.Site.Categories[0] != DefaultCategory {
		t.Errorf("defaults not carried into the settings: %+v", s)
	}
}
