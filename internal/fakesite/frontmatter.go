package fakesite

import (
	"errors"
	"fmt"
	"regexp"

	"gopkg.in/yaml.v3"
)

// frontMatterRE is Jekyll's YAML_FRONT_MATTER_REGEXP. It is anchored at the
// very start of the file: a file that begins with a blank line has no front
// matter at all, and its "---" lines become part of the body.
var frontMatterRE = regexp.MustCompile(`(?ms)\A(---\s*\n.*?\n?)^((?:---|\.\.\.)\s*$\n?)`)

// frontMatter is the parsed YAML header of a post or page.
type frontMatter struct {
	data map[string]any
	date *yaml.Node // the raw date scalar: its quoting decides its timezone
}

// splitFrontMatter returns the front matter and the body after it. ok is
// false when the file has no front matter (the whole file is the body).
func splitFrontMatter(raw string) (fm frontMatter, body string, ok bool, err error) {
	fm.data = map[string]any{}
	loc := frontMatterRE.FindStringSubmatchIndex(raw)
	if loc == nil {
		return fm, raw, false, nil
	}
	header, body := raw[loc[2]:loc[3]], raw[loc[1]:]
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(header), &doc); err != nil {
		return fm, body, true, fmt.Errorf("front matter is not valid YAML: %w", err)
	}
	if len(doc.Content) == 0 {
		return fm, body, true, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return fm, body, true, nil
	}
	if root.Kind != yaml.MappingNode {
		return fm, body, true, errors.New("front matter is not a YAML mapping")
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, root.Content[i+1]
		fm.data[key] = yamlValue(val)
		if key == "date" {
			fm.date = val
		}
	}
	return fm, body, true, nil
}
