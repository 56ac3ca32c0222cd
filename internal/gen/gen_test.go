package gen

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func newTestGenerator(t testing.TB, seed int64) *Generator {
	t.Helper()
	g, err := New(os.DirFS("../sample/finews"), seed)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return g
}

func TestPostIsDeterministic(t *testing.T) {
	a := newTestGenerator(t, 42)
	b := newTestGenerator(t, 42)
	for _, i := range []int{0, 1, 17, 999, 54321} {
		pa, pb := a.Post(i), b.Post(i)
		if !bytes.Equal(pa.Raw, pb.Raw) || pa.Body != pb.Body || !pa.Published.Equal(pb.Published) {
			t.Errorf("post %d differs between two generators with seed 42:\n%s\n---\n%s", i, pa.Raw, pb.Raw)
		}
		if again := a.Post(i); !bytes.Equal(again.Raw, pa.Raw) {
			t.Errorf("post %d differs between two calls on one generator", i)
		}
	}
}

func TestPostDiffersBetweenSeeds(t *testing.T) {
	a := newTestGenerator(t, 1)
	b := newTestGenerator(t, 2)
	same := 0
	for i := 0; i < 50; i++ {
		if bytes.Equal(a.Post(i).Raw, b.Post(i).Raw) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 50 posts are identical for seeds 1 and 2, want 0", same)
	}
}

// Two goroutines generate interleaved halves in reverse; every post must
// match the one generated alone, in order.
func TestPostIsIndependentOfCallOrder(t *testing.T) {
	g := newTestGenerator(t, 7)
	const n = 400
	want := make([][]byte, n)
	for i := range n {
		want[i] = g.Post(i).Raw
	}
	got := make([][]byte, n)
	var wg sync.WaitGroup
	for part := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := n - 1 - part; i >= 0; i -= 2 {
				got[i] = g.Post(i).Raw
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("post %d generated out of order differs from in-order generation", i)
		}
	}
}

func TestPostIDsAreUnique(t *testing.T) {
	g := newTestGenerator(t, 1)
	idRE := regexp.MustCompile(`^NW\d{8}\d{10}$`)
	seen := make(map[string]int, 10000)
	names := make(map[string]int, 10000)
	for i := range 10000 {
		p := g.Post(i)
		if !idRE.MatchString(p.ID) {
			t.Fatalf("post %d: ID %q does not look like NW + date + 10 digits", i, p.ID)
		}
		if j, dup := seen[p.ID]; dup {
			t.Fatalf("posts %d and %d share ID %s", j, i, p.ID)
		}
		if j, dup := names[p.Name]; dup {
			t.Fatalf("posts %d and %d share file name %s", j, i, p.Name)
		}
		seen[p.ID], names[p.Name] = i, i
	}
}

// frontMatterPattern matches the exact front matter of a 梧州日报 post.
func frontMatterPattern() *regexp.Regexp {
	return regexp.MustCompile(`\A---\n` +
		`layout: post\n` +
		`title: "([^"\n]+)"\n` +
		`date: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)( \+0800)?\n` +
		`categories: wuzhouribao\n` +
		`tags: 梧州日报新闻\n` +
		`---\n`)
}

func TestPostNameMatchesFrontMatterDate(t *testing.T) {
	g := newTestGenerator(t, 3)
	frontMatterRE := frontMatterPattern()
	for i := range 2000 {
		p := g.Post(i)
		m := frontMatterRE.FindSubmatch(p.Raw)
		if m == nil {
			t.Fatalf("post %d: front matter does not match:\n%s", i, p.Raw)
		}
		date := string(m[2])
		want := "_posts/" + date[:10] + "-" + p.ID + ".md"
		if p.Name != want {
			t.Errorf("post %d: Name = %q, want %q (front matter date %s)", i, p.Name, want, date)
		}
		if got := p.Published.Format("2006-01-02 15:04:05"); got != date {
			t.Errorf("post %d: Published %s, front matter date %s", i, got, date)
		}
		if !strings.Contains(p.ID, p.Published.Format("20060102")) {
			t.Errorf("post %d: ID %s does not carry the publication date %s", i, p.ID, date)
		}
	}
}

