// Package metrics holds the bot's Prometheus metrics, on a registry of its
// own (no global state), and the small wrappers that feed them.
package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"wzdaily/articles"
	"wzdaily/chat"
)

// Metrics are the bot's counters, gauges and histograms.
type Metrics struct {
	Registry *prometheus.Registry

	ArticlesIngested  *prometheus.CounterVec   // by source
	SourceErrors      *prometheus.CounterVec   // by source
	SourceLastSuccess *prometheus.GaugeVec     // by source, unix seconds
	PartsSent         *prometheus.CounterVec   // by platform
	PartsFailed       *prometheus.CounterVec   // by platform and reason
	MessagesSent      *prometheus.CounterVec   // by platform and kind (digest, reply)
	RateLimited       *prometheus.CounterVec   // by platform: 429s and other "wait" answers
	SearchSeconds     prometheus.Histogram     // one search, as a user waits for it
	CommandSeconds    *prometheus.HistogramVec // by command
}

// New makes the metrics on a new registry, with Go's runtime metrics.
func New() *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Registry: r,
		ArticlesIngested: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wzdaily_articles_ingested_total",
			Help: "Articles new or updated, by source."}, []string{"source"}),
		SourceErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wzdaily_source_errors_total",
			Help: "Source polls that failed, by source."}, []string{"source"}),
		SourceLastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "wzdaily_source_last_success_seconds",
			Help: "When a source was last polled without error, unix seconds."}, []string{"source"}),
		PartsSent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wzdaily_digest_parts_sent_total",
			Help: "Digest parts the platform confirmed, by platform."}, []string{"platform"}),
		PartsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wzdaily_digest_parts_failed_total",
			Help: "Digest part sends that failed, by platform and reason (transient, wait, permanent, moved, refused, misconfigured, closed)."}, []string{"platform", "reason"}),
		MessagesSent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wzdaily_messages_sent_total",
			Help: "Messages sent, by platform and kind (digest, reply)."}, []string{"platform", "kind"}),
		RateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wzdaily_rate_limited_total",
			Help: "Sends the platform asked to retry later (Telegram's 429), by platform."}, []string{"platform"}),
		SearchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "wzdaily_search_seconds",
			Help: "Time to answer a search.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		CommandSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "wzdaily_command_seconds",
			Help: "Time to handle a chat update, by command.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}, []string{"command"}),
	}
	r.MustRegister(m.ArticlesIngested, m.SourceErrors, m.SourceLastSuccess, m.PartsSent, m.PartsFailed,
		m.MessagesSent, m.RateLimited, m.SearchSeconds, m.CommandSeconds)
	return m
}

// Digests exports how many digests the engine has composed.
func (m *Metrics) Digests(composed func() int64) {
	m.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wzdaily_digests_composed_total",
		Help: "Digests composed into the outbox."}, func() float64 { return float64(composed()) }))
}

// Delivery exports what the deliverer reports: whether it is paused
// because the database refuses writes, how many outcomes wait to be
// recorded, and how many parts failed to build since start.
func (m *Metrics) Delivery(status func() (paused bool, unrecorded int, buildFailures int64)) {
	m.Registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wzdaily_delivery_paused",
			Help: "1 while delivery waits for the database to take writes, else 0."}, func() float64 {
			if paused, _, _ := status(); paused {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wzdaily_delivery_unrecorded_parts",
			Help: "Outcomes of sends (most often parts that went out) waiting to be recorded."}, func() float64 {
			_, n, _ := status()
			return float64(n)
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wzdaily_digest_part_build_failures_total",
			Help: "Digest parts whose text could not be built (each try)."}, func() float64 {
			_, _, n := status()
			return float64(n)
		}),
	)
}

// Windows exports what conversation windows did since start: digest parts
// held for a chat whose window was closed, and release digests that
// merged them when the reader wrote.
func (m *Metrics) Windows(counts func() (held, released int64)) {
	m.Registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wzdaily_digest_parts_held_total",
			Help: "Digest parts held because their chat's conversation window was closed."}, func() float64 {
			held, _ := counts()
			return float64(held)
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wzdaily_digest_releases_total",
			Help: "Release digests: held digests merged into one when their reader wrote."}, func() float64 {
			_, released := counts()
			return float64(released)
		}),
	)
}

// Ingested records one poll of a source.
func (m *Metrics) Ingested(rep articles.Report, err error, now time.Time) {
	m.ArticlesIngested.WithLabelValues(rep.Source).Add(float64(rep.New + rep.Updated))
	if err != nil {
		m.SourceErrors.WithLabelValues(rep.Source).Inc()
		return
	}
	m.SourceLastSuccess.WithLabelValues(rep.Source).Set(float64(now.Unix()))
}

// Observe is bot.Options.Observe: command times, searches, and replies.
func (m *Metrics) Observe(u chat.Update, command string, took time.Duration, replies int) {
	m.CommandSeconds.WithLabelValues(command).Observe(took.Seconds())
	if command == "search" {
		m.SearchSeconds.Observe(took.Seconds())
	}
	if replies > 0 {
		m.MessagesSent.WithLabelValues(u.Chat.Platform, "reply").Add(float64(replies))
	}
}

// Sender counts a platform's digest sends and how they failed.
func (m *Metrics) Sender(platform string, s chat.Sender) chat.Sender {
	return sender{m: m, platform: platform, next: s}
}

type sender struct {
	m        *Metrics
	platform string
	next     chat.Sender
}

func (s sender) Send(ctx context.Context, to chat.Key, msg chat.Message) (string, error) {
	id, err := s.next.Send(ctx, to, msg)
	if err == nil {
		s.m.PartsSent.WithLabelValues(s.platform).Inc()
		s.m.MessagesSent.WithLabelValues(s.platform, "digest").Inc()
		return id, nil
	}
	var se *chat.SendError
	reason := "transient"
	if errors.As(err, &se) {
		switch {
		case se.MigratedTo != "":
			reason = "moved"
		case se.Refused:
			reason = "refused"
		case se.Misconfigured:
			reason = "misconfigured"
		case se.Closed:
			reason = "closed"
		case se.Permanent:
			reason = "permanent"
		case se.RetryAfter > 0:
			reason = "wait"
			s.m.RateLimited.WithLabelValues(s.platform).Inc()
		}
	}
	s.m.PartsFailed.WithLabelValues(s.platform, reason).Inc()
	return id, err
}
