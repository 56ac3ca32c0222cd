package bot

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"wzdaily/chat"
)

// hostile holds inputs that must get a helpful reply and change nothing.
var hostile = []string{
	"", "   ", "\u3000\t", strings.Repeat("梧", 10000), "😀😀😀", "\x00\x01\x02", "\xff\xfe\xfd",
	"'; DROP TABLE subscribers; --", "NEAR(梧州 工业) OR * -x \"", "/frobnicate", "/time 07:30 08:00",
	"推送时间 25:61", "推送时间", "时区 Mars/Base", "时区 Local", "时区 ../../etc/passwd", "/lang", "/lang klingon",
	"/latest -1", "/latest 1e9", "/latest 99999999999999999999", "订阅", "订阅 '; DROP TABLE x", "/sub " + strings.Repeat("x ", 11),
	"/kw add " + strings.Repeat("长", 25), "关键词 删除", "/unsub 没有", "/stats", "/start extra", "/search", "搜索 😀",
	"/more", "/" + strings.Repeat("a", 5000), "/@@@", "@wzbot", "/start@", "更多更多更多",
}

func TestHostileInputChangesNothing(t *testing.T) {
	b, subs := newTestBot(t)
	ctx := context.Background()
	b.Handle(ctx, private("开始"))
	b.Handle(ctx, private("订阅 工业"))
	before, err := subs.Get(ctx, me)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range hostile {
		for _, lang := range []string{"zh", "en"} {
			u := private(in)
			replies := b.Handle(ctx, u)
			if len(replies) == 0 {
				t.Errorf("%q: no reply", truncate(in, 30))
			}
			for _, m := range replies {
				text := chat.PlainText(m)
				if text == "" || strings.Contains(text, "出了点问题") || strings.Contains(text, "went wrong") {
					t.Errorf("%q: reply %q", truncate(in, 30), truncate(text, 80))
				}
			}
			if lang == "zh" {
				b.Handle(ctx, private("/lang en"))
			} else {
				b.Handle(ctx, private("/lang zh"))
			}
		}
	}
	after, err := subs.Get(ctx, me)
	if err != nil {
		t.Fatal(err)
	}
	after.Updated = before.Updated
	if !reflect.DeepEqual(before, after) {
		t.Errorf("hostile input changed the subscriber:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestBadInputIsExplainedInTheChatsLanguage(t *testing.T) {
	cases := []struct{ in, zh, en string }{
		{"/time 25:61", "时间格式不对：25:61。请用 24 小时制，例如：推送时间 07:30", "That is not a time: 25:61. Use 24-hour HH:MM, for example: /time 07:30"},
		{"/tz Mars/Base", "不认识的时区：Mars/Base", "Unknown time zone: Mars/Base"},
		{"/frobnicate", "不认识的命令：frobnicate", "Unknown command: frobnicate"},
		{"/sub 工艺", "你是不是想找：工业？", "Did you mean: 工业 (industry)?"},
		{"/time 07:30 08:00", "不需要这么多参数。例如：推送时间 07:30", "takes fewer arguments. Example: /time 07:30"},
		{"/latest 0", "请给一个 1 到 20 之间的数字", "Give a number from 1 to 20"},
		{"/kw add " + strings.Repeat("长", 25), "关键词太长", "Keyword too long"},
		{"搜索 😀", "这里没有可搜索的文字", "There is nothing to search for"},
	}
	b, _ := newTestBot(t)
	ctx := context.Background()
	b.Handle(ctx, private("开始"))
	for _, lang := range []string{"zh", "en"} {
		b.Handle(ctx, private("/lang "+lang))
		for _, c := range cases {
			want := c.zh
			if lang == "en" {
				want = c.en
			}
			if text := chat.PlainText(b.Handle(ctx, private(c.in))[0]); !strings.Contains(text, want) {
				t.Errorf("%s %q: %q lacks %q", lang, c.in, text, want)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("订阅工业")
	f.Add("/订阅@bot 工业，交通、教育")
	chinese := New(Options{}).chinese
	f.Fuzz(func(t *testing.T, s string) {
		p := parse(s, chinese)
		for _, a := range p.args {
			if a == "" || strings.ContainsAny(a, " \n\t") {
				t.Fatalf("empty or spaced argument %q from %q", a, s)
			}
		}
		if len([]rune(p.rest)) > maxInput {
			t.Fatalf("rest of %d runes", len([]rune(p.rest)))
		}
	})
}

func FuzzHandle(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, false)
	}
	f.Add("s:1:0", true)
	f.Add("tag:工业", true)
	b, _ := newTestBot(f)
	b.Handle(context.Background(), private("开始"))
	f.Fuzz(func(t *testing.T, s string, callback bool) {
		u := private(s)
		if callback {
			u.Text, u.Callback = "", s
		}
		for _, m := range b.Handle(context.Background(), u) {
			if text := chat.PlainText(m); strings.Contains(text, "出了点问题") || strings.Contains(text, "went wrong") {
				t.Fatalf("%q: %s", s, text)
			}
			for _, btn := range chat.Flatten(m.Buttons) {
				if len(btn.Data) > chat.MaxButtonData {
					t.Fatalf("button data of %d bytes", len(btn.Data))
				}
			}
		}
	})
}
