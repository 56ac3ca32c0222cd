package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

func runVersion(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "version", "", "Prints the program's version and build information.")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	version, goVersion, tags := "devel", "unknown", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "-tags":
				tags = s.Value
			case "vcs.revision":
				version += " " + s.Value
			}
		}
	}
	fmt.Fprintf(env.Stdout, "wzdaily %s (%s, tags %q)\n", version, goVersion, tags)
	return nil
}
