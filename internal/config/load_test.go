package config

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoad_Precedence(t *testing.T) {
	const file = "wechat:\n  gap: 30s\n"
	tests := map[string]struct {
		args       []string
		env        map[string]string
		file       string
		want       time.Duration
		wantSource Source
	}{
		"flag beats env and file": {args: []string{"-wechat-gap=10s"}, env: map[string]string{"WECHAT_GAP": "20s"}, file: file, want: 10 * time.Second, wantSource: SourceFlag},
		"env beats file":          {env: map[string]string{"WECHAT_GAP": "20s"}, file: file, want: 20 * time.Second, wantSource: SourceEnv},
		"file beats default":      {file: file, want: 30 * time.Second, wantSource: SourceFile},
		"default":                 {want: 5 * time.Second, wantSource: SourceDefault},
		"empty env is unset":      {env: map[string]string{"WECHAT_GAP": ""}, file: file, want: 30 * time.Second, wantSource: SourceFile},
		"null in file is unset":   {file: "wechat:\n  gap:\n", want: 5 * time.Second, wantSource: SourceDefault},
		"flag equal to default":   {args: []string{"-wechat-gap", "5s"}, env: map[string]string{"WECHAT_GAP": "20s"}, want: 5 * time.Second, wantSource: SourceFlag},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := load(t, testOptions(), tc.args, tc.env, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Get("wechat.gap").Duration(); got != tc.want {
				t.Errorf("wechat.gap = %s, want %s", got, tc.want)
			}
			if got := s.Source("wechat.gap"); got != tc.wantSource {
				t.Errorf("Source(wechat.gap) = %s, want %s", got, tc.wantSource)
			}
			if got := s.Source("log.level"); got != SourceDefault {
				t.Errorf("Source(log.level) = %s, want default for an option nobody set", got)
			}
		})
	}
}

func TestLoad_EveryKindFromEverySource(t *testing.T) {
	type want struct {
		key   string
		check func(Value) bool
	}
	str := func(s string) func(Value) bool { return func(v Value) bool { return v.String() == s } }
	num := func(n int) func(Value) bool { return func(v Value) bool { return v.Int() == n } }
	boolean := func(b bool) func(Value) bool { return func(v Value) bool { return v.Bool() == b } }
	dur := func(d time.Duration) func(Value) bool { return func(v Value) bool { return v.Duration() == d } }
	list := func(items ...string) func(Value) bool {
		return func(v Value) bool { return slices.Equal(v.List(), items) }
	}
	tests := map[string]struct {
		args   []string
		env    map[string]string
		file   string
		source Source
		want   []want
	}{
		"flags": {
			args:   []string{"-log-level=warn", "-wechat-cap=7", "-wechat-accept-friends=false", "-wechat-gap=2m", "-telegram-admins=1, 2", "-retention=7d"},
			source: SourceFlag,
			want:   []want{{"log.level", str("warn")}, {"wechat.cap", num(7)}, {"wechat.accept_friends", boolean(false)}, {"wechat.gap", dur(2 * time.Minute)}, {"telegram.admins", list("1", "2")}, {"retention", dur(7 * 24 * time.Hour)}},
		},
		"env": {
			env:    map[string]string{"LOG_LEVEL": "error", "WECHAT_CAP": " 9 ", "WECHAT_ACCEPT_FRIENDS": "yes", "WECHAT_GAP": "1m30s", "TELEGRAM_ADMINS": "a,b,c", "RETENTION": "1d"},
			source: SourceEnv,
			want:   []want{{"log.level", str("error")}, {"wechat.cap", num(9)}, {"wechat.accept_friends", boolean(true)}, {"wechat.gap", dur(90 * time.Second)}, {"telegram.admins", list("a", "b", "c")}, {"retention", dur(24 * time.Hour)}},
		},
		"file with YAML scalars and a sequence": {
			file: `
log: {level: debug}
wechat:
  cap: 500
  accept_friends: true
  gap: 5m
telegram:
  admins:
    - 42
    - "a,b"
retention: 90d
`,
			source: SourceFile,
			want:   []want{{"log.level", str("debug")}, {"wechat.cap", num(500)}, {"wechat.accept_friends", boolean(true)}, {"wechat.gap", dur(5 * time.Minute)}, {"telegram.admins", list("42", "a,b")}, {"retention", dur(90 * 24 * time.Hour)}},
		},
		"file with dotted keys and a comma list": {
			file: `
log.level: warn
wechat.cap: "12"
wechat.accept_friends: off
telegram:
  admins: 1, 2
`,
			source: SourceFile,
			want:   []want{{"log.level", str("warn")}, {"wechat.cap", num(12)}, {"wechat.accept_friends", boolean(false)}, {"telegram.admins", list("1", "2")}},
		},
		"file with an anchor and an alias": {
			file:   "wechat:\n  cap: &n 3\ntelegram:\n  admins: [*n]\n",
			source: SourceFile,
			want:   []want{{"wechat.cap", num(3)}, {"telegram.admins", list("3")}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := load(t, testOptions(), tc.args, tc.env, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if v := s.Get(w.key); !w.check(v) {
					t.Errorf("%s = %q, not what the case expects", w.key, v.String())
				}
				if got := s.Source(w.key); got != tc.source {
					t.Errorf("Source(%s) = %s, want %s", w.key, got, tc.source)
				}
			}
		})
	}
}

