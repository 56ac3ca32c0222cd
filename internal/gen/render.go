package gen

import (
	"time"
)

// The fixed parts of a 梧州日报 post on finews.withounder.com, as in
// _posts/2022-02-11-NW202202112273376235.md of the sample.
const (
	frontCategory = "categories: wuzhouribao\ntags: 梧州日报新闻\n---\n"
	emMedia       = `<p class="em_media">（文章来源：梧州日报）</p>`
	attribution   = "（文章来源：梧州日报）"
	sourcePrefix  = "<http://finews.zning.xyz/html_News/NewsShare.html?infoCode="
	footer        = "[返回梧州日报新闻](//finews.withounder.com/category/wuzhouribao.html)｜[返回首页](//finews.withounder.com/)"
	indentText    = "　　"
	noZoneRate    = 0.05 // share of front-matter dates written without +0800
)

func (g *Generator) render(i int, published time.Time, backdated bool, src int, a *article) Post {
	var idBuf [32]byte
	id := string(g.postID(idBuf[:0], i, published))

	raw := make([]byte, 0, len(a.text)+len(a.title)+512)
	raw = append(raw, "---\nlayout: post\ntitle: \""...)
	raw = append(raw, a.title...)
	raw = append(raw, "\"\ndate: "...)
	raw = published.AppendFormat(raw, "2006-01-02 15:04:05")
	shape := newRNG(g.opts.Seed, i, streamShape)
	if !shape.chance(noZoneRate) {
		raw = append(raw, " +0800"...)
	}
	raw = append(raw, '\n')
	raw = append(raw, frontCategory...)

	body := make([]byte, 0, len(a.text)+64)
	if a.digest {
		lead := a.text[:a.lead]
		raw = append(append(append(raw, "> "...), lead...), "\n\n"...)
		body = append(append(body, lead...), '\n')
	} else if a.plain {
		raw = append(raw, '\n') // plain posts on the site open with a blank line
	}

	start := 0
	last := len(a.paraEnds) - 1
	for k, end := range a.paraEnds {
		para := a.text[start : end-1] // without its '\n'
		start = end
		if a.plain {
			if k > 0 {
				raw = append(raw, "\n\n"...)
			}
			raw = append(raw, para...)
			body = append(body, para...)
			if k == last && a.byline != "" {
				raw = append(append(append(raw, "（记者 "...), a.byline...), "）"...)
				body = append(append(append(body, "（记者 "...), a.byline...), "）"...)
			}
			body = append(body, '\n')
			continue
		}
		if k > 0 {
			raw = append(raw, "\n "...) // the site's HTML posts indent every <p> after the first
		}
		raw = append(raw, "<p>"...)
		if a.indent {
			raw = append(raw, indentText...)
			body = append(body, indentText...)
		}
		raw = append(raw, para...)
		body = append(body, para...)
		if k == last && a.byline != "" {
			raw = append(append(append(raw, " ("...), a.byline...), ") "...)
			body = append(append(append(body, " ("...), a.byline...), ") "...)
		}
		raw = append(raw, "</p>"...)
		body = append(body, '\n')
	}
	if !a.plain {
		raw = append(raw, emMedia...)
		body = append(body, attribution...)
		body = append(body, '\n')
	}
	raw = append(raw, "\n\n"...)
	raw = append(raw, sourcePrefix...)
	raw = append(raw, id...)
	raw = append(raw, ">\n\n"...)
	raw = append(raw, footer...)

	var nameBuf [64]byte
	name := append(nameBuf[:0], "_posts/"...)
	name = published.AppendFormat(name, "2006-01-02")
	name = append(append(append(name, '-'), id...), ".md"...)

	return Post{
		Index:     i,
		Name:      string(name),
		ID:        id,
		Title:     a.title,
		Published: published,
		Topics:    a.topics,
		Body:      string(body[:len(body)-1]),
		ReprintOf: src,
		Backdated: backdated,
		Raw:       raw,
	}
}
