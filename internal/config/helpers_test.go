package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testOptions is a table shaped like the server's: one option of each kind,
// a secret, and the common checks.
func testOptions() []Option {
	return []Option{
		{Key: "telegram.token", Env: "TELEGRAM_BOT_TOKEN", Kind: String, Secret: true, Help: "Bot API token"},
		{Key: "log.level", Flag: "log-level", Env: "LOG_LEVEL", Kind: String, Default: "info", Help: "Log level", Check: OneOf("debug", "info", "warn", "error")},
		{Key: "wechat.gap", Flag: "wechat-gap", Env: "WECHAT_GAP", Kind: Duration, Default: "5s", Help: "Pause between sends", Check: AtLeast(time.Second)},
		{Key: "wechat.cap", Flag: "wechat-cap", Env: "WECHAT_CAP", Kind: Int, Default: "200", Help: "Messages per day", Check: Between(1, 1000)},
		{Key: "wechat.accept_friends", Flag: "wechat-accept-friends", Env: "WECHAT_ACCEPT_FRIENDS", Kind: Bool, Default: "false", Help: "Accept friend requests"},
		{Key: "telegram.admins", Flag: "telegram-admins", Env: "TELEGRAM_ADMINS", Kind: List, Help: "Admin chat IDs"},
		{Key: "listen", Flag: "listen", Env: "LISTEN_ADDR", Kind: String, Default: "127.0.0.1:8080", Help: "Address to listen on", Check: HostPort()},
		{Key: "telegram.webhook", Flag: "telegram-webhook", Env: "TELEGRAM_WEBHOOK_URL", Kind: String, Help: "Webhook URL", Check: URL("https")},
		{Key: "retention", Flag: "retention", Env: "RETENTION", Kind: Duration, Default: "30d", Help: "How long to keep articles"},
	}
}

// load builds a Set from opts and loads it from the command line args, the
// environment env and, when file is not "", a config file with that content.
func load(t *testing.T, opts []Option, args []string, env map[string]string, file string) (*Set, error) {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("Parse(%q): %v", args, err)
	}
	path := ""
	if file != "" {
		path = writeFile(t, "wzdaily.yaml", file)
	}
	return s, s.Load(fs, mapEnv(env), path)
}

func mapEnv(env map[string]string) func(string) string {
	return func(name string) string { return env[name] }
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
