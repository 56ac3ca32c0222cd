package digest

import (
	"slices"

	"wzdaily/chat"
)

// packSlack is what an item may add when it joins a part: a newline, and
// numbering grown from "1. " to "100. ".
const packSlack = 3

// packUnit is what may not be split across parts, as pack sees it: its
// blocks and their estimated size, and the blocks that go before it when
// it starts a part (the heading of the group it continues).
type packUnit struct {
	blocks []chat.Block
	size   int
	cont   []chat.Block
}

// pack groups units into parts in order, starting a new part when the next
// unit does not fit, and returns each part's unit indices; tail goes in the
// last part, or in a part of its own. For an additive measure it adds up
// the units' estimated sizes; otherwise it measures each candidate part
// whole.
func pack(units []packUnit, first, tail []chat.Block, tailButtons [][]chat.Button, head chat.Block, lim Limits) [][]int {
	measure := func(blocks []chat.Block) int { return lim.Measure(chat.Message{Blocks: blocks}) }
	var parts [][]int
	var idx []int
	cur := append([]chat.Block{}, first...)
	size := measure(cur)
	fits := func(add []chat.Block, estimate int) (bool, int) {
		n := size + estimate
		if lim.NotAdditive {
			n = measure(append(append([]chat.Block{}, cur...), add...))
		}
		return n <= lim.MaxLength, n
	}
	for i, u := range units {
		if ok, n := fits(u.blocks, u.size); ok {
			cur, size, idx = append(cur, u.blocks...), n, append(idx, i)
			continue
		}
		blocks := u.blocks
		if len(idx) > 0 {
			// A new part: a unit inside a group repeats the group's heading.
			parts, idx = append(parts, idx), nil
			cur = []chat.Block{head}
			blocks = append(slices.Clone(u.cont), u.blocks...)
		}
		// Alone in its part, cut to fit if it must (Build does the same).
		cur = append(cur, shrink(slices.Clone(blocks), lim)...)
		size, idx = measure(cur), []int{i}
	}
	// The tail (and the last part's buttons) must fit with the last units.
	withTail := size + lim.Measure(chat.Message{Blocks: tail, Buttons: tailButtons}) + packSlack*len(tail)
	if lim.NotAdditive {
		withTail = lim.Measure(chat.Message{Blocks: append(append([]chat.Block{}, cur...), tail...), Buttons: tailButtons})
	}
	if withTail > lim.MaxLength {
		parts, idx = append(parts, idx), nil
	}
	return append(parts, idx)
}

// shrink cuts the text of an item that alone is longer than a message,
// which capped leads make all but impossible; the link survives.
func shrink(u []chat.Block, lim Limits) []chat.Block {
	for lim.Measure(chat.Message{Blocks: append([]chat.Block{{}}, u...)}) > lim.MaxLength {
		// Cut the longest plain span of the last block: the lead or title.
		// The spans may be shared with the item cache: cut a copy.
		last := &u[len(u)-1]
		last.Spans = slices.Clone(last.Spans)
		longest := -1
		for i, s := range last.Spans {
			if s.Style != chat.Link && (longest < 0 || len(s.Text) > len(last.Spans[longest].Text)) {
				longest = i
			}
		}
		rs := []rune(last.Spans[longest].Text)
		if len(rs) < 8 {
			break
		}
		last.Spans[longest].Text = string(rs[:len(rs)*3/4]) + "…"
	}
	return u
}
