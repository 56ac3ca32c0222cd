package subscribers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/db/dbtest"
)

var now = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *Store {
	t.Helper()
	return newStoreWith(t, nil)
}

func newStoreWith(t *testing.T, hook Hook) *Store {
	t.Helper()
	return NewStore(dbtest.Open(t, Schema()), Options{Now: func() time.Time { return now }, OnChange: hook})
}

var reader = chat.Key{Platform: "telegram", ChatID: "42"}

func TestUpsertCreatesWithDefaults(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Get(ctx, reader); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get before create: %v", err)
	}
	sub, err := s.Upsert(ctx, reader, chat.Private, "读者", func(*Subscriber) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, reader)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sub.ID || got.Lang != "zh" || got.DeliveryTime() != "07:30" || got.Zone != "Asia/Shanghai" ||
		!slices.Equal(got.Tags, []string{DefaultTag}) || got.State != Active || !got.EmptyNotice || got.Name != "读者" {
		t.Errorf("defaults: %+v", got)
	}
	if !got.Created.Equal(now) || !got.Updated.Equal(now) {
		t.Errorf("times: %v %v", got.Created, got.Updated)
	}
}

func TestUpdateKeepsOrderAndLists(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Upsert(ctx, reader, chat.Private, "", func(*Subscriber) error { return nil })
	_, err := s.Update(ctx, reader, func(sub *Subscriber) error {
		sub.Follow("工业", "交通")
		sub.Unfollow(DefaultTag)
		sub.Follow("教育", "工业")
		sub.AddKeyword("龙母")
		sub.AddKeyword("-广告")
		sub.AddKeyword("六堡茶")
		sub.AddKeyword("-龙母") // moves to the exclusions
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, reader)
	if !slices.Equal(got.Tags, []string{"工业", "交通", "教育"}) {
		t.Errorf("tags %v", got.Tags)
	}
	if !slices.Equal(got.Include, []string{"六堡茶"}) || !slices.Equal(got.Exclude, []string{"广告", "龙母"}) {
		t.Errorf("include %v exclude %v", got.Include, got.Exclude)
	}
}

func TestUpdateRejectsInvalidAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Upsert(ctx, reader, chat.Private, "", func(*Subscriber) error { return nil })
	bad := map[string]func(*Subscriber){
		"zone":  func(sub *Subscriber) { sub.Zone = "Mars/Base" },
		"local": func(sub *Subscriber) { sub.Zone = "Local" },
		"time":  func(sub *Subscriber) { sub.DeliverAt = 25 * 60 },
		"lang":  func(sub *Subscriber) { sub.Lang = "fr" },
		"tags": func(sub *Subscriber) {
			for i := range MaxTags + 1 {
				sub.Follow(fmt.Sprint("t", i))
			}
		},
		"long word": func(sub *Subscriber) {
			sub.AddKeyword("一二三四五六七八九十一二三四五六七八九十一")
		},
		"control":   func(sub *Subscriber) { sub.AddKeyword("a\x00b") },
		"state":     func(sub *Subscriber) { sub.State = "gone" },
		"max items": func(sub *Subscriber) { sub.MaxItems = 0 },
	}
	for name, change := range bad {
		_, err := s.Update(ctx, reader, func(sub *Subscriber) error { change(sub); return nil })
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	got, _ := s.Get(ctx, reader)
	want := New(reader, chat.Private, "")
	if got.Zone != want.Zone || got.DeliverAt != want.DeliverAt || got.Lang != want.Lang || !slices.Equal(got.Tags, want.Tags) ||
		len(got.Include)+len(got.Exclude) != 0 || got.State != Active || got.MaxItems != want.MaxItems {
		t.Errorf("a rejected update changed the subscriber: %+v", got)
	}
	if _, err := s.Update(ctx, chat.Key{Platform: "telegram", ChatID: "nobody"}, func(*Subscriber) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing subscriber: %v", err)
	}
}

func TestConcurrentUpdatesOfOneChatLoseNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Upsert(ctx, reader, chat.Private, "", func(*Subscriber) error { return nil })
	var wg sync.WaitGroup
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Update(ctx, reader, func(sub *Subscriber) error {
				sub.Follow(fmt.Sprintf("tag%02d", i))
				return nil
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, _ := s.Get(ctx, reader)
	if len(got.Tags) != 26 {
		t.Errorf("%d tags after 25 concurrent follows, want 26: %v", len(got.Tags), got.Tags)
	}
}

func TestDeleteForgetsEverything(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Upsert(ctx, reader, chat.Private, "", func(sub *Subscriber) error { sub.AddKeyword("x"); return nil })
	if err := s.Delete(ctx, reader); err != nil {
		t.Fatal(err)
	}
	var n int
	s.db.QueryRow(`SELECT (SELECT count(*) FROM subscribers) + (SELECT count(*) FROM subscriber_tags) + (SELECT count(*) FROM subscriber_keywords)`).Scan(&n)
	if n != 0 {
		t.Errorf("%d rows left after delete", n)
	}
	if err := s.Delete(ctx, reader); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestGetManyLoadsEveryList(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	var ids []int64
	for i := range 30 {
		sub, err := s.Upsert(ctx, chat.Key{Platform: "t", ChatID: fmt.Sprint(i)}, chat.Private, "", func(sub *Subscriber) error {
			sub.Follow(fmt.Sprint("tag", i), "共同")
			sub.AddKeyword(fmt.Sprint("w", i))
			sub.AddKeyword(fmt.Sprint("-x", i))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sub.ID)
	}
	got, err := s.GetMany(ctx, append(ids, 9999))
	if err != nil || len(got) != 30 {
		t.Fatalf("%d subscribers, %v", len(got), err)
	}
	for _, sub := range got {
		i := sub.Key.ChatID
		if !slices.Equal(sub.Tags, []string{DefaultTag, "tag" + i, "共同"}) ||
			!slices.Equal(sub.Include, []string{"w" + i}) || !slices.Equal(sub.Exclude, []string{"x" + i}) {
			t.Errorf("subscriber %s: tags %v include %v exclude %v", i, sub.Tags, sub.Include, sub.Exclude)
		}
	}
}

func TestImportAddsManyAndRunsTheHook(t *testing.T) {
	ctx := context.Background()
	hooked := 0
	s := newStoreWith(t, func(context.Context, *sql.Tx, *Subscriber, *Subscriber) error { hooked++; return nil })
	var subs []*Subscriber
	for i := range 2500 {
		sub := New(chat.Key{Platform: "telegram", ChatID: fmt.Sprint(i)}, chat.Private, "")
		sub.Follow("工业")
		subs = append(subs, sub)
	}
	if err := s.Import(ctx, subs); err != nil {
		t.Fatal(err)
	}
	if hooked != 2500 {
		t.Errorf("the hook ran %d times for 2500 subscribers", hooked)
	}
	got, err := s.Get(ctx, chat.Key{Platform: "telegram", ChatID: "2499"})
	if err != nil || len(got.Tags) != 2 || got.Tags[1] != "工业" {
		t.Errorf("an imported subscriber: %+v %v", got, err)
	}
	// A chat that is there already fails its batch, and nothing of it stays.
	again := []*Subscriber{New(chat.Key{Platform: "telegram", ChatID: "new"}, chat.Private, ""), New(chat.Key{Platform: "telegram", ChatID: "1"}, chat.Private, "")}
	if err := s.Import(ctx, again); err == nil {
		t.Fatal("importing a chat that exists succeeded")
	}
	if _, err := s.Get(ctx, chat.Key{Platform: "telegram", ChatID: "new"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("the failed batch left a subscriber: %v", err)
	}
	bad := New(chat.Key{Platform: "telegram", ChatID: "bad"}, chat.Private, "")
	bad.Zone = "Mars/Base"
	if err := s.Import(ctx, []*Subscriber{bad}); !errors.Is(err, ErrBadZone) {
		t.Errorf("an invalid subscriber: %v", err)
	}
}
