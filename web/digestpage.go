package web

import (
	"context"
	"errors"
	"net/http"

	"wzdaily/digest"
)

// Digests give the whole of a digest; *digest.Engine does.
type Digests interface {
	Whole(ctx context.Context, id int64) (*digest.Whole, error)
}

type digestView struct {
	Heading string
	Groups  []digestGroup
}

type digestGroup struct {
	Tag   string
	Items []item
}

// DigestURL is the signed address of digest id's page, under the base
// URL; "" without one or without a signer.
func (s *Server) DigestURL(id int64) string {
	if s.opts.BaseURL == "" || s.opts.Signer == nil {
		return ""
	}
	return s.opts.BaseURL + "/d/" + s.opts.Signer.Token(id)
}

// digestPage shows a subscriber's digest by its signed link, and nothing
// else of the subscriber: a link that is not ours is refused, one past
// its time is gone.
func (s *Server) digestPage(w http.ResponseWriter, r *http.Request) {
	// The token is the key to the page: it must not leave in a Referer
	// when the reader follows a link to the site.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "private, no-store")
	if s.opts.Signer == nil || s.opts.Digests == nil {
		s.notFound(w, r)
		return
	}
	id, err := s.opts.Signer.check(r.PathValue("token"))
	switch {
	case errors.Is(err, errExpired):
		s.noDigest(w, http.StatusGone, lang.T("web link expired"))
		return
	case err != nil:
		s.noDigest(w, http.StatusForbidden, lang.T("web link refused"))
		return
	}
	whole, err := s.opts.Digests.Whole(r.Context(), id)
	if errors.Is(err, digest.ErrNoDigest) {
		s.noDigest(w, http.StatusGone, lang.T("web digest gone"))
		return
	}
	if err != nil {
		s.failed(w, r, err)
		return
	}
	v := digestView{Heading: lang.T("web digest head", whole.Composed.Format(lang.T("date format")))}
	for _, g := range whole.Groups {
		v.Groups = append(v.Groups, digestGroup{Tag: g.Tag, Items: s.items(g.Items)})
	}
	s.render(w, http.StatusOK, "digest", page{Title: v.Heading, NoIndex: true, View: v})
}
