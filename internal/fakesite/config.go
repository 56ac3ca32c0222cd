package fakesite

import (
	"errors"
	"fmt"
	"io/fs"
	"time"
	_ "time/tzdata" // the site's timezone must resolve even where the OS has no zoneinfo

	"gopkg.in/yaml.v3"
)

// siteSettings are the _config.yml values that rendering needs.
type siteSettings struct {
	data        map[string]any // the whole config, exposed as site.*
	url         string         // site.url; Options.BaseURL overrides it
	baseurl     string
	title       string
	lang        string
	author      string
	description string
	loc         *time.Location
	now         func() time.Time
}

// loadSettings reads _config.yml from the layouts tree. A missing file
// gives Jekyll's defaults (UTC, no url).
func loadSettings(fsys fs.FS) (*siteSettings, error) {
	s := &siteSettings{data: map[string]any{}, loc: time.UTC}
	raw, err := fs.ReadFile(fsys, "_config.yml")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("fakesite: unable to read _config.yml: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("fakesite: unable to parse _config.yml: %w", err)
	}
	if len(doc.Content) > 0 {
		m, ok := yamlValue(doc.Content[0]).(map[string]any)
		if !ok {
			return nil, errors.New("fakesite: unable to parse _config.yml: not a mapping")
		}
		s.data = m
	}
	s.url = str(s.data["url"])
	s.baseurl = str(s.data["baseurl"])
	s.title = str(s.data["title"])
	if s.title == "" {
		s.title = str(s.data["name"])
	}
	s.lang = str(s.data["lang"])
	s.description = str(s.data["description"])
	switch a := s.data["author"].(type) {
	case string:
		s.author = a
	case map[string]any:
		s.author = str(a["name"])
	}
	if tz := str(s.data["timezone"]); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return nil, fmt.Errorf("fakesite: unable to load timezone %q from _config.yml: %w", tz, err)
		}
		s.loc = loc
	}
	return s, nil
}

// str returns v when it is a string, else "".
func str(v any) string {
	s, _ := v.(string)
	return s
}

// yamlValue converts a YAML node to Liquid values. Timestamps stay strings
// (the date key is handled separately, see frontMatterDate).
func yamlValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return yamlValue(n.Content[0])
	case yaml.AliasNode:
		if n.Alias != nil {
			return yamlValue(n.Alias)
		}
		return nil
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = yamlValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, yamlValue(c))
		}
		return out
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				return b
			}
		case "!!int":
			var i int
			if n.Decode(&i) == nil {
				return i
			}
		case "!!float":
			var f float64
			if n.Decode(&f) == nil {
				return f
			}
		}
		return n.Value
	}
	return nil
}
