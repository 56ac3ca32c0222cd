package cli

import (
	"fmt"
	"slices"

	"wzdaily/internal/config"
)

// webhookURL reads the webhook URL as serve does, from WZDAILY_WEBHOOK or
// the file WZDAILY_WEBHOOK_FILE names: it is a secret, never a flag.
func webhookURL(env *Env) (string, error) {
	opts := serveOptions()
	i := slices.IndexFunc(opts, func(o config.Option) bool { return o.Key == "webhook.url" })
	set, err := config.New(opts[i : i+1])
	if err != nil {
		return "", err
	}
	if err := set.Load(nil, env.Getenv, ""); err != nil {
		return "", fmt.Errorf("%w: %v", errUsage, err)
	}
	return set.Get("webhook.url").String(), nil
}

// secretFlag refuses a secret given on the command line, which every user
// of the machine can read through ps, and says where it goes instead.
type secretFlag struct{ name, env string }

func (f secretFlag) String() string { return "" }

func (f secretFlag) Set(string) error {
	return fmt.Errorf("the %s is a secret and is not taken on the command line (ps shows it to every user): set %s, or name a file holding it in %s_FILE",
		f.name, f.env, f.env)
}
