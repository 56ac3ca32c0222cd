package gen

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence lengths kept from the corpus, in runes. Shorter fragments are
// bylines and captions; longer ones are run-on lists that read badly when
// recombined.
const (
	minSentenceRunes = 10
	maxSentenceRunes = 160
)

// corpusSentences holds the real sentences, split by whether they come
// from a 梧州日报 post (local) or from another feed.
type corpusSentences struct {
	local []template
	other []template
}

// loadSentences reads every Jekyll post (*.md with "layout: post") in the
// corpus and turns its body into mutable sentence templates.
func loadSentences(corpus fs.FS) (corpusSentences, error) {
	var out corpusSentences
	seen := make(map[string]bool)
	swaps := newSwapTable()
	err := fs.WalkDir(corpus, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".md" {
			return nil
		}
		raw, err := fs.ReadFile(corpus, p)
		if err != nil {
			return fmt.Errorf("gen: unable to read %s: %w", p, err)
		}
		front, body, ok := splitFrontMatter(raw)
		if !ok || !strings.Contains(front, "\nlayout: post") {
			return nil
		}
		local := strings.Contains(front, "\ncategories: wuzhouribao")
		for _, s := range splitSentences(bodyText(body)) {
			if seen[s] {
				continue // _posts and old_post hold copies of the same post
			}
			seen[s] = true
			t := swaps.template(s)
			if local {
				out.local = append(out.local, t)
			} else {
				out.other = append(out.other, t)
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	if len(out.local)+len(out.other) == 0 {
		return out, fmt.Errorf("gen: no usable sentences in corpus")
	}
	return out, nil
}

// splitFrontMatter returns the front matter (with a leading newline, so
// keys can be matched as "\nkey:") and the body. One sample post starts
// with a blank line before its opening "---".
func splitFrontMatter(raw []byte) (string, string, bool) {
	s := strings.TrimLeft(string(raw), "\r\n")
	if !strings.HasPrefix(s, "---\n") {
		return "", "", false
	}
	rest := s[3:]
	end := strings.Index(rest, "\n---")
	if end < 0 {
		return "", "", false
	}
	body := rest[end+4:]
	return rest[:end+1], strings.TrimPrefix(body, "\n"), true
}

// bodyText drops the source-URL line and the 返回 footer, removes the "> "
// digest marker and HTML markup, and returns one paragraph per line.
func bodyText(body string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(body, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			continue
		case strings.HasPrefix(t, "[返回"):
			continue
		case strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">") && strings.Count(t, "<") == 1:
			continue // <http://…> or <>
		case strings.HasPrefix(t, "> "):
			t = t[2:]
		}
		b.WriteString(stripTags(t))
		b.WriteByte('\n')
	}
	return html.UnescapeString(b.String())
}

// stripTags removes HTML comments and tags. Block tags become line breaks
// so that paragraphs do not run together.
func stripTags(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			break
		}
		name := strings.ToLower(strings.TrimLeft(s[1:end], "/"))
		if n := strings.IndexAny(name, " /"); n >= 0 {
			name = name[:n]
		}
		switch name {
		case "p", "br", "center", "div", "li", "h1", "h2", "h3", "h4":
			b.WriteByte('\n')
		}
		s = s[end+1:]
	}
	return b.String()
}

// splitSentences cuts text after 。！？ (and ASCII ! ?), keeping a closing
// quote or bracket with the sentence it ends, then filters the pieces.
func splitSentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r != '\n' && !isTerminator(r) {
			continue
		}
		for i < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[i:])
			if !isTerminator(r2) && !isCloser(r2) {
				break
			}
			i += s2
		}
		if s, ok := cleanSentence(text[start:i]); ok {
			out = append(out, s)
		}
		start = i
	}
	if s, ok := cleanSentence(text[start:]); ok {
		out = append(out, s)
	}
	return out
}

func isTerminator(r rune) bool {
	return r == '。' || r == '！' || r == '？' || r == '!' || r == '?'
}

func isCloser(r rune) bool {
	return r == '”' || r == '’' || r == '）' || r == '」' || r == '』' || r == ')'
}

