package bot

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

func TestCommandsForMenus(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	for _, lang := range []string{"zh", "en"} {
		cmds := Commands(lang)
		names := map[string]bool{}
		for _, c := range cmds {
			if !valid.MatchString(c.Name) || c.Description == "" || len([]rune(c.Description)) > 256 {
				t.Errorf("%s: bad menu entry %+v", lang, c)
			}
			if names[c.Name] {
				t.Errorf("%s: %s listed twice", lang, c.Name)
			}
			names[c.Name] = true
		}
		for _, want := range []string{"start", "sub", "search", "pause", "resume", "digest"} {
			if !names[want] {
				t.Errorf("%s: /%s missing from %v", lang, want, cmds)
			}
		}
	}
	if zh, en := Commands("zh")[0].Description, Commands("en")[0].Description; zh == en || !strings.ContainsAny(zh, "订阅") {
		t.Errorf("descriptions not per language: %q / %q", zh, en)
	}
}

func TestInlineSearchPages(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	first, next, err := b.Inline(ctx, "的", "")
	if err != nil || len(first) != inlinePage || next != "1" {
		t.Fatalf("first page: %d results, next %q, %v", len(first), next, err)
	}
	ids := map[string]bool{}
	for _, r := range first {
		if r.ID == "" || r.Title == "" || ids[r.ID] || len(r.Message.Blocks) == 0 || !strings.HasPrefix(r.URL, "https://") {
			t.Errorf("bad result %+v", r)
		}
		ids[r.ID] = true
	}
	second, _, err := b.Inline(ctx, "的", next)
	if err != nil || len(second) == 0 {
		t.Fatalf("second page: %d, %v", len(second), err)
	}
	for _, r := range second {
		if ids[r.ID] {
			t.Errorf("result %s on both pages", r.ID)
		}
	}
	for _, q := range []string{"", "   ", "\"*) OR 1=1 --", strings.Repeat("梧", 10000), "\x00\xff"} {
		if _, _, err := b.Inline(ctx, q, ""); err != nil {
			t.Errorf("query %.20q: %v", q, err)
		}
	}
	if res, next, err := b.Inline(ctx, "的", "-5"); err != nil || len(res) != 0 || next != "" {
		t.Errorf("a forged offset: %d, %q, %v", len(res), next, err)
	}
}

func TestChatGoneAndBack(t *testing.T) {
	b, subs := newTestBot(t)
	ctx := context.Background()
	b.Handle(ctx, private("/start"))
	if err := b.ChatGone(ctx, me, subscribers.Blocked); err != nil {
		t.Fatal(err)
	}
	if s, _ := subs.Get(ctx, me); s.State != subscribers.Blocked {
		t.Fatalf("state %s", s.State)
	}
	if err := b.ChatBack(ctx, me); err != nil {
		t.Fatal(err)
	}
	if s, _ := subs.Get(ctx, me); s.State != subscribers.Active {
		t.Fatalf("state after coming back %s", s.State)
	}
	// A paused chat that unblocks stays paused; unknown chats are no error.
	b.Handle(ctx, private("/pause"))
	b.ChatBack(ctx, me)
	if s, _ := subs.Get(ctx, me); s.State != subscribers.Paused {
		t.Errorf("paused chat resumed by coming back: %s", s.State)
	}
	stranger := chat.Key{Platform: "telegram", ChatID: "999"}
	if err := b.ChatGone(ctx, stranger, subscribers.Left); err != nil {
		t.Error(err)
	}
	if err := b.ChatMoved(ctx, me, "-100777"); err != nil {
		t.Fatal(err)
	}
	if _, err := subs.Get(ctx, chat.Key{Platform: "telegram", ChatID: "-100777"}); err != nil {
		t.Errorf("moved chat: %v", err)
	}
}
