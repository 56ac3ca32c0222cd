package articles_test

import (
	"testing"

	"wzdaily/articles"
	"wzdaily/articles/source"
)

// TestMain gives the tests of package articles that ingest post files the
// parser they need: it lives in articles/source, which imports articles,
// so only this external test package can reach it.
func TestMain(m *testing.M) {
	articles.ParseTestPost = func(name string, raw []byte) (*articles.Article, error) {
		return source.ParsePost(name, raw, source.PostOptions{SiteURL: "https://finews.withounder.com"})
	}
	m.Run()
}
