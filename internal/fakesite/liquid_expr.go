package fakesite

import (
	"strconv"
	"strings"
)

// This file parses the markup inside {{ }} and {% %}: variables, literals,
// filters and conditions. It is lenient like Liquid's lax mode: what it
// cannot read evaluates to nil instead of failing the page.

type tokKind int

const (
	tEnd tokKind = iota
	tIdent
	tString
	tNumber
	tDot
	tLBrack
	tRBrack
	tPipe
	tColon
	tComma
	tCompare
	tLParen
	tRParen
	tRange
	tOther
)

type token struct {
	kind tokKind
	text string
}

func lexMarkup(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				toks = append(toks, token{tString, s[i+1:]})
				i = len(s)
				continue
			}
			toks = append(toks, token{tString, s[i+1 : i+1+j]})
			i += j + 2
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' && !strings.HasPrefix(s[j:], "..")) {
				j++
			}
			toks = append(toks, token{tNumber, s[i:j]})
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			if j < len(s) && s[j] == '?' {
				j++
			}
			toks = append(toks, token{tIdent, s[i:j]})
			i = j
		case strings.HasPrefix(s[i:], ".."):
			toks = append(toks, token{tRange, ".."})
			i += 2
		case c == '.':
			toks = append(toks, token{tDot, "."})
			i++
		case c == '[':
			toks = append(toks, token{tLBrack, "["})
			i++
		case c == ']':
			toks = append(toks, token{tRBrack, "]"})
			i++
		case c == '|':
			toks = append(toks, token{tPipe, "|"})
			i++
		case c == ':':
			toks = append(toks, token{tColon, ":"})
			i++
		case c == ',':
			toks = append(toks, token{tComma, ","})
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "("})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")"})
			i++
		case c == '=' || c == '!' || c == '<' || c == '>':
			j := i + 1
			if j < len(s) && (s[j] == '=' || c == '<' && s[j] == '>') {
				j++
			}
			toks = append(toks, token{tCompare, s[i:j]})
			i = j
		default:
			toks = append(toks, token{tOther, string(c)})
			i++
		}
	}
	return toks
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

// expr is an evaluable piece of markup.
type expr interface {
	eval(c *renderContext) any
}

type literal struct{ v any }

func (l literal) eval(*renderContext) any { return l.v }

// variable is name followed by .key or [expr] lookups.
type variable struct {
	name string
	path []expr
}

func (v variable) eval(c *renderContext) any {
	cur := c.lookup(v.name)
	for _, p := range v.path {
		cur = property(cur, p.eval(c))
		if cur == nil {
			return nil
		}
	}
	return cur
}

type rangeExpr struct{ from, to expr }

// maxRange bounds (1..n) loops so a hostile template cannot exhaust memory.
const maxRange = 100000

func (r rangeExpr) eval(c *renderContext) any {
	a, ok1 := toInt(r.from.eval(c))
	b, ok2 := toInt(r.to.eval(c))
	if !ok1 || !ok2 || b < a {
		return []any{}
	}
	if b-a >= maxRange {
		b = a + maxRange - 1
	}
	out := make([]any, 0, b-a+1)
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out
}

type filterCall struct {
	name string
	args []expr
}

// filtered is an expression followed by | filters.
type filtered struct {
	base    expr
	filters []filterCall
}

func (f filtered) eval(c *renderContext) any {
	v := f.base.eval(c)
	for _, fc := range f.filters {
		args := make([]any, len(fc.args))
		for i, a := range fc.args {
			args[i] = a.eval(c)
		}
		v = applyFilter(c, fc.name, v, args)
	}
	return v
}

// exprParser walks a token slice.
type exprParser struct {
	toks []token
	pos  int
}

func (p *exprParser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{kind: tEnd}
}

func (p *exprParser) next() token {
	t := p.peek()
	if p.pos < len(p.toks) {
		p.pos++
	}
	return t
}

// primary parses a literal, a variable or a range.
func (p *exprParser) primary() expr {
	t := p.next()
	switch t.kind {
	case tString:
		return literal{t.text}
	case tNumber:
		if strings.Contains(t.text, ".") {
			f, err := strconv.ParseFloat(t.text, 64)
			if err != nil {
				return literal{nil}
			}
			return literal{f}
		}
		n, err := strconv.Atoi(t.text)
		if err != nil {
			return literal{nil}
		}
		return literal{n}
	case tLParen:
		from := p.primary()
		if p.peek().kind == tRange {
			p.next()
		}
		to := p.primary()
		if p.peek().kind == tRParen {
			p.next()
		}
		return rangeExpr{from, to}
	case tLBrack:
		// A leading [ "key" ] looks up a top-level name.
		key := p.filteredExpr()
		if p.peek().kind == tRBrack {
			p.next()
		}
		return p.pathAfter(dynamicRoot{key})
	case tIdent:
		switch t.text {
		case "true":
			return literal{true}
		case "false":
			return literal{false}
		case "nil", "null":
			return literal{nil}
		case "empty":
			return literal{emptyValue{}}
		case "blank":
			return literal{blankValue{}}
		}
		return p.pathAfter(variable{name: t.text})
	}
	return literal{nil}
}

