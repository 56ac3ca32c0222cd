package config

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLoadFile checks that no file makes Load panic, that every problem
// names a key, and that a token written once in the file never shows in
// the errors or the dump.
func FuzzLoadFile(f *testing.F) {
	for _, seed := range []string{
		"",
		"telegram:\n  token: 123456:S3cr3t\n",
		"telegram.token: x\nwechat: {gap: 5s, cap: 500, accept_friends: true}\n",
		"telegram:\n  admins: [1, 2, &a 3, *a]\n",
		"telegram:\n  tokn: [x]\n  token: {a: b}\n",
		"telegram.token: 123456:S3cr3t\ntelegram:\n  token: x\n",
		"? [a]\n: b\n",
		"- 1\n",
		"a: &x {b: *x}\n",
		"log:\n\tlevel: info\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		s, err := New(testOptions())
		if err != nil {
			t.Fatal(err)
		}
		path := writeFile(t, "fuzz.yaml", data)
		loadErr := s.Load(nil, nil, path)
		var errs *Errors
		if errors.As(loadErr, &errs) {
			for _, fe := range *errs {
				if fe.Key == "" || fe.Reason == "" || fe.Origin != path {
					t.Errorf("FieldError %+v lacks a key, a reason or the file", fe)
				}
			}
		}

		values, _, err := decodeFile(path, []byte(data), s.index)
		if err != nil {
			return
		}
		token := strings.TrimSpace(values["telegram.token"].text)
		if len(token) < 8 || strings.Count(data, token) > 1 {
			return // too short, or written elsewhere too: a match proves nothing
		}
		var out strings.Builder
		s.Print(&out)
		if strings.Contains(out.String(), token) {
			t.Errorf("Print shows the token %q:\n%s", token, out.String())
		}
		if loadErr != nil && strings.Contains(loadErr.Error(), token) {
			t.Errorf("Load error shows the token %q:\n%s", token, loadErr)
		}
	})
}
