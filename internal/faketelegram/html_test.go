package faketelegram

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestParseHTML_Valid(t *testing.T) {
	tests := map[string]struct {
		in       string
		plain    string
		entities []Entity
	}{
		"nested b and i": {"<b>bold <i>both</i></b>", "bold both",
			[]Entity{{Type: "bold", Offset: 0, Length: 9}, {Type: "italic", Offset: 5, Length: 4}}},
		"aliases and case": {"<STRONG>s</STRONG><em>e</em><ins>u</ins><del>d</del>", "seud",
			[]Entity{{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1},
				{Type: "underline", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1}}},
		"link with &quot;": {`<a href="https://example.com/?q=&quot;x&quot;&amp;y=1">link</a>`, "link",
			[]Entity{{Type: "text_link", Offset: 0, Length: 4, URL: `https://example.com/?q="x"&y=1`}}},
		"single-quoted href": {`go <a href='https://example.com'>here</a>`, "go here",
			[]Entity{{Type: "text_link", Offset: 3, Length: 4, URL: "https://example.com"}}},
		"user mention":      {`<a href="tg://user?id=42">Reader</a>`, "Reader", []Entity{{Type: "text_mention", Offset: 0, Length: 6, User: &User{ID: 42}}}},
		"numeric entities":  {"&#128512; &#x1F600; &#65;", "😀 😀 A", nil},
		"escaped specials":  {"1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot;", `1 < 2 && 3 > 2 "q"`, nil},
		"bare greater-than": {"a > b", "a > b", nil},
		"UTF-16 offsets":    {"😀 <b>x</b>", "😀 x", []Entity{{Type: "bold", Offset: 3, Length: 1}}},
		"spoilers": {`<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>`, "ab",
			[]Entity{{Type: "spoiler", Offset: 0, Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}}},
		"pre with language": {`<pre><code class="language-go">x := 1</code></pre>`, "x := 1",
			[]Entity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		"inline code": {"run <code>make</code>", "run make", []Entity{{Type: "code", Offset: 4, Length: 4}}},
		"blockquotes": {"<blockquote>q</blockquote><blockquote expandable>e</blockquote>", "qe",
			[]Entity{{Type: "blockquote", Offset: 0, Length: 1}, {Type: "expandable_blockquote", Offset: 1, Length: 1}}},
		"custom emoji":       {`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍", []Entity{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		"empty tag dropped":  {"a<b></b>b", "ab", nil},
		"unknown attribute":  {`<b title="x">t</b>`, "t", []Entity{{Type: "bold", Offset: 0, Length: 1}}},
		"newlines preserved": {"line 1\n<i>line 2</i>", "line 1\nline 2", []Entity{{Type: "italic", Offset: 7, Length: 6}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			plain, ents, err := ParseHTML(tc.in)
			if err != nil {
				t.Fatalf("ParseHTML(%q): %v", tc.in, err)
			}
			if plain != tc.plain || !sameJSON(ents, tc.entities) {
				t.Errorf("ParseHTML(%q) = %q %+v, want %q %+v", tc.in, plain, ents, tc.plain, tc.entities)
			}
		})
	}
}

func TestParseHTML_Invalid(t *testing.T) {
	tests := map[string]struct {
		in, reason string
	}{
		"unknown tag":         {"<div>x</div>", `Unsupported start tag "div" at byte offset 0`},
		"unknown tag later":   {"ok <p>x</p>", `Unsupported start tag "p" at byte offset 3`},
		"self-closing br":     {"a<br/>b", `Unsupported start tag "br/" at byte offset 1`},
		"unclosed":            {"<b>bold", `Can't find end tag corresponding to start tag "b"`},
		"mismatched":          {"<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		"end without start":   {"x</b>", "Unexpected end tag at byte offset 1"},
		"empty end tag":       {"x</>", "Unexpected end tag at byte offset 1"},
		"bare ampersand":      {"Tom & Jerry", `Unescaped "&" at byte offset 4; use "&amp;"`},
		"no semicolon":        {"1 &lt 2", `Unescaped "&" at byte offset 2; use "&amp;"`},
		"named nbsp":          {"a&nbsp;b", `Unsupported HTML entity "&nbsp;" at byte offset 1`},
		"named copy":          {"&copy; 2024", `Unsupported HTML entity "&copy;" at byte offset 0`},
		"numeric zero":        {"&#0;", `Invalid numeric HTML entity "&#0;" at byte offset 0`},
		"numeric surrogate":   {"&#xD800;", `Invalid numeric HTML entity "&#xD800;" at byte offset 0`},
		"numeric too big":     {"&#x110000;", `Invalid numeric HTML entity "&#x110000;" at byte offset 0`},
		"a without href":      {"<a>x</a>", `Tag "a" must have attribute "href" at byte offset 0`},
		"a with empty href":   {`<a href="">x</a>`, `Tag "a" must have attribute "href" at byte offset 0`},
		"bare & in href":      {`<a href="https://x.org/?a=1&b=2">x</a>`, `Unescaped "&" at byte offset 27; use "&amp;"`},
		"bare less-than":      {"1 < 2", `Unsupported start tag "" at byte offset 2`},
		"address in brackets": {"From <user@example.com>", `Unsupported start tag "user@example.com" at byte offset 5`},
		"unterminated tag":    {"x <b", "Unclosed start tag at byte offset 2"},
		"comment":             {"<!-- hi -->", `Unsupported start tag "!--" at byte offset 0`},
		"span without class":  {"<span>x</span>", `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		"tg-emoji without id": {"<tg-emoji>x</tg-emoji>", `Tag "tg-emoji" must have attribute "emoji-id" at byte offset 0`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseHTML(tc.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseHTML(%q) error = %v, want a *ParseError", tc.in, err)
			}
			if pe.Reason != tc.reason {
				t.Errorf("ParseHTML(%q) reason = %q, want %q", tc.in, pe.Reason, tc.reason)
			}
		})
	}
}

func TestSendMessage_InvalidHTMLIsRefused(t *testing.T) {
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddUser(reader)
	_, err := bot.Send(htmlMessage(reader.ID, "<div>x</div>"))
	wantAPIError(t, err, http.StatusBadRequest, `Bad Request: can't parse entities: Unsupported start tag "div" at byte offset 0`)
	// The same text without a parse mode is plain text.
	if _, err := bot.Send(tgbotapi.NewMessage(reader.ID, "<div>x</div>")); err != nil {
		t.Errorf("plain text: %v", err)
	}
	// Telegram returns the visible text and the entities.
	m, err := bot.Send(htmlMessage(reader.ID, `<b>Hi</b> &lt;there&gt; <a href="https://example.com/">link</a>`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "Hi <there> link" || len(m.Entities) != 2 || m.Entities[1].Type != "text_link" || m.Entities[1].Offset != 11 || m.Entities[1].URL != "https://example.com/" {
		t.Errorf("message = %q %+v", m.Text, m.Entities)
	}
	sent := srv.Sent(reader.ID)
	last := sent[len(sent)-1]
	if last.Text != `<b>Hi</b> &lt;there&gt; <a href="https://example.com/">link</a>` || last.Plain != "Hi <there> link" || last.ParseMode != "HTML" {
		t.Errorf("recorded = %+v", last)
	}
}

func TestSendMessage_LengthInUTF16Units(t *testing.T) {
	tests := map[string]struct {
		text, mode string
		ok         bool
	}{
		"4096 ASCII":                 {strings.Repeat("a", 4096), "", true},
		"4097 ASCII":                 {strings.Repeat("a", 4097), "", false},
		"2048 astral = 4096 units":   {strings.Repeat("😀", 2048), "", true},
		"2048 astral + 1 = 4097":     {strings.Repeat("😀", 2048) + "a", "", false},
		"2049 astral = 4098 units":   {strings.Repeat("😀", 2049), "", false},
		"4096 Cyrillic (BMP)":        {strings.Repeat("ж", 4096), "", true},
		"tags do not count":          {"<b>" + strings.Repeat("a", 4096) + "</b>", "HTML", true},
		"entities count once (4096)": {strings.Repeat("&lt;", 4096), "HTML", true},
		"entities count once (4097)": {strings.Repeat("&lt;", 4097), "HTML", false},
	}
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddUser(reader)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			msg := tgbotapi.NewMessage(reader.ID, tc.text)
			msg.ParseMode = tc.mode
			_, err := bot.Send(msg)
			if tc.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tc.ok {
				wantAPIError(t, err, http.StatusBadRequest, "Bad Request: message is too long")
			}
		})
	}
}

func FuzzValidateHTML(f *testing.F) {
	for _, s := range []string{
		"<b>bold <i>both</i></b>", `<a href="https://example.com/?q=&quot;x&quot;">l</a>`, "&#128512;&lt;&gt;&amp;",
		"<div>", "<b>x", "<b><i>x</b></i>", "a & b", "&nbsp;", "<a>x</a>", "x <b", "<!-- c -->", "</>",
		`<pre><code class="language-go">x</code></pre>`, "<textarea>a<b>", "<b>\x00</b>", "\xff<i>\xfe</i>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain, ents, err := ParseHTML(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("ParseHTML(%q) error %T %v, want a *ParseError with a reason", s, err, err)
			}
			return
		}
		n := utf16Len(plain)
		for _, e := range ents {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Fatalf("ParseHTML(%q): entity %+v outside the %d-unit text %q", s, e, n, plain)
			}
		}
		if !strings.ContainsAny(s, "<&") && plain != s {
			t.Fatalf("ParseHTML(%q) = %q, want text without markup unchanged", s, plain)
		}
	})
}