// dynamicRoot is a variable whose name is computed.
type dynamicRoot struct{ key expr }

func (d dynamicRoot) eval(c *renderContext) any {
	if s, ok := d.key.eval(c).(string); ok {
		return c.lookup(s)
	}
	return nil
}

// pathAfter reads the .key and [expr] lookups after a root.
func (p *exprParser) pathAfter(root expr) expr {
	var path []expr
	for {
		switch p.peek().kind {
		case tDot:
			p.next()
			if t := p.peek(); t.kind == tIdent {
				p.next()
				path = append(path, literal{t.text})
				continue
			}
			return literal{nil}
		case tLBrack:
			p.next()
			path = append(path, p.filteredExpr())
			if p.peek().kind == tRBrack {
				p.next()
			}
			continue
		}
		break
	}
	if len(path) == 0 {
		return root
	}
	if v, ok := root.(variable); ok {
		v.path = path
		return v
	}
	return chained{root, path}
}

// chained applies lookups to a computed root.
type chained struct {
	root expr
	path []expr
}

func (ch chained) eval(c *renderContext) any {
	cur := ch.root.eval(c)
	for _, p := range ch.path {
		cur = property(cur, p.eval(c))
	}
	return cur
}

// filteredExpr parses `primary | filter: a, b | filter`.
func (p *exprParser) filteredExpr() expr {
	base := p.primary()
	var filters []filterCall
	for p.peek().kind == tPipe {
		p.next()
		name := p.next()
		if name.kind != tIdent {
			break
		}
		fc := filterCall{name: name.text}
		if p.peek().kind == tColon {
			p.next()
			for {
				// Named arguments (key: value) are read and dropped.
				if p.peek().kind == tIdent && p.pos+1 < len(p.toks) && p.toks[p.pos+1].kind == tColon {
					p.pos += 2
					p.primary()
				} else {
					fc.args = append(fc.args, p.primary())
				}
				if p.peek().kind != tComma {
					break
				}
				p.next()
			}
		}
		filters = append(filters, fc)
	}
	if len(filters) == 0 {
		return base
	}
	return filtered{base, filters}
}

// parseOutput parses the markup of {{ }}.
func parseOutput(markup string) expr {
	p := &exprParser{toks: lexMarkup(markup)}
	return p.filteredExpr()
}

// condition is a chain of comparisons joined by and/or, evaluated from
// right to left as Liquid does.
type condition struct {
	parts []comparison
	ops   []string // ops[i] joins parts[i] and parts[i+1]
}

type comparison struct {
	left  expr
	op    string
	right expr
}

func (cmp comparison) eval(c *renderContext) bool {
	l := cmp.left.eval(c)
	if cmp.op == "" {
		return truthy(l) && !isEmptyLiteral(l)
	}
	r := cmp.right.eval(c)
	switch cmp.op {
	case "==":
		return valuesEqual(l, r)
	case "!=", "<>":
		return !valuesEqual(l, r)
	case "contains":
		switch x := l.(type) {
		case string:
			s, ok := r.(string)
			return ok && strings.Contains(x, s)
		case []any:
			for _, e := range x {
				if valuesEqual(e, r) {
					return true
				}
			}
		}
		return false
	}
	n, ok := compareValues(l, r)
	if !ok {
		return false
	}
	switch cmp.op {
	case "<":
		return n < 0
	case ">":
		return n > 0
	case "<=":
		return n <= 0
	case ">=":
		return n >= 0
	}
	return false
}

// isEmptyLiteral keeps {% if empty %} false; the literal itself is not data.
func isEmptyLiteral(v any) bool {
	switch v.(type) {
	case emptyValue, blankValue:
		return true
	}
	return false
}

func (cd condition) eval(c *renderContext) bool {
	if len(cd.parts) == 0 {
		return false
	}
	return cd.evalFrom(c, 0)
}

func (cd condition) evalFrom(c *renderContext, i int) bool {
	if i == len(cd.parts)-1 {
		return cd.parts[i].eval(c)
	}
	left := cd.parts[i].eval(c)
	if cd.ops[i] == "and" {
		return left && cd.evalFrom(c, i+1)
	}
	return left || cd.evalFrom(c, i+1)
}

func parseCondition(markup string) condition {
	p := &exprParser{toks: lexMarkup(markup)}
	var cd condition
	for {
		cmp := comparison{left: p.filteredExpr()}
		if t := p.peek(); t.kind == tCompare || t.kind == tIdent && t.text == "contains" {
			p.next()
			cmp.op = t.text
			cmp.right = p.filteredExpr()
		}
		cd.parts = append(cd.parts, cmp)
		t := p.peek()
		if t.kind != tIdent || t.text != "and" && t.text != "or" {
			return cd
		}
		p.next()
		cd.ops = append(cd.ops, t.text)
	}
}
