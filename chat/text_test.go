package chat

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitTextByBytesKeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("梧", 10) // 30 bytes
	got := SplitText(s, 10, UTF8Bytes)
	if len(got) != 4 {
		t.Fatalf("%d pieces: %q", len(got), got)
	}
	for _, p := range got {
		if len(p) > 10 || !utf8.ValidString(p) {
			t.Errorf("piece %q: %d bytes", p, len(p))
		}
	}
	if strings.Join(got, "") != s {
		t.Errorf("lost text: %q", got)
	}
	// A limit smaller than a character still makes progress.
	if got := SplitText("梧州", 2, UTF8Bytes); len(got) != 2 {
		t.Errorf("tiny limit: %q", got)
	}
}

func TestSplitTextCutsAtLineEnds(t *testing.T) {
	got := SplitText("ab\ncd\nef", 5, Runes)
	if len(got) != 2 || got[0] != "ab\ncd" || got[1] != "ef" {
		t.Errorf("%q", got)
	}
}

func TestChoicesPressOnlyNumberedButtons(t *testing.T) {
	var c Choices
	k := Key{Platform: "p", ChatID: "1"}
	c.Remember(k, Message{Buttons: [][]Button{{{Label: "工业", Data: "t:1"}, {Label: "下一页", Data: "s:2", Word: "下一页"}, {Label: "交通", Data: "t:2"}}}})
	if d, ok := c.Pressed(k, " 2 "); !ok || d != "t:2" {
		t.Errorf("2 pressed %q, %v", d, ok)
	}
	for _, typed := range []string{"3", "0", "工业", "-1"} {
		if d, ok := c.Pressed(k, typed); ok {
			t.Errorf("%q pressed %q", typed, d)
		}
	}
	if _, ok := c.Pressed(Key{Platform: "p", ChatID: "2"}, "1"); ok {
		t.Error("another chat's buttons pressed")
	}
	c.Remember(k, Message{})
	if _, ok := c.Pressed(k, "1"); ok {
		t.Error("a message without buttons left the old ones pressable")
	}
}

func TestTextOnlyNumbersButtonsAndDropsControls(t *testing.T) {
	m := Message{Blocks: []Block{{Spans: []Span{{Text: "西江\x00\x1b大桥\xff"}}}}, Buttons: [][]Button{{{Label: "更多", Data: "m"}}}}
	if got := TextOnly(m); got != "西江大桥\uFFFD\n回复数字：[1] 更多" {
		t.Errorf("%q", got)
	}
}

func TestSplitTextFirstLeavesRoomInTheFirstPiece(t *testing.T) {
	got := SplitTextFirst(strings.Repeat("a", 25), 5, 10, Runes)
	if len(got) != 3 || len(got[0]) != 5 || len(got[1]) != 10 || len(got[2]) != 10 {
		t.Errorf("%q", got)
	}
}
