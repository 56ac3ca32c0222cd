package chat

import "testing"

func TestPlainText(t *testing.T) {
	title := func(text, url string) Span { return Span{Text: text, Style: Bold, URL: url} }
	cases := map[string]struct {
		m    Message
		want string
	}{
		"items numbered from 1 after a heading": {
			Message{Blocks: []Block{{Kind: Heading, Spans: []Span{{Text: "工业"}}}, {Kind: Item, Spans: []Span{{Text: "a"}}},
				{Kind: Item, Spans: []Span{{Text: "b"}}}, {Kind: Heading, Spans: []Span{{Text: "交通"}}}, {Kind: Item, Spans: []Span{{Text: "c"}}}}},
			"【工业】\n1. a\n2. b\n【交通】\n1. c",
		},
		"a list that goes on from an earlier message": {
			Message{Blocks: []Block{{Kind: Heading, Spans: []Span{{Text: "工业（续）"}}}, {Kind: Item, Number: 21, Spans: []Span{{Text: "a"}}},
				{Kind: Item, Spans: []Span{{Text: "b"}}}}},
			"【工业（续）】\n21. a\n22. b",
		},
		"a linked title has its address at the end of its item": {
			Message{Blocks: []Block{{Kind: Item, Spans: []Span{title("西江", "https://x/1"), {Text: "大桥", Style: Hit, URL: "https://x/1"},
				{Text: " · 今天 08:15", Style: Muted}, {Text: "\n导语"}}}}},
			"1. 西江「大桥」 · 今天 08:15\n导语\nhttps://x/1",
		},
		"a link span shows its label and address in place": {
			Message{Blocks: []Block{{Spans: []Span{{Text: "原文", Style: Link, URL: "https://x/2"}, {Text: "。"}}}}},
			"原文 https://x/2。",
		},
	}
	for name, c := range cases {
		if got := PlainText(c.m); got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", name, got, c.want)
		}
	}
}
