package cli

import (
	"context"
	"fmt"
)

func runConfig(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(env.Stderr, "Usage: wzdaily config check [--config FILE] [serve's flags]")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
			return nil
		}
		return errUsage
	}
	cfg, err := loadConfig(env, "config check", `Prints the configuration serve would run with: every setting, its value and where it
came from (flag, env, file or default), secrets shown as ******. With a bad value it says
what is wrong with each one, and exits with status 2.`, args[1:])
	if err != nil {
		return err
	}
	cfg.Print(env.Stdout)
	fmt.Fprintln(env.Stdout, "ok: the configuration is valid")
	return nil
}