func TestLoad_ReportsEveryBadValue(t *testing.T) {
	const file = `
log:
  level: loud
telegram:
  webhook: ftp://example.com/hook
`
	s, err := load(t, testOptions(),
		[]string{"-wechat-cap=5000", "-listen=localhost"},
		map[string]string{"WECHAT_GAP": "5x", "WECHAT_ACCEPT_FRIENDS": "maybe", "RETENTION": "100ms"},
		file)
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load error = %v (%T), want *Errors", err, err)
	}
	path := (*errs)[0].Origin
	want := []string{
		`log.level = "loud" (from file ` + path + `): must be one of debug, info, warn, error`,
		`wechat.gap = "5x" (from env WECHAT_GAP): not a duration; write it like 5s or 1m30s`,
		`wechat.cap = "5000" (from flag -wechat-cap): must be between 1 and 1000`,
		`wechat.accept_friends = "maybe" (from env WECHAT_ACCEPT_FRIENDS): not a boolean; write true or false`,
		`listen = "localhost" (from flag -listen): not host:port; write it like 127.0.0.1:8080 or :8080`,
		`telegram.webhook = "ftp://example.com/hook" (from file ` + path + `): must start with https://`,
	}
	if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("Load error =\n%s\nwant\n%s", err, strings.Join(want, "\n"))
	}
	if !strings.HasSuffix(path, "wzdaily.yaml") {
		t.Errorf("file errors name origin %q, want the file path", path)
	}
	first := (*errs)[1]
	if first.Key != "wechat.gap" || first.Source != SourceEnv || first.Origin != "WECHAT_GAP" || first.Value != "5x" {
		t.Errorf("FieldError = %+v, want key, source, origin and value filled in", first)
	}
	// RETENTION=100ms is valid: only failing values are listed.
	if strings.Contains(err.Error(), "retention") {
		t.Errorf("valid retention reported as an error:\n%s", err)
	}
	if got := s.Source("wechat.gap"); got != SourceDefault {
		t.Errorf("after a failed Load, Source(wechat.gap) = %s, want the Set unchanged", got)
	}
}

func TestLoad_OnlyTheWinningValueIsChecked(t *testing.T) {
	s, err := load(t, testOptions(), []string{"-log-level=warn"}, nil, "log:\n  level: loud\n")
	if err != nil {
		t.Fatalf("a bad file value hidden by a flag failed Load: %v", err)
	}
	if got := s.Get("log.level").String(); got != "warn" {
		t.Errorf("log.level = %q, want warn", got)
	}
}

func TestLoad_UnknownFileKeys(t *testing.T) {
	tests := map[string]struct {
		file string
		want string
	}{
		"typo in a nested key":   {file: "telegram:\n  tokn: x\n", want: "telegram.tokn (from file PATH): unknown key; did you mean telegram.token?"},
		"typo in a dotted key":   {file: "wechat.gpa: 5s\n", want: "wechat.gpa (from file PATH): unknown key; did you mean wechat.gap?"},
		"typo in a section name": {file: "wehcat:\n  cap: 3\n", want: "wehcat.cap (from file PATH): unknown key; did you mean wechat.cap?"},
		"key in the wrong place": {file: "token: x\n", want: "token (from file PATH): unknown key; did you mean telegram.token?"},
		"wrong section":          {file: "log:\n  gap: 5s\n", want: "log.gap (from file PATH): unknown key; did you mean wechat.gap?"},
		"section given a value":  {file: "wechat: 5\n", want: "wechat (from file PATH): unknown key; did you mean wechat.gap?"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, testOptions(), nil, nil, tc.file)
			var errs *Errors
			if !errors.As(err, &errs) || len(*errs) != 1 {
				t.Fatalf("Load error = %v, want one unknown key", err)
			}
			want := strings.Replace(tc.want, "PATH", (*errs)[0].Origin, 1)
			if err.Error() != want {
				t.Errorf("Load error = %q, want %q", err, want)
			}
		})
	}
}

