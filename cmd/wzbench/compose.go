package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

// benchTopics gives the generated articles 19 topics; with the paper's own
// tag that makes the 20 tags of the target.
const benchTopics = `工业: 工业 制造 工厂 产业
教育: 教育 学校 学生 老师
交通: 交通 公路 大桥 公交 高速
医疗: 医疗 医院 医生 医保
旅游: 旅游 游客 景区
文化: 文化 演出 非遗
农业: 农业 农民 六堡茶 茶农
城建: 城建 改造 施工 小区
法治: 法治 民警 法院 诈骗
民生: 民生 就业 社区 居民
天气: 天气 暴雨 台风 气温
万秀: 万秀区
长洲: 长洲区
龙圩: 龙圩区
苍梧: 苍梧县
藤县: 藤县
岑溪: 岑溪
西江: 西江
骑楼: 骑楼城 骑楼
`

// benchCompose composes the digests of n subscribers over 300 new articles
// and 20 tags, and compares with the naive way: one query per subscriber.
func benchCompose(ctx context.Context, n, naiveN int) error {
	dir, err := os.MkdirTemp("", "wzbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	conn, err := app.Open(ctx, filepath.Join(dir, "compose.db"), db.Create)
	if err != nil {
		return err
	}
	defer conn.Close()
	topics, err := articles.ParseTopics(strings.NewReader(benchTopics))
	if err != nil {
		return err
	}
	// Put in force in the database, as --topics does: the bot built below
	// over it takes the table up instead of tagging again with its own.
	store := articles.NewStore(conn, articles.StoreOptions{})
	if _, err := store.SetTopics(ctx, topics, "wzbench"); err != nil {
		return err
	}
	g, err := gen.New(sample.FS(), 3)
	if err != nil {
		return err
	}
	for i := range 300 {
		p := g.Post(i)
		a, err := source.ParsePost(p.Name, p.Raw, source.PostOptions{SiteURL: "https://finews.withounder.com"})
		if err != nil {
			return err
		}
		if _, err := store.Save(ctx, a); err != nil {
			return err
		}
	}
	tags := append([]string{"梧州日报新闻"}, topics.Names()...)
	// Subscribed now, due tomorrow morning: the engine's clock moves a day
	// on once they are in.
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	a, err := app.New(ctx, app.Options{DB: conn, Now: clock})
	if err != nil {
		return err
	}
	subs, engine := a.Subscribers, a.Engine
	if err := subs.Import(ctx, benchSubscribers(n, tags)); err != nil {
		return err
	}
	now.Add(int64(25 * time.Hour))

	fmt.Printf("## Composing the morning: %d subscribers × 300 new articles × %d tags\n\n", n, len(tags))
	fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench compose -n %d -naive %d`  \n", n, naiveN)
	fmt.Printf("Machine: %d CPUs, %s. Each subscriber follows 1 to 5 of the 20 tags; a third have keywords (include or exclude); at most 30 items.\n\n", runtime.NumCPU(), runtime.Version())

	heapBefore := peakRSS()
	start := time.Now()
	rep, err := engine.RunDue(ctx)
	if err != nil {
		return err
	}
	ours := time.Since(start)
	if rep.Digests != n {
		return fmt.Errorf("composed %d digests for %d subscribers", rep.Digests, n)
	}

	// Naive: for each subscriber, a query for its new articles with its
	// tags, then the same compose and render, nothing written.
	ids := make([]int64, naiveN)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	list, err := subs.GetMany(ctx, ids)
	if err != nil {
		return err
	}
	start = time.Now()
	for _, s := range list {
		arts, err := store.List(ctx, articles.ListQuery{AnyTags: s.Tags, Limit: 500})
		if err != nil {
			return err
		}
		d := digest.Compose(s, digest.Prepare(arts))
		_ = digest.Render(d, s, time.Now(), digest.DefaultLimits)
	}
	naive := time.Since(start)
	perSub := naive / time.Duration(naiveN)

	fmt.Println("| way | subscribers | time | per subscriber | peak RSS |\n|---|---|---|---|---|")
	fmt.Printf("| ours: RunDue (load once, compose, render, split, write digests, parts and cursors to the outbox) | %d | **%.1f s** | %.1f µs | **%d MB** (%d MB before) |\n",
		n, ours.Seconds(), float64(ours.Microseconds())/float64(n), peakRSS(), heapBefore)
	fmt.Printf("| naive: one query per subscriber, then the same compose and render, nothing written | %d (measured) | %.1f s | %.1f µs | |\n",
		naiveN, naive.Seconds(), float64(perSub.Nanoseconds())/1000)
	fmt.Printf("| naive, extrapolated to %d | %d | %.1f s | | |\n\n", n, n, (perSub * time.Duration(n)).Seconds())
	fmt.Printf("Ours is %.1f× faster per subscriber, and it also writes the outbox. Composed: %d digests, %d parts, %d empty.\n",
		float64(perSub)/(float64(ours)/float64(n)), rep.Digests, rep.Parts, rep.Empty)
	return nil
}

// benchSubscribers are n chats following 1 to 5 of tags, a third of them
// with a keyword to include or exclude.
func benchSubscribers(n int, tags []string) []*subscribers.Subscriber {
	rng := rand.New(rand.NewPCG(5, 6))
	words := []string{"西江", "大桥", "六堡茶", "学校", "医院", "暴雨", "工业", "游客", "广告", "事故"}
	out := make([]*subscribers.Subscriber, n)
	for i := range out {
		s := subscribers.New(chat.Key{Platform: "telegram", ChatID: strconv.Itoa(i)}, chat.Private, "")
		s.Tags = nil
		for _, k := range rng.Perm(len(tags))[:1+rng.IntN(5)] {
			s.Follow(tags[k])
		}
		if rng.IntN(3) == 0 {
			w := words[rng.IntN(len(words))]
			if rng.IntN(2) == 1 {
				w = "-" + w
			}
			s.AddKeyword(w)
		}
		out[i] = s
	}
	return out
}

// peakRSS is the process's peak resident memory in MB, from Linux's
// /proc/self/status (VmHWM).
func peakRSS() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kb / 1024
		}
	}
	return -1
}
