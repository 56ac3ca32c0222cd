package bot

import "wzdaily/chat"

// Builders keep command code short.

func text(s string) chat.Span  { return chat.Span{Text: s} }
func bold(s string) chat.Span  { return chat.Span{Text: s, Style: chat.Bold} }
func muted(s string) chat.Span { return chat.Span{Text: s, Style: chat.Muted} }
func para(spans ...chat.Span) chat.Block {
	return chat.Block{Kind: chat.Paragraph, Spans: spans}
}
func heading(spans ...chat.Span) chat.Block { return chat.Block{Kind: chat.Heading, Spans: spans} }
func item(spans ...chat.Span) chat.Block    { return chat.Block{Kind: chat.Item, Spans: spans} }
func msg(blocks ...chat.Block) chat.Message { return chat.Message{Blocks: blocks} }
func say(s string) chat.Message             { return msg(para(text(s))) }
func button(label, data string) chat.Button {
	return chat.Button{Label: label, Data: data}
}
