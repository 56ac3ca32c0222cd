package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func configCheck(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := Run(context.Background(), &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs,
		Getenv: func(k string) string { return env[k] }}, append([]string{"config", "check"}, args...))
	return code, out.String(), errs.String()
}

func TestConfigPrecedenceFlagEnvFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "wzdaily.yaml")
	os.WriteFile(file, []byte("wechat:\n  gap: 7s\n  jitter: 3s\n  daily_cap: 100\ntelegram:\n  token: \"42:FILE-SECRET\"\n"), 0o600)
	env := map[string]string{"WZDAILY_CONFIG": file, "WECHAT_GAP": "9s", "WECHAT_JITTER": "4s"}
	code, out, errs := configCheck(t, env, "--wechat-gap", "11s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		`wechat.gap = "11s" (flag -wechat-gap)`,
		`wechat.jitter = "4s" (env WECHAT_JITTER)`,
		`wechat.daily_cap = "100" (file ` + file + `)`,
		`wechat.reply_gap = "1s" (default)`,
		`telegram.token = "******" (file ` + file + `)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in:\n%s", want, out)
		}
	}
	if strings.Contains(out+errs, "FILE-SECRET") {
		t.Error("the secret was printed")
	}
}

func TestConfigCheckExplainsEveryBadValue(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(file, []byte("log:\n  level: loud\nwechat:\n  gap: 5x\ntelegram:\n  tokn: x\n"), 0o600)
	code, _, errs := configCheck(t, map[string]string{"WECHAT_DAILY_CAP": "0", "TELEGRAM_BOT_TOKEN": "7:ENV-SECRET"},
		"--config", file, "--admin", "bob", "--http", "0.0.0.0")
	if code != 2 {
		t.Fatalf("exit %d, want 2 (a usage error)", code)
	}
	for _, want := range []string{
		`log.level = "loud" (from file ` + file + `): must be one of debug, info, warn, error`,
		`wechat.gap = "5x" (from file ` + file + `): not a duration`,
		`telegram.tokn (from file ` + file + `): unknown key; did you mean telegram.token?`,
		`wechat.daily_cap = "0" (from env WECHAT_DAILY_CAP): must be between 1 and 100000`,
		`admins = "bob" (from flag -admin): "bob": write each admin as platform:user-id`,
		`http.listen = "0.0.0.0" (from flag -http)`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("missing %s in:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "ENV-SECRET") {
		t.Error("the secret was printed")
	}
}

func TestTheExampleConfigIsValid(t *testing.T) {
	if code, _, errs := configCheck(t, nil, "--config", "../../deploy/wzdaily.example.yaml"); code != 0 {
		t.Fatalf("deploy/wzdaily.example.yaml: exit %d:\n%s", code, errs)
	}
}
