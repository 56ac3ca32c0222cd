package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// Load resolves every option: a flag set on the command line beats the
// environment, which beats the file, which beats the default.
//
// fs must already be parsed; nil means no flags. getenv is usually
// os.Getenv; nil means no environment, and an empty variable counts as
// unset. file "" means no file, but a file that is named must exist.
//
// Only the winning value of each option is checked. When any is bad, Load
// returns *Errors listing all of them and leaves the Set unchanged.
func (s *Set) Load(fs *flag.FlagSet, getenv func(string) string, file string) error {
	if fs != nil && !fs.Parsed() {
		return errors.New("config: unable to load settings: flags are not parsed yet")
	}
	var errs Errors
	var fromFile map[string]input
	if file != "" {
		values, problems, err := readFile(file, s.index)
		if err != nil {
			return err
		}
		fromFile, errs = values, problems
	}
	fromFlags := make(map[string]string)
	if fs != nil {
		fs.Visit(func(f *flag.Flag) { fromFlags[f.Name] = f.Value.String() })
	}
	if getenv == nil {
		getenv = func(string) string { return "" }
	}

	values := make([]Value, len(s.opts))
	sources := make([]Source, len(s.opts))
	origins := make([]string, len(s.opts))
	for i, o := range s.opts {
		in, src, origin := input{text: o.Default}, SourceDefault, ""
		text, envName, envErr := lookupEnv(o, getenv)
		fv, inFile := fromFile[o.Key]
		flagText, onCommandLine := fromFlags[o.Flag]
		switch {
		case o.Flag != "" && onCommandLine:
			in, src, origin = input{text: flagText}, SourceFlag, "-"+o.Flag
		case envErr != nil:
			errs = append(errs, FieldError{Key: o.Key, Source: SourceEnv, Origin: envName, Reason: envErr.Error(), noValue: true})
			continue
		case envName != "":
			in, src, origin = input{text: text}, SourceEnv, envName
		case inFile:
			in, src, origin = fv, SourceFile, file
		}
		v, err := parse(o.Kind, in)
		if err == nil && o.Check != nil {
			err = o.Check(v)
		}
		if err != nil {
			errs = append(errs, newFieldError(o, src, origin, in, err))
			continue
		}
		values[i], sources[i], origins[i] = v, src, origin
	}
	if len(errs) > 0 {
		return &errs
	}
	s.values, s.sources, s.origins = values, sources, origins
	return nil
}

// lookupEnv returns the option's text from the environment and the variable
// it came from, or no variable when the environment does not set it. A
// secret may instead name a file in Env_FILE, as container secrets are
// mounted; the file's contents are the value.
func lookupEnv(o Option, getenv func(string) string) (text, name string, err error) {
	if o.Env == "" {
		return "", "", nil
	}
	text = getenv(o.Env)
	if o.Secret {
		fileVar := o.Env + "_FILE"
		if path := getenv(fileVar); path != "" {
			if text != "" {
				return "", fileVar, fmt.Errorf("set either %s or %s, not both", o.Env, fileVar)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return "", fileVar, fmt.Errorf("unable to read the secret file: %w", err)
			}
			return strings.TrimSpace(string(data)), fileVar, nil
		}
	}
	if text == "" {
		return "", "", nil
	}
	return text, o.Env, nil
}
