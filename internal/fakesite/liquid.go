package fakesite

import (
	"strings"
)

// A small Liquid: enough for the finews layouts and pages (output tags with
// filters, if/elsif/else/unless, for with limit/offset/reversed, assign,
// capture, raw, comment, seo, include). Unknown tags render nothing and
// unknown variables render empty, as lax Liquid does; nothing panics.

type node interface {
	render(c *renderContext, out *strings.Builder)
}

type textNode string

func (t textNode) render(_ *renderContext, out *strings.Builder) { out.WriteString(string(t)) }

type outputNode struct{ e expr }

func (o outputNode) render(c *renderContext, out *strings.Builder) {
	out.WriteString(toText(o.e.eval(c)))
}

type ifBranch struct {
	cond condition
	body []node
}

type ifNode struct {
	branches []ifBranch
	elseBody []node
	negate   bool // unless
}

func (n ifNode) render(c *renderContext, out *strings.Builder) {
	for i, b := range n.branches {
		ok := b.cond.eval(c)
		if i == 0 && n.negate {
			ok = !ok
		}
		if ok {
			renderNodes(c, b.body, out)
			return
		}
	}
	renderNodes(c, n.elseBody, out)
}

type forNode struct {
	varName  string
	coll     expr
	limit    expr
	offset   expr
	reversed bool
	body     []node
	elseBody []node
}

func (n forNode) render(c *renderContext, out *strings.Builder) {
	items := toList(n.coll.eval(c))
	if n.offset != nil {
		if off, ok := toInt(n.offset.eval(c)); ok && off > 0 {
			items = items[min(off, len(items)):]
		}
	}
	if n.limit != nil {
		if lim, ok := toInt(n.limit.eval(c)); ok && lim >= 0 && lim < len(items) {
			items = items[:lim]
		}
	}
	if n.reversed {
		rev := make([]any, len(items))
		for i, it := range items {
			rev[len(items)-1-i] = it
		}
		items = rev
	}
	if len(items) == 0 {
		renderNodes(c, n.elseBody, out)
		return
	}
	scope := map[string]any{}
	c.push(scope)
	defer c.pop()
	for i, it := range items {
		scope[n.varName] = it
		scope["forloop"] = map[string]any{
			"index": i + 1, "index0": i, "first": i == 0, "last": i == len(items)-1,
			"length": len(items), "rindex": len(items) - i, "rindex0": len(items) - i - 1,
		}
		renderNodes(c, n.body, out)
	}
}

type assignNode struct {
	name string
	e    expr
}

func (n assignNode) render(c *renderContext, _ *strings.Builder) { c.assign(n.name, n.e.eval(c)) }

type captureNode struct {
	name string
	body []node
}

func (n captureNode) render(c *renderContext, _ *strings.Builder) {
	var b strings.Builder
	renderNodes(c, n.body, &b)
	c.assign(n.name, b.String())
}

type seoNode struct{}

func (seoNode) render(c *renderContext, out *strings.Builder) {
	if c.seo != nil {
		out.WriteString(c.seo(c))
	}
}

// maxRenderDepth stops runaway recursion (a body that renders itself).
const maxRenderDepth = 64

func renderNodes(c *renderContext, nodes []node, out *strings.Builder) {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > maxRenderDepth {
		return
	}
	for _, n := range nodes {
		n.render(c, out)
	}
}

// piece is one lexed element of a template: text, {{ }} or {% %}.
type piece struct {
	kind   byte // 't' text, 'o' output, 'g' tag
	text   string
	name   string // tag name
	markup string // tag arguments
}

// lexTemplate splits src into pieces and applies {%- -%} trimming.
func lexTemplate(src string) []piece {
	var out []piece
	trimNext := false
	for len(src) > 0 {
		i := indexOpen(src)
		if i < 0 {
			out = appendText(out, src, trimNext)
			break
		}
		isTag := src[i+1] == '%'
		closer := "}}"
		if isTag {
			closer = "%}"
		}
		j := strings.Index(src[i+2:], closer)
		if j < 0 {
			out = appendText(out, src, trimNext)
			break
		}
		inner := src[i+2 : i+2+j]
		text := src[:i]
		trimLeft := strings.HasPrefix(inner, "-")
		trimRight := strings.HasSuffix(inner, "-")
		inner = strings.TrimSuffix(strings.TrimPrefix(inner, "-"), "-")
		if trimLeft {
			text = strings.TrimRight(text, " \t\r\n")
		}
		out = appendText(out, text, trimNext)
		trimNext = trimRight
		src = src[i+2+j+2:]
		if !isTag {
			out = append(out, piece{kind: 'o', text: inner})
			continue
		}
		name, markup := splitTag(inner)
		if name == "raw" || name == "comment" {
			end, rest, ok := findEndTag(src, "end"+name)
			if !ok {
				end, rest = src, ""
			}
			if name == "raw" {
				out = append(out, piece{kind: 't', text: end})
			}
			src = rest
			continue
		}
		out = append(out, piece{kind: 'g', name: name, markup: markup})
	}
	return out
}

func indexOpen(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '{' && (s[i+1] == '{' || s[i+1] == '%') {
			return i
		}
	}
	return -1
}

