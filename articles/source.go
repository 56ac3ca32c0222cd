package articles

import (
	"context"
	"errors"
)

// ErrRejected marks a post that cannot become an article; the wrapping
// error names the file and says why.
var ErrRejected = errors.New("post rejected")

// A Source brings posts in: a local clone of the site, the site over HTTP,
// or its Atom feed. Fetch emits one Item per post it read and stops early
// when emit returns an error.
type Source interface {
	Name() string
	Fetch(ctx context.Context, state State, emit func(Item) error) error
}

// State is what a source remembers between runs (file versions, HTTP
// validators), and what is already stored.
type State interface {
	// Get returns the value stored under key for this source, or "".
	Get(ctx context.Context, key string) (string, error)
	// Has reports whether an article with the post id is stored.
	Has(ctx context.Context, id string) (bool, error)
}

// Item is one result of a source.
type Item struct {
	Name    string   // the file or URL it came from
	Article *Article // nil when the post was rejected, or for a pure state update
	Err     error    // why the post was rejected (wraps ErrRejected)
	Skipped bool     // read, but outside the source's categories and tags
	// Gone marks a listed post whose page has left the site (404 or 410):
	// counted, not an error; Key and Value remember it so that it is not
	// asked for again.
	Gone bool

	// Key and Value are saved to the source's state in the same transaction
	// as the article, so a crash never records a post as read before it is
	// stored.
	Key, Value string

	// Expect, when positive, announces how many items are coming, for a
	// progress bar.
	Expect int
	// Left, when positive, says how many posts the source leaves for its
	// next run, because of a cap on one run's work.
	Left int
	// Empty says the source has no current posts: the site removes a
	// category's page while the category has none. Not an error.
	Empty bool
}
