package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"wzdaily/articles"
	"wzdaily/chat"
)

type stubSender struct{ errs []error }

func (s *stubSender) Send(context.Context, chat.Key, chat.Message) (string, error) {
	err := s.errs[0]
	s.errs = s.errs[1:]
	return "1", err
}

func TestSenderCountsOutcomes(t *testing.T) {
	m := New()
	s := m.Sender("telegram", &stubSender{errs: []error{nil, nil,
		&chat.SendError{RetryAfter: time.Second}, &chat.SendError{Permanent: true}, errors.New("boom")}})
	for range 5 {
		s.Send(context.Background(), chat.Key{}, chat.Message{})
	}
	if got := testutil.ToFloat64(m.PartsSent.WithLabelValues("telegram")); got != 2 {
		t.Errorf("sent %v", got)
	}
	if got := testutil.ToFloat64(m.RateLimited.WithLabelValues("telegram")); got != 1 {
		t.Errorf("rate limited %v", got)
	}
	for reason, want := range map[string]float64{"wait": 1, "permanent": 1, "transient": 1} {
		if got := testutil.ToFloat64(m.PartsFailed.WithLabelValues("telegram", reason)); got != want {
			t.Errorf("%s: %v", reason, got)
		}
	}
}

func TestIngestedAndObserve(t *testing.T) {
	m := New()
	now := time.Unix(1_800_000_000, 0)
	m.Ingested(articles.Report{Source: "site", New: 3, Updated: 1}, nil, now)
	m.Ingested(articles.Report{Source: "site"}, errors.New("timeout"), now.Add(time.Hour))
	if got := testutil.ToFloat64(m.ArticlesIngested.WithLabelValues("site")); got != 4 {
		t.Errorf("ingested %v", got)
	}
	if got := testutil.ToFloat64(m.SourceLastSuccess.WithLabelValues("site")); got != float64(now.Unix()) {
		t.Errorf("last success %v: a failed poll moved it", got)
	}
	m.Observe(chat.Update{Chat: chat.Key{Platform: "wechat"}}, "search", 3*time.Millisecond, 1)
	m.Observe(chat.Update{Chat: chat.Key{Platform: "wechat"}}, "sub", time.Millisecond, 1)
	if got := testutil.CollectAndCount(m.CommandSeconds); got != 2 {
		t.Errorf("%d command series", got)
	}
	if n := testutil.ToFloat64(m.MessagesSent.WithLabelValues("wechat", "reply")); n != 2 {
		t.Errorf("replies %v", n)
	}
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(`
# HELP wzdaily_source_errors_total Source polls that failed, by source.
# TYPE wzdaily_source_errors_total counter
wzdaily_source_errors_total{source="site"} 1
`), "wzdaily_source_errors_total"); err != nil {
		t.Error(err)
	}
}

func TestDeliveryIsExported(t *testing.T) {
	m := New()
	paused, unrecorded, builds := true, 3, int64(7)
	m.Delivery(func() (bool, int, int64) { return paused, unrecorded, builds })
	text, err := testutil.CollectAndFormat(m.Registry, expfmt.TypeTextPlain, "wzdaily_delivery_paused", "wzdaily_delivery_unrecorded_parts",
		"wzdaily_digest_part_build_failures_total")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"wzdaily_delivery_paused 1", "wzdaily_delivery_unrecorded_parts 3", "wzdaily_digest_part_build_failures_total 7"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	s := m.Sender("webhook", &stubSender{errs: []error{&chat.SendError{Misconfigured: true}}})
	s.Send(context.Background(), chat.Key{}, chat.Message{})
	if got := testutil.ToFloat64(m.PartsFailed.WithLabelValues("webhook", "misconfigured")); got != 1 {
		t.Errorf("misconfigured: %v", got)
	}
}

func TestWindowsAreExported(t *testing.T) {
	m := New()
	m.Windows(func() (int64, int64) { return 12, 4 })
	text, err := testutil.CollectAndFormat(m.Registry, expfmt.TypeTextPlain, "wzdaily_digest_parts_held_total", "wzdaily_digest_releases_total")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"wzdaily_digest_parts_held_total 12", "wzdaily_digest_releases_total 4"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	s := m.Sender("officialaccount", &stubSender{errs: []error{&chat.SendError{Closed: true}}})
	s.Send(context.Background(), chat.Key{}, chat.Message{})
	if got := testutil.ToFloat64(m.PartsFailed.WithLabelValues("officialaccount", "closed")); got != 1 {
		t.Errorf("closed: %v", got)
	}
}
