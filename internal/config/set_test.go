package config

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestNew_RejectsBadTables(t *testing.T) {
	tests := map[string]struct {
		opts    []Option
		wantErr string
	}{
		"duplicate key": {
			opts:    []Option{{Key: "a.b", Kind: String}, {Key: "a.b", Kind: Int, Default: "1"}},
			wantErr: "config: option a.b is defined twice",
		},
		"duplicate flag": {
			opts:    []Option{{Key: "a", Flag: "x", Kind: String}, {Key: "b", Flag: "x", Kind: String}},
			wantErr: "config: options a and b both use flag -x",
		},
		"duplicate env": {
			opts:    []Option{{Key: "a", Env: "X", Kind: String}, {Key: "b", Env: "X", Kind: String}},
			wantErr: "config: options a and b both use environment variable X",
		},
		"env taken by a secret's _FILE": {
			opts:    []Option{{Key: "a", Env: "TOKEN", Kind: String, Secret: true}, {Key: "b", Env: "TOKEN_FILE", Kind: String}},
			wantErr: "config: options a and b both use environment variable TOKEN_FILE",
		},
		"default int that does not parse": {
			opts:    []Option{{Key: "wechat.cap", Kind: Int, Default: "lots"}},
			wantErr: `config: bad default in the options table: wechat.cap = "lots" (from default): not a whole number; write it like 42`,
		},
		"default duration that does not parse": {
			opts:    []Option{{Key: "wechat.gap", Kind: Duration, Default: "5x"}},
			wantErr: `wechat.gap = "5x" (from default): not a duration; write it like 5s or 1m30s`,
		},
		"default bool that does not parse": {
			opts:    []Option{{Key: "b", Kind: Bool, Default: "sure"}},
			wantErr: `b = "sure" (from default): not a boolean`,
		},
		"empty default for an int": {
			opts:    []Option{{Key: "n", Kind: Int}},
			wantErr: `n = "" (from default): not a whole number`,
		},
		"default failing its check": {
			opts:    []Option{{Key: "log.level", Kind: String, Default: "inof", Check: OneOf("debug", "info")}},
			wantErr: `log.level = "inof" (from default): must be one of debug, info`,
		},
		"check for another kind": {
			opts:    []Option{{Key: "n", Kind: String, Default: "5", Check: Between(1, 9)}},
			wantErr: "the Between check needs an int option, not string",
		},
		"secret default stays redacted": {
			opts:    []Option{{Key: "t", Kind: Int, Default: "hunter2", Secret: true}},
			wantErr: `t = "******" (from default)`,
		},
		"secret with a flag": {
			opts:    []Option{{Key: "telegram.token", Flag: "token", Kind: String, Secret: true}},
			wantErr: "a secret must not have a flag",
		},
		"missing kind": {
			opts:    []Option{{Key: "a"}},
			wantErr: `config: option "a": invalid kind Kind(0)`,
		},
		"empty key": {
			opts:    []Option{{Kind: String}},
			wantErr: "key must be dotted words",
		},
		"empty key part": {
			opts:    []Option{{Key: "a..b", Kind: String}},
			wantErr: "key must be dotted words",
		},
		"flag with dashes": {
			opts:    []Option{{Key: "a", Flag: "-a", Kind: String}},
			wantErr: `invalid flag name "-a"`,
		},
		"key that is also a section": {
			opts:    []Option{{Key: "telegram", Kind: String}, {Key: "telegram.token", Kind: String}},
			wantErr: "config: telegram is both an option and the section of telegram.token",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := New(tc.opts)
			if err == nil {
				t.Fatalf("New(%+v) = %v, want an error containing %q", tc.opts, s, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("New error = %q, want it to contain %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("New error %q shows a secret default", err)
			}
		})
	}
}

func TestNew_EmptyDefaultMayFailCheckUntilLoad(t *testing.T) {
	required := func(v Value) error {
		if v.String() == "" {
			return errors.New("required; set TELEGRAM_BOT_TOKEN")
		}
		return nil
	}
	opts := []Option{{Key: "telegram.token", Env: "TELEGRAM_BOT_TOKEN", Kind: String, Secret: true, Check: required}}
	_, err := load(t, opts, nil, nil, "")
	want := `telegram.token = "" (from default): required; set TELEGRAM_BOT_TOKEN`
	if err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %q", err, want)
	}
	if _, err := load(t, opts, nil, map[string]string{"TELEGRAM_BOT_TOKEN": "x"}, ""); err != nil {
		t.Errorf("Load with the token set: %v", err)
	}
}

