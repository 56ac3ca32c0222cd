package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wzdaily/digest"
)

// run runs the command line with a fresh environment and returns its
// status and output.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	code := Run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func TestIngestSampleTwiceThenSearch(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	code, out, errOut := run(t, nil, "", "ingest", "--sample", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "sample: read 110, new 105, updated 4, unchanged 0, rejected 1") ||
		!strings.Contains(out, "_posts/-202205262391921712.md: post rejected: empty title") {
		t.Fatalf("first ingest: %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, nil, "", "ingest", "--sample", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "read 0, new 0") {
		t.Fatalf("second ingest should read nothing: %d\n%s", code, out)
	}
	// The database path may also come from the environment.
	env := map[string]string{"WZDAILY_DB": dbPath}
	code, out, _ = run(t, env, "", "search", "工业", "--tag", "梧州日报新闻")
	if code != 0 || !strings.Contains(out, "1. 加快我市【工业】高质量发展") || strings.Contains(out, "2. ") {
		t.Fatalf("search: %d\n%s", code, out)
	}
	code, out, _ = run(t, env, "", "search", "梧州工业")
	if code != 0 || !strings.Contains(out, "Nothing found for 梧州工业 as typed; articles with all of 梧州, 工业:\n1 found.\n1. 加快我市【工业】") {
		t.Fatalf("an unspaced search is split into words: %d\n%s", code, out)
	}
	code, out, _ = run(t, env, "", "search", "32")
	if code != 0 || !strings.Contains(out, "71.32美元") || !strings.Contains(out, "跌【32】%") {
		t.Fatalf("a hit inside a number is not marked, a number alone is: %d\n%s", code, out)
	}
	code, out, _ = run(t, env, "", "search", "😀")
	if code != 0 || !strings.Contains(out, "Nothing to search for") {
		t.Errorf("emoji search: %d %s", code, out)
	}
	code, out, _ = run(t, env, "", "tags")
	if code != 0 || !strings.Contains(out, "103  东财滚动新闻  (site)") || !strings.Contains(out, "工业  (topic)") {
		t.Errorf("tags: %d\n%s", code, out)
	}
	code, out, _ = run(t, env, "", "articles", "--limit", "2")
	if code != 0 || !strings.Contains(out, "105 articles") || strings.Count(out, "https://") != 2 {
		t.Errorf("articles: %d\n%s", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"search", "--db", db}, 2, "what should I search for"},
		{[]string{"search", "--db", db, "--limit", "99", "x"}, 2, "--limit must be 1 to 50"},
		{[]string{"search", "--db", db, "--from", "yesterday", "x"}, 2, "not a day"},
		{[]string{"search", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"ingest", "--db", db, filepath.Join(filepath.Dir(db), "missing")}, 2, "no such file"},
		{[]string{"ingest", "--db", db, "a", "b"}, 2, "give one folder or URL"},
		{[]string{"officialaccount"}, 2, "say menu"},
		{[]string{"officialaccount", "menus"}, 2, `unknown subcommand "menus"`},
		{[]string{"officialaccount", "menu"}, 2, "set the account's AppID"},
	}
	for _, c := range cases {
		code, _, errOut := run(t, nil, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		code, _, errOut := run(t, nil, "", c.name, "--help")
		if code != 0 || !strings.Contains(errOut, "Usage: wzdaily "+c.name) {
			t.Errorf("%s --help: exit %d\n%s", c.name, code, errOut)
		}
	}
	code, out, _ := run(t, nil, "")
	if code != 0 || !strings.Contains(out, "Commands:") || !strings.Contains(out, "sqlite_fts5") {
		t.Errorf("no arguments: %d %s", code, out)
	}
}