func TestPostRawShape(t *testing.T) {
	g := newTestGenerator(t, 5)
	frontMatterRE := frontMatterPattern()
	const footer = "\n\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=%s>\n\n" +
		"[返回梧州日报新闻](//finews.withounder.com/category/wuzhouribao.html)｜[返回首页](//finews.withounder.com/)"
	var html, plain, digest, noZone int
	for i := range 3000 {
		p := g.Post(i)
		raw := string(p.Raw)
		m := frontMatterRE.FindStringSubmatchIndex(raw)
		if m == nil {
			t.Fatalf("post %d: front matter does not match:\n%s", i, raw)
		}
		if raw[m[2]:m[3]] != p.Title {
			t.Errorf("post %d: front matter title %q, Title %q", i, raw[m[2]:m[3]], p.Title)
		}
		if m[6] < 0 {
			noZone++
		}
		tail := strings.Replace(footer, "%s", p.ID, 1)
		if !strings.HasSuffix(raw, tail) {
			t.Fatalf("post %d: footer is not %q:\n%s", i, tail, raw)
		}
		body := raw[m[1] : len(raw)-len(tail)]
		hasDigest := strings.HasPrefix(body, "> ")
		if hasDigest {
			digest++
			lead, rest, ok := strings.Cut(body, "\n\n")
			if !ok || strings.Contains(lead, "\n") {
				t.Fatalf("post %d: digest line is not followed by a blank line:\n%s", i, raw)
			}
			body = rest
		}
		var paras int
		switch {
		case strings.HasPrefix(body, "<p>"):
			html++
			if !strings.HasSuffix(body, `</p><p class="em_media">（文章来源：梧州日报）</p>`) {
				t.Errorf("post %d: HTML body does not end with the em_media source:\n%s", i, raw)
			}
			paras = strings.Count(body, "<p>")
			if strings.Count(body, "\n <p>") != paras-1 {
				t.Errorf("post %d: paragraphs after the first should start on a new line with one space", i)
			}
		case !strings.Contains(body, "<"):
			plain++
			// Plain posts open with a blank line after the front matter,
			// as the site's plain posts do, unless a digest line leads.
			if !hasDigest && !strings.HasPrefix(body, "\n") {
				t.Errorf("post %d: plain body without a leading blank line:\n%s", i, raw)
			}
			paras = len(strings.Split(strings.TrimPrefix(body, "\n"), "\n\n"))
		default:
			t.Fatalf("post %d: body is neither HTML nor plain text:\n%s", i, raw)
		}
		if paras < 3 || paras > 12 {
			t.Errorf("post %d: %d paragraphs, want 3–12", i, paras)
		}
	}
	// 20% plain, 5% digest and 5% without zone are drawn; allow for chance.
	checkRate(t, "plain-text posts", plain, 3000, 0.14, 0.26)
	checkRate(t, "digest posts", digest, 3000, 0.03, 0.07)
	checkRate(t, "dates without zone", noZone, 3000, 0.03, 0.07)
	if html+plain != 3000 {
		t.Errorf("html %d + plain %d != 3000", html, plain)
	}
}

func checkRate(t *testing.T, what string, got, n int, lo, hi float64) {
	t.Helper()
	if r := float64(got) / float64(n); r < lo || r > hi {
		t.Errorf("%s: %d of %d (%.2f%%), want %.1f%%–%.1f%%", what, got, n, 100*r, 100*lo, 100*hi)
	}
}

// Body must be what a tag-stripping parser sees in Raw, so search tests
// that use Body agree with an ingested index.
func TestPostBodyMatchesRaw(t *testing.T) {
	g := newTestGenerator(t, 9)
	norm := func(s string) string {
		var b strings.Builder
		for _, line := range strings.Split(s, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				b.WriteString(line)
				b.WriteByte('\n')
			}
		}
		return b.String()
	}
	for i := range 500 {
		p := g.Post(i)
		_, body, ok := splitFrontMatter(p.Raw)
		if !ok {
			t.Fatalf("post %d: no front matter", i)
		}
		if got, want := norm(bodyText(body)), norm(p.Body); got != want {
			t.Fatalf("post %d: stripped raw body\n%q\nwant Body\n%q", i, got, want)
		}
	}
}

func TestPostTitles(t *testing.T) {
	g := newTestGenerator(t, 11)
	distinct := make(map[string]bool)
	for i := range 3000 {
		p := g.Post(i)
		n := utf8.RuneCountInString(p.Title)
		if n < minTitleRunes || n > maxTitleRunes {
			t.Errorf("post %d: title %q has %d characters, want %d–%d", i, p.Title, n, minTitleRunes, maxTitleRunes)
		}
		if strings.ContainsAny(p.Title, "\"\\\n{}") {
			t.Errorf("post %d: title %q has a character that breaks the front matter or an unfilled slot", i, p.Title)
		}
		distinct[p.Title] = true
	}
	if len(distinct) < 1500 {
		t.Errorf("%d distinct titles in 3000 posts, want at least 1500", len(distinct))
	}
}

func TestPostPublishedIncreases(t *testing.T) {
	g := newTestGenerator(t, 13)
	var prev time.Time
	backdated := 0
	const n = 20000
	for i := range n {
		p, back := g.publishedAt(i)
		if _, off := p.Zone(); off != 8*3600 {
			t.Fatalf("post %d: zone offset %d, want +08:00", i, off)
		}
		if p.Before(g.opts.Start) {
			t.Fatalf("post %d: %v is before Start %v", i, p, g.opts.Start)
		}
		if back {
			backdated++
			continue
		}
		if !p.After(prev) {
			t.Fatalf("post %d: %v is not after the previous post %v", i, p, prev)
		}
		prev = p
	}
	checkRate(t, "backdated posts", backdated, n, 0.015, 0.025)
}

