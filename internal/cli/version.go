package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

func runVersion(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "version", "", "Prints the program's version and build information: the commit, when it was\nmade, whether the tree had changes, the Go version, the build tags and the platform.")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(env.Stdout, "wzdaily: no build information in this binary")
		return nil
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	fmt.Fprintf(env.Stdout, "wzdaily %s\n", info.Main.Version)
	if rev := settings["vcs.revision"]; rev != "" {
		dirty := ""
		if settings["vcs.modified"] == "true" {
			dirty = " (with uncommitted changes)"
		}
		fmt.Fprintf(env.Stdout, "commit  %s%s, %s\n", rev, dirty, settings["vcs.time"])
	} else {
		fmt.Fprintln(env.Stdout, "commit  unknown (built outside a git checkout, or with -buildvcs=false)")
	}
	fmt.Fprintf(env.Stdout, "go      %s %s/%s, cgo %s\n", info.GoVersion, settings["GOOS"], settings["GOARCH"], settings["CGO_ENABLED"])
	fmt.Fprintf(env.Stdout, "tags    %s\n", settings["-tags"])
	return nil
}

// buildVersion is the module version the binary was built as, for the
// User-Agent; "" when the binary does not say.
func buildVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		return info.Main.Version
	}
	return ""
}
