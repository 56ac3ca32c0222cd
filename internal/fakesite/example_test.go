package fakesite

import (
	"fmt"
	"net/http/httptest"
	"os"
)

// A typical test: build the site from the sample, serve it, and make the
// feed fail once.
func Example() {
	site, err := New(Options{Layouts: os.DirFS("../sample/finews/site")})
	if err != nil {
		panic(err)
	}
	skipped, err := site.AddPostsFromFS(os.DirFS("../sample/finews"), "_posts")
	if err != nil {
		panic(err)
	}
	fmt.Println(len(skipped), "skipped:", skipped[0].Name)

	srv := httptest.NewServer(site)
	defer srv.Close()
	defer site.ClearFaults()
	site.SetBaseURL(srv.URL)

	if err := site.Fail("/feed.xml", Fault{Status: 503, RetryAfter: "60", Times: 1}); err != nil {
		panic(err)
	}
	for range 2 {
		resp, err := srv.Client().Get(srv.URL + "/feed.xml")
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"))
	}
	fmt.Println(site.Count("/feed.xml", 503), site.Count("/feed.xml", 200))
	// Output:
	// 1 skipped: _posts/-202205262391921712.md
	// 503 60 text/html; charset=utf-8
	// 200  application/atom+xml; charset=utf-8
	// 1 1
}
