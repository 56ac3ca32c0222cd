package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretNeverShows feeds one known secret through every source and
// every way a value can fail, and looks for it in errors and in Print.
func TestSecretNeverShows(t *testing.T) {
	const secret = "123456:S3cr3t-T0ken"
	echo := func(v Value) error { return fmt.Errorf("token %q was refused", v.String()) }
	short := func(v Value) error {
		if len(v.String()) < 50 {
			return fmt.Errorf("%s is too short", v.String())
		}
		return nil
	}
	opts := func(check func(Value) error) []Option {
		return []Option{
			{Key: "telegram.token", Env: "TELEGRAM_BOT_TOKEN", Kind: String, Secret: true, Check: check},
			{Key: "wechat.pin", Env: "WECHAT_PIN", Kind: Int, Default: "0", Secret: true},
			{Key: "wechat.keys", Env: "WECHAT_KEYS", Kind: List, Secret: true, Check: OneOf("a", "b")},
			{Key: "proxy", Env: "PROXY_URL", Kind: String, Secret: true, Check: URL("https")},
			{Key: "log.level", Kind: String, Default: "info"},
		}
	}
	secretFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		check   func(Value) error
		env     map[string]string
		file    string
		wantErr bool
	}{
		"env, valid":                {env: map[string]string{"TELEGRAM_BOT_TOKEN": secret}},
		"env _FILE, valid":          {env: map[string]string{"TELEGRAM_BOT_TOKEN_FILE": secretFile}},
		"file, valid":               {file: "telegram:\n  token: " + secret + "\n"},
		"file list, valid":          {file: "wechat:\n  keys: [a, b]\ntelegram.token: '" + secret + "'\n"},
		"env, check echoes it":      {check: echo, env: map[string]string{"TELEGRAM_BOT_TOKEN": secret}, wantErr: true},
		"env, check quotes it bare": {check: short, env: map[string]string{"TELEGRAM_BOT_TOKEN": " " + secret + " "}, wantErr: true},
		"env _FILE, check echoes":   {check: echo, env: map[string]string{"TELEGRAM_BOT_TOKEN_FILE": secretFile}, wantErr: true},
		"file, check echoes it":     {check: echo, file: "telegram:\n  token: " + secret + "\n"},
		"env, not an int":           {env: map[string]string{"WECHAT_PIN": secret}, wantErr: true},
		"file, not an int":          {file: "wechat.pin: " + secret + "\n", wantErr: true},
		"file, list item refused":   {file: "wechat:\n  keys: [a, '" + secret + "']\n", wantErr: true},
		"env, list item refused":    {env: map[string]string{"WECHAT_KEYS": "a," + secret}, wantErr: true},
		"env, URL refused":          {env: map[string]string{"PROXY_URL": "http://user:" + secret + "@proxy"}, wantErr: true},
		"file, misspelt key":        {file: "telegram:\n  tokn: " + secret + "\n", wantErr: true},
		"file, wrong section":       {file: "token: " + secret + "\n", wantErr: true},
		"file, map for the value":   {file: "telegram:\n  token:\n    value: " + secret + "\n", wantErr: true},
		"file, list for the value":  {file: "telegram:\n  token: ['" + secret + "']\n", wantErr: true},
		"file, set twice":           {file: "telegram.token: " + secret + "\ntelegram:\n  token: " + secret + "\n", wantErr: true},
		"file, malformed YAML":      {file: "telegram:\n  token: \"" + secret + "\n  x: [\n", wantErr: true},
		"file, bad indentation":     {file: "telegram:\n  token: " + secret + "\n   x: y\n", wantErr: true},
		"env both ways":             {env: map[string]string{"TELEGRAM_BOT_TOKEN": secret, "TELEGRAM_BOT_TOKEN_FILE": secretFile}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if tc.check != nil && tc.file != "" {
				tc.wantErr = true
			}
			s, err := New(opts(tc.check))
			if err != nil {
				t.Fatal(err)
			}
			path := ""
			if tc.file != "" {
				path = writeFile(t, "wzdaily.yaml", tc.file)
			}
			err = s.Load(nil, mapEnv(tc.env), path)
			if tc.wantErr != (err != nil) {
				t.Fatalf("Load error = %v, want an error: %v", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "S3cr3t") {
				t.Errorf("error shows the secret:\n%s", err)
			}
			if errs, ok := err.(*Errors); ok {
				for _, fe := range *errs {
					if strings.Contains(fe.Value+fe.Reason, "S3cr3t") {
						t.Errorf("FieldError %+v holds the secret", fe)
					}
				}
			}
			var out bytes.Buffer
			s.Print(&out)
			if strings.Contains(out.String(), "S3cr3t") {
				t.Errorf("Print shows the secret:\n%s", out.String())
			}
			if err == nil && !strings.Contains(out.String(), `telegram.token = "******"`) {
				t.Errorf("Print does not show the set secret as ******:\n%s", out.String())
			}
		})
	}
}
