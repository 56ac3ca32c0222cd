package articles

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func topicTags(t *testing.T, s *Store) []string {
	t.Helper()
	tags, err := s.Tags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tc := range tags {
		if tc.Topic {
			out = append(out, tc.Tag)
		}
	}
	slices.Sort(out)
	return out
}

func carTopics(t *testing.T) *Topics {
	t.Helper()
	tp, err := ParseTopics(strings.NewReader("汽车: 汽车 蔚来\n"))
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// TestATopicTableSetOnceOutlivesRunsWithoutIt: a run with --topics sets
// the table; a later run without it (a new store with the built-in table,
// as every command makes) must keep it, not tag everything again.
func TestATopicTableSetOnceOutlivesRunsWithoutIt(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	ch, err := s.SetTopics(ctx, carTopics(t), "cars.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Changed || ch.Retagged != 105 || ch.Name != "cars.txt" || ch.Topics != 1 {
		t.Errorf("SetTopics = %+v, want changed, 105 retagged, cars.txt with 1 topic", ch)
	}
	later := NewStore(s.db, StoreOptions{Now: s.now})
	in, err := later.LoadTopics(ctx)
	if err != nil || in.Name != "cars.txt" || !slices.Equal(later.Topics(), []string{"汽车"}) {
		t.Errorf("LoadTopics = %+v, %v; topics %v; want cars.txt and 汽车", in, err, later.Topics())
	}
	fresh := NewStore(s.db, StoreOptions{Now: s.now})
	if _, err := fresh.Ingest(ctx, &sliceSource{name: "none"}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := topicTags(t, fresh); !slices.Equal(got, []string{"汽车"}) {
		t.Errorf("after a run without the table, topic tags are %v, want only 汽车", got)
	}
	a, err := fresh.Get(ctx, "202205262391921712")
	if err != nil || !slices.Equal(a.Topics, []string{"汽车"}) {
		t.Errorf("the car article's topics: %v %v", a.Topics, err)
	}
}

// TestARunningStoreTakesUpATableSetElsewhere: serve keeps its store for
// months; a cron ingest that sets a table must not be undone by serve's
// next poll, and serve tags new articles with it.
func TestARunningStoreTakesUpATableSetElsewhere(t *testing.T) {
	ctx := context.Background()
	serve := newTestStore(t, nil)
	ingestCorpus(t, serve)
	cron := NewStore(serve.db, StoreOptions{Now: serve.now})
	if _, err := cron.SetTopics(ctx, carTopics(t), "cars.txt"); err != nil {
		t.Fatal(err)
	}
	car := &sliceSource{name: "poll", posts: map[string][]byte{"_posts/2026-11-26-202611260000000001.md": []byte(
		"---\nlayout: post\ntitle: \"新能源汽车下线\"\ndate: 2026-11-26 08:00:00\ncategories: wuzhouribao\ntags: 梧州日报新闻\n---\n\n汽车工业园今天又下线一批汽车。\n")}}
	rep, err := serve.Ingest(ctx, car, IngestOptions{})
	if err != nil || rep.New != 1 {
		t.Fatalf("ingest: %+v, %v", rep, err)
	}
	a, err := serve.Get(ctx, "202611260000000001")
	if err != nil || !slices.Equal(a.Topics, []string{"汽车"}) {
		t.Errorf("serve tagged the new article %v (%v), want 汽车 from the table in force", a.Topics, err)
	}
	if got := topicTags(t, serve); !slices.Equal(got, []string{"汽车"}) {
		t.Errorf("after serve's next poll, topic tags are %v, want only 汽车", got)
	}
	if !slices.Equal(serve.Topics(), []string{"汽车"}) {
		t.Errorf("serve's topics are %v, want 汽车", serve.Topics())
	}
}

func TestResetTopicsGoesBackToTheBuiltInTable(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	builtin := topicTags(t, s)
	if _, err := s.SetTopics(ctx, carTopics(t), "cars.txt"); err != nil {
		t.Fatal(err)
	}
	ch, err := s.ResetTopics(ctx)
	if err != nil || !ch.Changed || ch.Retagged != 105 || ch.Name != "" {
		t.Fatalf("ResetTopics = %+v, %v", ch, err)
	}
	if got := topicTags(t, s); !slices.Equal(got, builtin) {
		t.Errorf("topic tags after a reset: %v, want the built-in ones %v", got, builtin)
	}
	other := NewStore(s.db, StoreOptions{Now: s.now})
	if in, err := other.LoadTopics(ctx); err != nil || in.Name != "" {
		t.Errorf("LoadTopics after a reset = %+v, %v; want the built-in table", in, err)
	}
	// Nothing set: resetting again changes nothing.
	if ch, err := s.ResetTopics(ctx); err != nil || ch.Changed || ch.Retagged != 0 {
		t.Errorf("a second reset = %+v, %v; want no change", ch, err)
	}
}

func TestSettingTheTableInForceAgainChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	if _, err := s.SetTopics(ctx, carTopics(t), "cars.txt"); err != nil {
		t.Fatal(err)
	}
	ch, err := s.SetTopics(ctx, carTopics(t), "cars.txt")
	if err != nil || ch.Changed || ch.Retagged != 0 {
		t.Errorf("setting the same table again = %+v, %v; want no change and nothing tagged again", ch, err)
	}
}

func TestParseTopicsRefusesAnOversizedTable(t *testing.T) {
	big := strings.Repeat("# "+strings.Repeat("x", 1000)+"\n", 1100) + "a: b\n"
	if _, err := ParseTopics(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a 1.1 MB table: %v, want an error saying it is too large", err)
	}
}