// cleanSentence trims a fragment and decides whether it reads as a
// sentence of running text.
func cleanSentence(s string) (string, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '　' })
	s = repairQuotes(s)
	n := utf8.RuneCountInString(s)
	if n < minSentenceRunes || n > maxSentenceRunes {
		return "", false
	}
	if strings.ContainsAny(s, "<>&\"\\\n") || strings.Contains(s, "来源") {
		return "", false // captions, attributions and anything that needs escaping
	}
	if !balanced(s, '“', '”') || !balanced(s, '《', '》') || !balanced(s, '（', '）') || !balanced(s, '(', ')') {
		return "", false
	}
	han := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han*2 < n {
		return "", false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if !isTerminator(last) && !isCloser(last) {
		return "", false // a heading or a cut-off line
	}
	return s, true
}

// repairQuotes drops a quote left open or closed by the sentence split,
// as in a quotation that spans several sentences.
func repairQuotes(s string) string {
	open, closing := strings.Count(s, "“"), strings.Count(s, "”")
	if open == 1 && closing == 0 && strings.HasPrefix(s, "“") {
		return s[len("“"):]
	}
	if closing == 1 && open == 0 {
		return strings.Replace(s, "”", "", 1)
	}
	return s
}

func balanced(s string, open, closing rune) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case open:
			depth++
		case closing:
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// swapTable lists words in real sentences that may be replaced, so a
// finance sentence about 江苏省 and 企业 can become one about 藤县 and 茶园.
type swapTable struct {
	words []swapWord
}

type swapWord struct {
	word string
	slot slot
	keep float32
}

func newSwapTable() swapTable {
	var t swapTable
	for _, w := range strings.Fields(`江西省 福建省 江苏省 浙江省 广东省 上海 北京 深圳 广州 华北 华东
		华尔街 国内 全国 我市 梧州市 梧州`) {
		t.words = append(t.words, swapWord{w, slotPlaceSwap, 0.3})
	}
	for _, w := range strings.Fields(`工业 产业 企业 行业 市场 项目 产品 汽车 数据中心 制冷剂 生猪
		白酒 锂电 半导体 新能源 煤炭 芯片 期货 游戏 传感器`) {
		t.words = append(t.words, swapWord{w, slotWord, 0.4})
	}
	// Longer words first, so 梧州市 wins over 梧州 at the same position.
	sort.SliceStable(t.words, func(i, j int) bool { return len(t.words[i].word) > len(t.words[j].word) })
	return t
}

type span struct {
	start, end int
	slot       slot
	keep       float32
}

// template turns a sentence into literal runs and optional swaps.
func (t swapTable) template(s string) template {
	var spans []span
	for _, w := range t.words {
		for off := 0; ; {
			i := strings.Index(s[off:], w.word)
			if i < 0 {
				break
			}
			spans = append(spans, span{off + i, off + i + len(w.word), w.slot, w.keep})
			off += i + len(w.word)
		}
	}
	spans = append(spans, digitSpans(s)...)
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var tpl template
	pos := 0
	for _, sp := range spans {
		if sp.start < pos {
			continue // overlaps a longer word found earlier
		}
		if sp.start > pos {
			tpl.segs = append(tpl.segs, segment{lit: s[pos:sp.start]})
		}
		tpl.segs = append(tpl.segs, segment{lit: s[sp.start:sp.end], slot: sp.slot, keep: sp.keep})
		pos = sp.end
	}
	if pos < len(s) {
		tpl.segs = append(tpl.segs, segment{lit: s[pos:]})
	}
	return tpl
}

// digitSpans finds plain numbers (not parts of codes like 5G, ET7 or
// 09869.HK, nor decimals) and marks years before 年 separately.
func digitSpans(s string) []span {
	var out []span
	b := []byte(s)
	for i := 0; i < len(b); {
		if !isDigit(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		// A space after a letter still binds a model number: FF 91, iPhone 13.
		afterCode := i > 0 && isCodeByte(b[i-1]) || i > 1 && b[i-1] == ' ' && isLetter(b[i-2])
		if !afterCode && (j == len(b) || !isCodeByte(b[j])) {
			sl := slotDigits
			if j-i == 4 && bytes.HasPrefix(b[j:], []byte("年")) {
				sl = slotYear
			}
			out = append(out, span{i, j, sl, 0.3})
		}
		i = j
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func isCodeByte(c byte) bool { return c == '.' || c == '-' || c == '_' || isLetter(c) }
