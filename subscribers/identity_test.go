package subscribers

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"

	"wzdaily/chat"
)

// A platform keeps each chat's identity beside it: read back by platform,
// in the order the chats came; a chat that is no subscriber is skipped; a
// change of settings, a move and the hook leave the identity alone.
func TestIdentitiesAreKeptBesideTheChat(t *testing.T) {
	ctx := context.Background()
	var hooked int
	s := newStoreWith(t, func(context.Context, *sql.Tx, *Subscriber, *Subscriber) error { hooked++; return nil })
	a, b := chat.Key{Platform: "wechat", ChatID: "wzd-a"}, chat.Key{Platform: "wechat", ChatID: "wzd-b"}
	for _, k := range []chat.Key{a, b, reader} {
		if _, err := s.Upsert(ctx, k, chat.Private, "老"+k.ChatID, func(*Subscriber) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	s.Update(ctx, b, func(sub *Subscriber) error { sub.Lang = "en"; return nil })
	hooked = 0
	ids, err := s.SetIdentities(ctx, "wechat", map[string]string{"wzd-a": `{"nick":"老梧"}`, "wzd-gone": "x", "42": "not telegram's"})
	if err != nil || !slices.Equal(ids, []string{"wzd-a"}) {
		t.Fatalf("kept %q, %v; want wzd-a only (the others are no wechat subscribers)", ids, err)
	}
	if hooked != 0 {
		t.Errorf("the hook was told %d times of an identity", hooked)
	}
	got, err := s.Identities(ctx, "wechat")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != a || got[0].Text != `{"nick":"老梧"}` || got[0].Kind != chat.Private ||
		got[1].Key != b || got[1].Text != "" || got[1].Lang != "en" || got[1].Name != "老wzd-b" {
		t.Fatalf("identities: %+v", got)
	}
	if sub, _ := s.Get(ctx, a); !sub.Updated.Equal(now) {
		t.Errorf("the update time moved: %v", sub.Updated)
	}
	if _, err := s.Update(ctx, a, func(sub *Subscriber) error { sub.Follow("工业"); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(ctx, a, "wzd-a2"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Identities(ctx, "wechat")
	if len(got) != 2 || got[0].Key.ChatID != "wzd-a2" || got[0].Text != `{"nick":"老梧"}` {
		t.Errorf("after an update and a move: %+v", got)
	}
	if tg, _ := s.Identities(ctx, "telegram"); len(tg) != 1 || tg[0].Text != "" {
		t.Errorf("telegram's identities: %+v", tg)
	}
}

func TestATooLongIdentityIsRefusedWhole(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	k := chat.Key{Platform: "wechat", ChatID: "wzd-a"}
	s.Upsert(ctx, k, chat.Private, "", func(*Subscriber) error { return nil })
	if _, err := s.SetIdentities(ctx, "wechat", map[string]string{"wzd-a": strings.Repeat("梧", MaxIdentityLen)}); err != nil {
		t.Fatalf("%d characters: %v", MaxIdentityLen, err)
	}
	_, err := s.SetIdentities(ctx, "wechat", map[string]string{"wzd-a": strings.Repeat("梧", MaxIdentityLen+1)})
	if !errors.Is(err, ErrIdentityTooLong) {
		t.Fatalf("%d characters: %v", MaxIdentityLen+1, err)
	}
	if got, _ := s.Identities(ctx, "wechat"); len(got) != 1 || len([]rune(got[0].Text)) != MaxIdentityLen {
		t.Errorf("the refused identity changed the kept one")
	}
}
