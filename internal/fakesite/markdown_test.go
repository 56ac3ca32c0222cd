package fakesite

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMarkdownToHTML(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"paragraphs":          {"a\n\nb", "<p>a</p>\n\n<p>b</p>\n"},
		"leading blank line":  {"\na", "\n<p>a</p>\n"},
		"lines stay together": {"a\nb", "<p>a\nb</p>\n"},
		"digest line":         {"> 据悉\n\n正文", "<blockquote>\n  <p>据悉</p>\n</blockquote>\n\n<p>正文</p>\n"},
		"lazy quote line":     {"> a\nb", "<blockquote>\n  <p>a\nb</p>\n</blockquote>\n"},
		"autolink":            {"<http://x.com/a?b=1&c=2>", `<p><a href="http://x.com/a?b=1&amp;c=2">http://x.com/a?b=1&amp;c=2</a></p>` + "\n"},
		"empty angle":         {"<>", "<p>&lt;&gt;</p>\n"},
		"links":               {"[返回](../emnews/)\n[首页](../)", `<p><a href="../emnews/">返回</a>` + "\n" + `<a href="../">首页</a></p>` + "\n"},
		"link with title":     {`[a](/x "T")`, `<p><a href="/x" title="T">a</a></p>` + "\n"},
		"image":               {"![alt](/i.png)", `<p><img src="/i.png" alt="alt" /></p>` + "\n"},
		"html blocks":         {"<p>x</p>\n <p>y</p>", "<p>x</p>\n<p>y</p>\n"},
		"html then text":      {"<div>\nraw *x*\n</div>\nafter", "<div>\nraw *x*\n</div>\n<p>after</p>\n"},
		"comment block":       {"<!-- a -->\n\nb", "<!-- a -->\n\n<p>b</p>\n"},
		"inline html":         {`<span id="s">新能源</span>汽车`, `<p><span id="s">新能源</span>汽车</p>` + "\n"},
		"escaping":            {"A & B < C > D", "<p>A &amp; B &lt; C &gt; D</p>\n"},
		"entities":            {"&amp; &copy; &bogus; &#x4e2d;", "<p>&amp; © &amp;bogus; 中</p>\n"},
		"typography":          {`say "hi" -- it's... ---`, "<p>say “hi” – it’s… —</p>\n"},
		"backslash escape":    {`\*not em\*`, "<p>*not em*</p>\n"},
		"emphasis":            {"*em* **strong** _u_ a_b_c", "<p><em>em</em> <strong>strong</strong> <em>u</em> a_b_c</p>\n"},
		"code span":           {"`a<b`", "<p><code>a&lt;b</code></p>\n"},
		"strike":              {"~~x~~", "<p><del>x</del></p>\n"},
		"hard break":          {"a  \nb", "<p>a<br />\nb</p>\n"},
		"atx header":          {"## 404 找不到页面 Page Not Found", `<h2 id="404-找不到页面-page-not-found">404 找不到页面 Page Not Found</h2>` + "\n"},
		"setext header":       {"Title\n=====", `<h1 id="title">Title</h1>` + "\n"},
		"repeated ids":        {"# a\n\n# a", "<h1 id=\"a\">a</h1>\n\n<h1 id=\"a-1\">a</h1>\n"},
		"rule":                {"---", "<hr />\n"},
		"dashes in paragraph": {"a\n---\nb\nc\n---", "<h2 id=\"a\">a</h2>\n<p>b\nc\n—</p>\n"},
		"list":                {"- a\n- b", "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n"},
		"ordered list":        {"1. a\n2. b", "<ol>\n  <li>a</li>\n  <li>b</li>\n</ol>\n"},
		"list ends paragraph": {"p\n- a", "<p>p</p>\n<ul>\n  <li>a</li>\n</ul>\n"},
		"indented code":       {"    x < y", `<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>x &lt; y` + "\n</code></pre></div></div>\n"},
		"fenced code":         {"```go\nx\n```", `<div class="language-go highlighter-rouge"><div class="highlight"><pre class="highlight"><code>x` + "\n</code></pre></div></div>\n"},
		"empty":               {"", ""},
		"no front matter":     {"\n---\nlayout: post\ntags: x\n---\n\nbody", "\n<hr />\n<p>layout: post\ntags: x\n—</p>\n\n<p>body</p>\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := markdownToHTML(tc.in); got != tc.want {
				t.Errorf("markdownToHTML(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSmartify(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`"x" & <y>`: "“x” &amp; <y>",
		"a < b":     "a &lt; b",
		"it's":      "it’s",
		"a -- b":    "a – b",
		"金融消息":      "金融消息",
	}
	for in, want := range tests {
		if got := smartify(in); got != want {
			t.Errorf("smartify(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMarkdownToHTML(f *testing.F) {
	for _, s := range []string{"a\n\nb", "> q", "<p>x", "[a](b", "<http://x>", "*a", "```", "    c", "&", "- a\n\n- b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		markdownToHTML(s)
	})
}

func BenchmarkMarkdownCorpus(b *testing.B) {
	files, err := filepath.Glob(corpusDir + "/_posts/*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus: %v", err)
	}
	var bodies []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		_, body, _, _ := splitFrontMatter(string(raw))
		bodies = append(bodies, body)
	}
	for b.Loop() {
		for _, body := range bodies {
			markdownToHTML(body)
		}
	}
}
