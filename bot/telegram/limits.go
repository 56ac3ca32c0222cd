package telegram

import (
	"time"
	"wzdaily/chat"
)

// Limits are the flood limits Telegram sets a bot
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
// The transport keeps them for every send, replies and digests alike, so a
// busy morning does not turn replies into 429s. In Options, a zero field
// means Telegram's value (DefaultLimits) and a negative one no limit.
type Limits struct {
	// Rate is the bot's messages in any second, all chats together. No
	// limit suits a self-hosted Bot API server with other limits, or a
	// benchmark.
	Rate int
	// ChatEvery is the least time between two messages to one chat.
	ChatEvery time.Duration
	// GroupPerSpan is how many messages one group or channel takes in any
	// GroupSpan.
	GroupPerSpan int
	GroupSpan    time.Duration
}

// DefaultLimits are Telegram's: 30 messages a second in all, one a second
// to a chat, twenty a minute to a group or channel. It is a function so
// that nobody can change them for everyone else.
func DefaultLimits() Limits {
	return Limits{Rate: 30, ChatEvery: time.Second, GroupPerSpan: 20, GroupSpan: time.Minute}
}

// GroupEvery is the even spacing that keeps a group within its limits:
// GroupSpan / GroupPerSpan (three seconds at Telegram's), or ChatEvery
// when that is longer. A scheduler that spaces a group's messages so does
// not leave them waiting in the transport.
func (l Limits) GroupEvery() time.Duration {
	l = l.withDefaults()
	if l.GroupPerSpan == 0 {
		return l.ChatEvery
	}
	return max(l.GroupSpan/time.Duration(l.GroupPerSpan), l.ChatEvery)
}

// withDefaults fills in Telegram's value for every zero field and turns a
// negative one into 0, which means no limit to the pacer.
func (l Limits) withDefaults() Limits {
	def := DefaultLimits()
	l.Rate = orLimit(l.Rate, def.Rate)
	l.ChatEvery = orLimit(l.ChatEvery, def.ChatEvery)
	l.GroupPerSpan = orLimit(l.GroupPerSpan, def.GroupPerSpan)
	l.GroupSpan = orLimit(l.GroupSpan, def.GroupSpan)
	if l.GroupPerSpan == 0 || l.GroupSpan == 0 {
		l.GroupPerSpan, l.GroupSpan = 0, 0 // one without the other is no limit
	}
	return l
}

// orLimit maps zero to def and a negative value to 0.
func orLimit[T int | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// Spacing is the least time between two messages to one chat of the kind
// under the limits this transport keeps: a scheduler that hands a chat its
// next message no sooner leaves no worker waiting in Send.
func (t *Transport) Spacing(kind chat.Kind) time.Duration {
	if kind == chat.Private {
		return t.opts.Limits.withDefaults().ChatEvery
	}
	return t.opts.Limits.GroupEvery()
}