func appendText(out []piece, text string, trimLeading bool) []piece {
	if trimLeading {
		text = strings.TrimLeft(text, " \t\r\n")
	}
	if text == "" {
		return out
	}
	return append(out, piece{kind: 't', text: text})
}

func splitTag(inner string) (name, markup string) {
	inner = strings.TrimSpace(inner)
	i := strings.IndexAny(inner, " \t\r\n")
	if i < 0 {
		return inner, ""
	}
	return inner[:i], strings.TrimSpace(inner[i:])
}

// findEndTag finds {% endname %} for raw and comment blocks.
func findEndTag(src, endName string) (body, rest string, ok bool) {
	off := 0
	for {
		i := strings.Index(src[off:], "{%")
		if i < 0 {
			return "", "", false
		}
		i += off
		j := strings.Index(src[i+2:], "%}")
		if j < 0 {
			return "", "", false
		}
		inner := strings.Trim(src[i+2:i+2+j], "-")
		if name, _ := splitTag(inner); name == endName {
			return src[:i], src[i+2+j+2:], true
		}
		off = i + 2
	}
}

// template is a parsed Liquid source.
type template struct{ nodes []node }

func parseTemplate(src string) *template {
	p := &tmplParser{pieces: lexTemplate(src)}
	nodes, _ := p.parseUntil()
	return &template{nodes: nodes}
}

func (t *template) render(c *renderContext) string {
	var b strings.Builder
	renderNodes(c, t.nodes, &b)
	return b.String()
}

type tmplParser struct {
	pieces []piece
	pos    int
}

// parseUntil parses nodes until one of the stop tags (returned) or the end.
func (p *tmplParser) parseUntil(stops ...string) ([]node, piece) {
	var nodes []node
	for p.pos < len(p.pieces) {
		pc := p.pieces[p.pos]
		p.pos++
		switch pc.kind {
		case 't':
			nodes = append(nodes, textNode(pc.text))
			continue
		case 'o':
			nodes = append(nodes, outputNode{parseOutput(pc.text)})
			continue
		}
		for _, s := range stops {
			if pc.name == s {
				return nodes, pc
			}
		}
		if n := p.parseTag(pc); n != nil {
			nodes = append(nodes, n)
		}
	}
	return nodes, piece{}
}

func (p *tmplParser) parseTag(pc piece) node {
	switch pc.name {
	case "if", "unless":
		return p.parseIf(pc)
	case "for":
		return p.parseFor(pc)
	case "assign":
		name, rhs, ok := strings.Cut(pc.markup, "=")
		if !ok {
			return nil
		}
		return assignNode{name: strings.TrimSpace(name), e: parseOutput(rhs)}
	case "capture":
		body, _ := p.parseUntil("endcapture")
		return captureNode{name: strings.Trim(strings.TrimSpace(pc.markup), `"'`), body: body}
	case "seo":
		return seoNode{}
	}
	// include, and anything unknown, renders nothing.
	return nil
}

func (p *tmplParser) parseIf(pc piece) node {
	n := ifNode{negate: pc.name == "unless"}
	cond := parseCondition(pc.markup)
	for {
		body, stop := p.parseUntil("elsif", "else", "endif", "endunless")
		n.branches = append(n.branches, ifBranch{cond: cond, body: body})
		switch stop.name {
		case "elsif":
			cond = parseCondition(stop.markup)
			continue
		case "else":
			n.elseBody, _ = p.parseUntil("endif", "endunless")
		}
		return n
	}
}

func (p *tmplParser) parseFor(pc piece) node {
	ep := &exprParser{toks: lexMarkup(pc.markup)}
	n := forNode{}
	if t := ep.next(); t.kind == tIdent {
		n.varName = t.text
	}
	if t := ep.next(); t.kind != tIdent || t.text != "in" {
		n.coll = literal{nil}
	} else {
		n.coll = ep.primary()
	}
	for ep.peek().kind != tEnd {
		t := ep.next()
		if t.kind != tIdent {
			continue
		}
		switch t.text {
		case "reversed":
			n.reversed = true
		case "limit", "offset":
			if ep.peek().kind == tColon {
				ep.next()
			}
			v := ep.primary()
			if t.text == "limit" {
				n.limit = v
			} else {
				n.offset = v
			}
		}
	}
	body, stop := p.parseUntil("else", "endfor")
	n.body = body
	if stop.name == "else" {
		n.elseBody, _ = p.parseUntil("endfor")
	}
	return n
}

// renderContext carries variables and site settings through a render.
type renderContext struct {
	globals map[string]any
	scopes  []map[string]any
	site    *siteSettings
	seo     func(c *renderContext) string
	depth   int
}

func newRenderContext(site *siteSettings, globals map[string]any) *renderContext {
	return &renderContext{globals: globals, site: site, seo: renderSEO}
}

func (c *renderContext) lookup(name string) any {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if v, ok := c.scopes[i][name]; ok {
			return v
		}
	}
	return c.globals[name]
}

func (c *renderContext) push(scope map[string]any) { c.scopes = append(c.scopes, scope) }
func (c *renderContext) pop()                      { c.scopes = c.scopes[:len(c.scopes)-1] }

// assign writes to the outermost scope, as Liquid's assign does.
func (c *renderContext) assign(name string, v any) {
	if c.globals == nil {
		c.globals = map[string]any{}
	}
	c.globals[name] = v
}
