package fakeoa

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// Followers acting, the bot's API calls and the test's readers at once;
// -race checks the locking, and nothing is lost.
func TestConcurrentUse(t *testing.T) {
	s, _ := start(t, Options{})
	startBot(t, s, "", echo)
	token := getToken(t, s)
	const followers, each = 6, 5
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var wg sync.WaitGroup
	for f := range followers {
		id := fmt.Sprintf("o-reader-%d", f)
		wg.Go(func() {
			if _, err := s.Follow(ctx, id); err != nil {
				t.Errorf("Follow(%s): %v", id, err)
				return
			}
			for i := range each {
				if p, err := s.Say(ctx, id, fmt.Sprint(i)); err != nil || p.Outcome != Replied {
					t.Errorf("Say(%s, %d) = %+v, %v", id, i, p, err)
				}
				raw, err := util.PostJSONContext(ctx, s.URL()+send+"?access_token="+token, message.NewCustomerTextMessage(id, "cs"))
				if err != nil || !strings.Contains(string(raw), `"errcode":0`) {
					t.Errorf("send to %s: %s, %v", id, raw, err)
				}
			}
		})
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = s.Pushes()
			_ = s.Calls()
			_ = s.Messages("o-reader-0")
			_ = s.Window("o-reader-1")
			_, _ = s.Menu()
		}
	})
	wg.Wait()
	close(stop)
	readers.Wait()

	ids := map[int]bool{}
	for _, p := range s.Pushes() {
		ids[p.ID] = true
	}
	if n := len(s.Pushes()); n != followers*(1+each) || len(ids) != n {
		t.Errorf("%d pushes with %d ids, want %d of each", n, len(ids), followers*(1+each))
	}
	for f := range followers {
		id := fmt.Sprintf("o-reader-%d", f)
		if n := len(s.Messages(id)); n != 1+2*each {
			t.Errorf("%s saw %d messages, want %d", id, n, 1+2*each)
		}
	}
}
