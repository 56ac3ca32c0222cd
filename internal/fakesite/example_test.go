package fakesite

import (
	"fmt"
	"net/http/httptest"
)

// A typical test: serve the site as captured, add a post, and make the
// feed fail once.
func Example() {
	site, err := New(Options{})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	defer site.ClearFaults()
	site.SetBaseURL(srv.URL)

	err = site.AddPost("_posts/2026-11-26-NW1.md", []byte("---\ntitle: 西江大桥通车\ndate: 2026-11-26 09:00:00 +0800\n"+
		"categories: wuzhouribao\ntags: 梧州日报新闻\n---\n<p>大桥今天通车。</p>\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(site.PostURL("_posts/2026-11-26-NW1.md"))

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
	// /wuzhouribao/2026/11/26/NW1.html true
	// 503 60 text/html; charset=utf-8
	// 200  application/atom+xml; charset=utf-8
	// 1 1
}
