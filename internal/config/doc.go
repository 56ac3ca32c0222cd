// Package config resolves the server's settings from one table of options.
//
// Each option can come from a command-line flag, an environment variable,
// the YAML config file or its default, in that order of precedence. Load
// checks every value and reports all the bad ones at once, so an operator
// fixes the configuration in one pass instead of one restart per mistake.
//
// There is no package-level state: main builds a Set, loads it, and hands
// typed values to the packages that need them.
package config