func TestLoad_FileShapeProblems(t *testing.T) {
	tests := map[string]struct {
		file string
		want string
	}{
		"map for a value":         {file: "log:\n  level:\n    x: 1\n", want: "log.level (from file PATH): line 3: must be a single value, not a map"},
		"list for a single value": {file: "wechat:\n  gap: [5s]\n", want: `wechat.gap = "5s" (from file PATH): must be a single value, not a list`},
		"nested list item":        {file: "telegram:\n  admins:\n    - [1]\n", want: "telegram.admins (from file PATH): line 3: list items must be plain values"},
		"set twice":               {file: "wechat:\n  gap: 5s\nwechat.gap: 6s\n", want: "wechat.gap (from file PATH): set twice in the file, on lines 2 and 3"},
		"key that is a map":       {file: "? {a: 1}\n: x\n", want: "(top level) (from file PATH): line 1: a key must be a plain name"},
		"alias that holds itself": {file: "wechat: &x {gaps: *x}\n", want: "wechat.gaps (from file PATH): unknown key; did you mean wechat.gap?"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, testOptions(), nil, nil, tc.file)
			var errs *Errors
			if !errors.As(err, &errs) || len(*errs) != 1 {
				t.Fatalf("Load error = %v, want one problem", err)
			}
			want := strings.Replace(tc.want, "PATH", (*errs)[0].Origin, 1)
			if err.Error() != want {
				t.Errorf("Load error = %q, want %q", err, want)
			}
		})
	}
}

func TestLoad_UnusableFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	tests := map[string]struct {
		path     func(t *testing.T) string
		contains []string
		is       error
	}{
		"missing file": {
			path:     func(*testing.T) string { return missing },
			contains: []string{"config: unable to read config file", missing},
			is:       fs.ErrNotExist,
		},
		"malformed YAML": {
			path:     func(t *testing.T) string { return writeFile(t, "bad.yaml", "log:\n  level: info\n   gap: 5s\n") },
			contains: []string{"config: unable to parse config file", "bad.yaml", "line 3"},
		},
		"tab indentation": {
			path:     func(t *testing.T) string { return writeFile(t, "tabs.yaml", "log:\n\tlevel: info\n") },
			contains: []string{"tabs.yaml", "line 2"},
		},
		"not a map": {
			path:     func(t *testing.T) string { return writeFile(t, "list.yaml", "- a\n- b\n") },
			contains: []string{"list.yaml", "line 1: expected a map of settings"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := New(testOptions())
			if err != nil {
				t.Fatal(err)
			}
			err = s.Load(nil, nil, tc.path(t))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, c := range tc.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("Load error = %q, want it to contain %q", err, c)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("Load error = %v, want errors.Is %v", err, tc.is)
			}
		})
	}
}

func TestLoad_EmptyFiles(t *testing.T) {
	for name, content := range map[string]string{
		"empty":         "",
		"comments only": "# nothing set yet\n",
		"null document": "---\n~\n",
		"empty section": "wechat: {}\n",
	} {
		t.Run(name, func(t *testing.T) {
			s, err := load(t, testOptions(), nil, nil, content+" ")
			if err != nil {
				t.Fatalf("Load(%q): %v", content, err)
			}
			if got := s.Source("wechat.gap"); got != SourceDefault {
				t.Errorf("Source(wechat.gap) = %s, want default", got)
			}
		})
	}
}

func TestLoad_FlagsMustBeParsed(t *testing.T) {
	s, err := New(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	s.Register(fs)
	if err := s.Load(fs, nil, ""); err == nil || !strings.Contains(err.Error(), "not parsed") {
		t.Errorf("Load before Parse = %v, want an error", err)
	}
}

func TestLoad_SecretFromFileVariable(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("123:from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := load(t, testOptions(), nil, map[string]string{"TELEGRAM_BOT_TOKEN_FILE": tokenFile}, "telegram:\n  token: from-config\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Get("telegram.token").String(); got != "123:from-file" {
		t.Errorf("token = %q, want the file's contents without the newline", got)
	}
	if got := s.Source("telegram.token"); got != SourceEnv {
		t.Errorf("Source(telegram.token) = %s, want env", got)
	}

	tests := map[string]struct {
		env  map[string]string
		want string
	}{
		"both set": {
			env:  map[string]string{"TELEGRAM_BOT_TOKEN": "x", "TELEGRAM_BOT_TOKEN_FILE": tokenFile},
			want: "telegram.token (from env TELEGRAM_BOT_TOKEN_FILE): set either TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE, not both",
		},
		"missing file": {
			env:  map[string]string{"TELEGRAM_BOT_TOKEN_FILE": filepath.Join(dir, "gone")},
			want: "telegram.token (from env TELEGRAM_BOT_TOKEN_FILE): unable to read the secret file: open " + filepath.Join(dir, "gone") + ": no such file or directory",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, testOptions(), nil, tc.env, "")
			if err == nil || err.Error() != tc.want {
				t.Errorf("Load error = %v, want %q", err, tc.want)
			}
		})
	}
}