func TestPostDailyCountsVary(t *testing.T) {
	g := newTestGenerator(t, 13)
	perDay := make(map[string]int)
	for i := range 30000 {
		p, back := g.publishedAt(i)
		if !back {
			perDay[p.Format("2006-01-02")]++
		}
	}
	lo, hi := 1<<30, 0
	for _, c := range perDay {
		lo, hi = min(lo, c), max(hi, c)
	}
	days := float64(len(perDay))
	if mean := 30000 / days; mean < 27 || mean > 33 {
		t.Errorf("mean posts per day %.1f, want about 30", mean)
	}
	if lo > 25 || hi < 35 {
		t.Errorf("posts per day range %d–%d; want some quiet and some busy days", lo, hi)
	}
}

func TestDefaultSpanHoldsHundredThousandPosts(t *testing.T) {
	g := newTestGenerator(t, 1)
	if c := g.Capacity(); c < 100000 {
		t.Fatalf("Capacity() = %d, want at least 100000", c)
	}
	last, _ := g.publishedAt(99999)
	if !last.Before(g.opts.End) || last.Year() < 2025 {
		t.Errorf("post 99999 published %v; want about nine years after %v and before %v", last, g.opts.Start, g.opts.End)
	}
}

func TestReprints(t *testing.T) {
	g := newTestGenerator(t, 17)
	const n = 20000
	reprints, sameTitle, sameBody := 0, 0, 0
	for i := range n {
		src, edit := g.reprintSource(i)
		if src < 0 {
			continue
		}
		reprints++
		if reprints > 60 {
			continue // content checks on a sample keep the test fast
		}
		p, q := g.Post(i), g.Post(src)
		if p.ReprintOf != src || src >= i {
			t.Fatalf("post %d: ReprintOf %d, want earlier index %d", i, p.ReprintOf, src)
		}
		if p.ID == q.ID {
			t.Errorf("reprint %d has the ID of its source %d", i, src)
		}
		if !edit {
			if p.Title != q.Title || p.Body != q.Body {
				t.Errorf("exact reprint %d differs from source %d", i, src)
			}
			sameTitle++
			continue
		}
		sameBody++
		if p.Body == q.Body {
			t.Errorf("edited reprint %d is identical to source %d", i, src)
		}
		if d := overlap(p.Body, q.Body); d < 0.6 {
			t.Errorf("edited reprint %d shares only %.2f of its lines with source %d", i, d, src)
		}
	}
	checkRate(t, "reprints", reprints, n, 0.008, 0.012)
	if sameTitle == 0 || sameBody == 0 {
		t.Errorf("reprint kinds: %d exact, %d edited; want both", sameTitle, sameBody)
	}
	if p := g.Post(0); p.ReprintOf != -1 {
		t.Errorf("post 0 ReprintOf = %d, want -1", p.ReprintOf)
	}
}

// overlap is the share of a's lines that occur in b.
func overlap(a, b string) float64 {
	lines := strings.Split(a, "\n")
	hit := 0
	for _, l := range lines {
		if strings.Contains(b, strings.TrimPrefix(l, "本报讯 ")) {
			hit++
		}
	}
	return float64(hit) / float64(len(lines))
}

func TestReprintFractionIsConfigurable(t *testing.T) {
	opts := DefaultOptions(17)
	opts.ReprintFraction = 0.1
	g, err := NewWithOptions(os.DirFS("../sample/finews"), opts)
	if err != nil {
		t.Fatalf("NewWithOptions: %v", err)
	}
	reprints := 0
	for i := range 5000 {
		if g.Post(i).ReprintOf >= 0 {
			reprints++
		}
	}
	checkRate(t, "reprints at 10%", reprints, 5000, 0.085, 0.115)
}

func TestVocabularyVariesBetweenArticles(t *testing.T) {
	g := newTestGenerator(t, 19)
	// Each word's document frequency over 1,000 posts; a generator that
	// reuses one mix would give every topic word the same spread.
	words := []string{"梧州", "六堡茶", "骑楼城", "台风", "龟苓膏"}
	df := make([]int, len(words))
	topics := make(map[string]bool)
	for i := range 1000 {
		p := g.Post(i)
		text := p.Title + p.Body
		for k, w := range words {
			if strings.Contains(text, w) {
				df[k]++
			}
		}
		topics[p.Topics[0]] = true
	}
	if df[0] < 600 {
		t.Errorf("梧州 occurs in %d of 1000 posts, want well over half", df[0])
	}
	for k := 1; k < len(words); k++ {
		if df[k] == 0 || df[k] > 300 {
			t.Errorf("%s occurs in %d of 1000 posts, want between 1 and 300", words[k], df[k])
		}
	}
	if len(topics) != 11 {
		t.Errorf("%d main topics in 1000 posts, want all 11", len(topics))
	}
}

func TestNewRejectsEmptyCorpus(t *testing.T) {
	if _, err := New(os.DirFS(t.TempDir()), 1); err == nil {
		t.Fatal("New on an empty directory succeeded, want an error")
	}
}

func BenchmarkPost(b *testing.B) {
	g := newTestGenerator(b, 1)
	var bytes int64
	i := 0
	for b.Loop() {
		bytes += int64(len(g.Post(i).Raw))
		i++
	}
	b.SetBytes(bytes / int64(max(i, 1)))
}
