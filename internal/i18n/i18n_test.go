package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wzdaily/subscribers"
)

// speakers are the packages whose words come from the catalog.
var speakers = []string{"../../bot", "../../digest", "../../bot/wechat", "../../web"}

// keysUsed reads the speakers' code for the catalog keys it names: the
// first argument of every T call, and the example and help fields of the
// command table. A T call whose key is built at run time must be one the
// test knows how to enumerate (dynamic); any other fails the test.
func keysUsed(t *testing.T) map[string]bool {
	t.Helper()
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, dir := range speakers {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok || sel.Sel.Name != "T" || len(n.Args) == 0 {
						return true
					}
					if key, ok := literal(n.Args[0]); ok {
						used[key] = true
					} else if !dynamic(n.Args[0]) {
						t.Errorf("%s: a key the test cannot read: %s", fset.Position(n.Pos()), render(n.Args[0]))
					}
				case *ast.KeyValueExpr:
					if id, ok := n.Key.(*ast.Ident); ok && (id.Name == "example" || id.Name == "help") {
						if key, ok := literal(n.Value); ok {
							used[key] = true
						}
					}
				}
				return true
			})
		}
	}
	// "state "+string(s), for each state a subscriber may be in.
	for _, s := range []subscribers.State{subscribers.Active, subscribers.Paused, subscribers.Blocked, subscribers.Left} {
		used["state "+string(s)] = true
	}
	return used
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// dynamic reports whether a key built at run time is one keysUsed
// enumerates: a command's example or help, or "state " and a state.
func dynamic(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		return e.Sel.Name == "example" || e.Sel.Name == "help"
	case *ast.BinaryExpr:
		prefix, ok := literal(e.X)
		return ok && prefix == "state "
	}
	return false
}

func render(e ast.Expr) string {
	var b strings.Builder
	ast.Fprint(&b, token.NewFileSet(), e, nil)
	return b.String()
}

func TestEveryKeyUsedIsDefinedAndEveryKeyDefinedIsUsed(t *testing.T) {
	used := keysUsed(t)
	for key := range used {
		if _, ok := catalog[key]; !ok {
			t.Errorf("%q is used but not in the catalog: a reader would see the key", key)
		}
	}
	var unused []string
	for key := range catalog {
		if !used[key] {
			unused = append(unused, key)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("in the catalog but used nowhere: %q", unused)
	}
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

func TestEverySentenceHasBothLanguagesWithTheSameBlanks(t *testing.T) {
	for key, w := range catalog {
		if strings.TrimSpace(w[ZH]) == "" || strings.TrimSpace(w[EN]) == "" {
			t.Errorf("%q lacks a language: %q", key, w)
			continue
		}
		if zh, en := verb.FindAllString(w[ZH], -1), verb.FindAllString(w[EN], -1); !slices.Equal(zh, en) {
			t.Errorf("%q fills different blanks: Chinese %q, English %q", key, zh, en)
		}
	}
}

func TestOf(t *testing.T) {
	for code, want := range map[string]Lang{"en": EN, "en-GB": EN, "zh": ZH, "zh-hans": ZH, "": ZH, "eng": ZH, "fr": ZH} {
		if got := Of(code); got != want {
			t.Errorf("Of(%q) = %v, want %v", code, got, want)
		}
	}
	if EN.Code() != "en" || ZH.Code() != "zh" {
		t.Errorf("codes: %q %q", EN.Code(), ZH.Code())
	}
}

func TestAMissingKeyComesBackAsItself(t *testing.T) {
	if got := ZH.T("no such key"); got != "no such key" {
		t.Errorf("T of a missing key = %q", got)
	}
	if got := EN.T("counts", 3, 2); got != "3 articles, 2 listed" {
		t.Errorf("T formats: %q", got)
	}
}