// TestDemoChat is the README's promise: on a fresh database, these
// commands all work in the built-in terminal chat.
func TestDemoChat(t *testing.T) {
	script := "订阅 工业\n/list\n搜索 梧州工业\n搜索 美元\n下一页\n上一页\n今日摘要\n统计\n/time 08:15\n/tz Europe/Berlin\n/stop\n\x00\xff'\"*\n"
	code, out, errOut := run(t, nil, script, "demo")
	// The first lines say what the sample is: real posts, mostly wire
	// news, one 梧州日报 article.
	if first, _, _ := strings.Cut(out, "\n"); !strings.HasPrefix(first, "The sample: 105 real posts") || !strings.Contains(first, "1 梧州日报新闻") ||
		!strings.Contains(out, "Most (103) are wire flashes of 东财滚动新闻 and 1 from 梧州日报") {
		t.Errorf("the demo does not first say what its sample is:\n%.400s", out)
	}
	for _, want := range []string{"已订阅：工业。", "标签：梧州日报新闻、工业",
		"没有找到「梧州工业」，以下是同时含有「梧州」「工业」的文章。", "【搜索「梧州 工业」共 1 条 · 第 1 页】", "「梧州」",
		"【搜索「美元」共 16 条 · 第 1 页】", "【搜索「美元」共 16 条 · 第 2 页】\n6. ", "【搜索「美元」共 16 条 · 第 1 页】\n1. ",
		"【今日摘要 · ", "今日摘要 1 份；待发送 0 段；无法送达 0 段",
		"每天 08:15", "时区已改为柏林时间（Europe/Berlin）", "已删除你的订阅"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if code != 0 || errOut != "" {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestDigestCommandsAndTheSingleInstanceGuard(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	// A subscriber made through the demo's database, then a preview.
	code, _, errOut := run(t, nil, "订阅 工业\n", "demo", "--db", dbPath)
	if code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	code, out, errOut := run(t, nil, "", "digest", "preview", "--db", dbPath, "--chat", "console:local")
	// 工业 holds wire news too: the header does not name the paper.
	if code != 0 || !strings.Contains(out, "今日摘要") || !strings.Contains(out, "【工业 · 东财滚动（") {
		t.Errorf("preview: %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, nil, "", "digest", "deadletters", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "No dead letters") {
		t.Errorf("deadletters: %d %s", code, out)
	}
	lock, err := digest.AcquireLock(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errOut = run(t, nil, "", "serve", "--db", dbPath, "--poll", "0")
	if code != 1 || !strings.Contains(errOut, "already delivering from this database") {
		t.Errorf("a second serve: exit %d, %s", code, errOut)
	}
}

// TestATopicTableGivenOnceStaysInForce: --topics is the one act that
// changes the table; a later run without it, by serve or a cron ingest,
// keeps it, and "builtin" goes back.
func TestATopicTableGivenOnceStaysInForce(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "x.db")
	cars := filepath.Join(dir, "cars.txt")
	if err := os.WriteFile(cars, []byte("汽车: 汽车 蔚来\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	topicTags := func() string {
		t.Helper()
		code, out, errOut := run(t, nil, "", "tags", "--db", dbPath)
		if code != 0 {
			t.Fatalf("tags: %s", errOut)
		}
		var topics []string
		for _, line := range strings.Split(out, "\n") {
			if strings.HasSuffix(line, "(topic)") {
				topics = append(topics, strings.Fields(line)[1])
			}
		}
		return strings.Join(topics, " ")
	}
	if code, _, errOut := run(t, nil, "", "ingest", "--sample", "--db", dbPath); code != 0 {
		t.Fatal(errOut)
	}
	builtin := topicTags()
	code, out, errOut := run(t, nil, "", "ingest", "--sample", "--db", dbPath, "--topics", cars)
	if code != 0 || !strings.Contains(out, "topics: the table from "+cars+" (1 topic) is now in force; 105 articles tagged again") {
		t.Fatalf("ingest --topics: exit %d\n%s\n%s", code, out, errOut)
	}
	if got := topicTags(); got != "汽车" {
		t.Fatalf("topic tags after --topics: %q, want 汽车", got)
	}
	// The next cron run, and serve, without the flag.
	if code, out, errOut := run(t, nil, "", "ingest", "--sample", "--db", dbPath); code != 0 || strings.Contains(out, "topics:") {
		t.Fatalf("ingest without --topics: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := run(t, nil, "", "serve", "--db", dbPath, "--poll", "0"); code != 0 {
		t.Fatalf("serve: %s", errOut)
	}

	if got := topicTags(); got != "汽车" {
		t.Errorf("topic tags after runs without --topics: %q, want 汽车 still", got)
	}
	code, out, _ = run(t, nil, "", "ingest", "--sample", "--db", dbPath, "--topics", "builtin")
	if code != 0 || !strings.Contains(out, "topics: the built-in table (11 topics) is now in force; 105 articles tagged again") {
		t.Errorf("ingest --topics builtin: exit %d\n%s", code, out)
	}
	if got := topicTags(); got != builtin {
		t.Errorf("topic tags after --topics builtin: %q, want %q", got, builtin)
	}
	// A bad table changes nothing.
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("no colon here\n"), 0o600)
	if code, _, errOut := run(t, nil, "", "ingest", "--sample", "--db", dbPath, "--topics", bad); code != 1 || !strings.Contains(errOut, "line 1") {
		t.Errorf("a bad table: exit %d, %q", code, errOut)
	}
	if got := topicTags(); got != builtin {
		t.Errorf("a bad table changed the tags to %q", got)
	}
}

// tags --why shows the rules, the stop phrases and the words behind an
// article's topics, and says when the stored tags are another table's.
func TestTagsWhyShowsTheWordsBehindTheTopics(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	if code, _, errOut := run(t, nil, "", "ingest", "--sample", "--db", dbPath); code != 0 {
		t.Fatal(errOut)
	}
	why := func(id string, want ...string) {
		t.Helper()
		code, out, errOut := run(t, nil, "", "tags", "--db", dbPath, "--why", id)
		if code != 0 {
			t.Fatalf("tags --why %s: exit %d, %s", id, code, errOut)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("tags --why %s lacks %q:\n%s", id, w, out)
			}
		}
		if strings.Contains(out, "differ") {
			t.Errorf("tags --why %s says the stored tags differ:\n%s", id, out)
		}
	}
	why("202112082206753163",
		"202112082206753163  吉利德两批瑞德西韦因有玻璃颗粒被召回",
		"Categories emnews: the rules of section [emnews] of the built-in table (11 topics).",
		"A topic needs 2 points",
		"  医疗  4 points, tagged\n      食药监 in the body, 注射 ×5 in the body\n",
		"Stored tags: 东财滚动新闻 医疗")
	why("202112082206736198.html",
		"Stop phrases taken out first: 扫清道路 in the title, 扫清道路 in the body",
		"No topic word found.", "Stored tags: 东财滚动新闻\n")
	why("NW202202112273376235",
		"Categories wuzhouribao: no section of their own, so the general rules of the built-in table",
		"A topic needs 3 points", "  工业  19 points, tagged\n      工业 in the title, 工业 ×18 in the body",
		"  城建  1 point, not enough\n")

	code, _, errOut := run(t, nil, "", "tags", "--db", dbPath, "--why", "123")
	if code != 1 || !strings.Contains(errOut, `no stored article has the id "123": the id is the last part of its address`) {
		t.Errorf("an unknown id: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, nil, "", "tags", "--db", dbPath, "extra"); code != 2 || !strings.Contains(errOut, "tags --why ID") {
		t.Errorf("an argument: exit %d, %q", code, errOut)
	}

	// Tags given by another table (an older version's): --why says so.
	conn, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(`DELETE FROM article_tags WHERE tag = '医疗' AND seq = (SELECT seq FROM articles WHERE id = '202112082206753163')`)
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := run(t, nil, "", "tags", "--db", dbPath, "--why", "202112082206753163")
	if !strings.Contains(out, "The stored topic tags differ from what the table in force gives (医疗)") {
		t.Errorf("tags --why does not say the stored tags are another table's:\n%s", out)
	}
}