func TestNew_CopiesTheTable(t *testing.T) {
	opts := testOptions()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	opts[1].Key = "changed"
	if got := s.Get("log.level").String(); got != "info" {
		t.Errorf("Get(log.level) = %q after the caller changed its table, want %q", got, "info")
	}
}

func TestSet_GetUnknownKeyPanics(t *testing.T) {
	s, err := New(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, read := range map[string]func(){
		"Get":    func() { s.Get("log.levle") },
		"Source": func() { s.Source("log.levle") },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), `"log.levle"`) {
					t.Errorf("recovered %v, want a panic naming the key", r)
				}
			}()
			read()
		}()
	}
}

func TestSet_Register(t *testing.T) {
	s, err := New(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	s.Register(fs)

	if f := fs.Lookup("log-level"); f == nil || f.Usage != "Log level (env LOG_LEVEL, file key log.level)" {
		t.Errorf("log-level flag = %+v, want usage naming its env and file key", f)
	}
	noEnv := []Option{{Key: "a.b", Flag: "ab", Kind: String, Help: "Thing"}}
	s2, err := New(noEnv)
	if err != nil {
		t.Fatal(err)
	}
	fs2 := flag.NewFlagSet("x", flag.ContinueOnError)
	s2.Register(fs2)
	if got := fs2.Lookup("ab").Usage; got != "Thing (file key a.b)" {
		t.Errorf("usage without env = %q, want %q", got, "Thing (file key a.b)")
	}
	count := 0
	fs.VisitAll(func(*flag.Flag) { count++ })
	if count != 8 {
		t.Errorf("registered %d flags, want 8 (every option but the secret)", count)
	}

	var help bytes.Buffer
	fs.SetOutput(&help)
	fs.PrintDefaults()
	if !strings.Contains(help.String(), "(default 5s)") {
		t.Errorf("flag help does not show the default:\n%s", help.String())
	}
}

func TestSet_RegisterBareBoolFlag(t *testing.T) {
	s, err := load(t, testOptions(), []string{"-wechat-accept-friends", "-log-level", "debug"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Get("wechat.accept_friends").Bool() {
		t.Error("bare -wechat-accept-friends did not set the option")
	}
	if got := s.Get("log.level").String(); got != "debug" {
		t.Errorf("log.level = %q, want the flag after the bool flag to parse", got)
	}
}

func TestSet_Print(t *testing.T) {
	const file = `
telegram:
  token: "123:secret-token"
  admins: [42, 43]
`
	s, err := load(t, testOptions(), []string{"-wechat-gap", "10s"}, map[string]string{"WECHAT_CAP": "50"}, file)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	s.Print(&got)
	path := strings.TrimSuffix(strings.TrimPrefix(strings.Split(got.String(), "\n")[0], `telegram.token = "******" (file `), ")")
	want := `telegram.token = "******" (file ` + path + `)
log.level = "info" (default)
wechat.gap = "10s" (flag -wechat-gap)
wechat.cap = "50" (env WECHAT_CAP)
wechat.accept_friends = "false" (default)
telegram.admins = "42,43" (file ` + path + `)
listen = "127.0.0.1:8080" (default)
telegram.webhook = "" (default)
retention = "30d" (default)
`
	if !strings.HasSuffix(path, "wzdaily.yaml") {
		t.Fatalf("first line does not name the file:\n%s", got.String())
	}
	if got.String() != want {
		t.Errorf("Print =\n%s\nwant\n%s", got.String(), want)
	}

	var again bytes.Buffer
	s.Print(&again)
	if again.String() != got.String() {
		t.Errorf("Print is not stable:\n%s\nthen\n%s", got.String(), again.String())
	}
}

func TestSet_PrintEmptySecret(t *testing.T) {
	s, err := load(t, testOptions(), nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	s.Print(&got)
	if line := strings.Split(got.String(), "\n")[0]; line != `telegram.token = "" (default)` {
		t.Errorf("unset secret printed as %q, want it shown empty", line)
	}
}

func TestSet_PrintIgnoresWriteErrors(t *testing.T) {
	s, err := New(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	s.Print(failingWriter{}) // must not panic
	s.Print(io.Discard)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }
