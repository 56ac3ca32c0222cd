package faketelegram

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestAnswerCallbackQuery(t *testing.T) {
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddUser(reader)
	msg := tgbotapi.NewMessage(reader.ID, "pick")
	msg.ReplyMarkup = keyboard("Yes", "yes")
	m, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	id := srv.Press(reader.ID, m.MessageID, reader.ID, "yes")

	_, err = bot.Request(tgbotapi.NewCallback(id, strings.Repeat("x", 201)))
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: MESSAGE_TOO_LONG")
	// A refused answer does not use the query up.
	resp, err := bot.Request(tgbotapi.NewCallbackWithAlert(id, strings.Repeat("x", 200)))
	if err != nil || string(resp.Result) != "true" {
		t.Fatalf("answer: %+v, %v", resp, err)
	}
	_, err = bot.Request(tgbotapi.NewCallback(id, "again"))
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: query is too old and response timeout expired or query ID is invalid")
	_, err = bot.Request(tgbotapi.NewCallback("no-such-query", ""))
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: query is too old")

	ans := srv.Answers()
	if len(ans) != 1 || ans[0].QueryID != id || ans[0].Method != "answerCallbackQuery" || !ans[0].ShowAlert ||
		len(ans[0].Text) != 200 || ans[0].FromUserID != reader.ID {
		t.Errorf("answers = %+v", ans)
	}
	// Refused answers are not sends.
	if rej := srv.Rejections(); len(rej) != 0 {
		t.Errorf("rejections = %+v, want none", rej)
	}
}

func TestPressOnUnknownMessage(t *testing.T) {
	srv, bot := startBot(t, Options{})
	srv.AddUser(reader)
	srv.Press(reader.ID, 77, reader.ID, "stale")
	ups, err := bot.GetUpdates(tgbotapi.NewUpdate(0))
	if err != nil || len(ups) != 1 {
		t.Fatalf("updates: %+v, %v", ups, err)
	}
	q := ups[0].CallbackQuery
	if q.Message == nil || q.Message.MessageID != 77 || ups[0].FromChat().ID != reader.ID {
		t.Errorf("callback message = %+v, want a minimal message 77 in the reader's chat", q.Message)
	}
}

func TestAnswerInlineQuery(t *testing.T) {
	srv, bot := startBot(t, Options{})
	id := srv.InlineQuery(reader.ID, "cat", "")

	article := func(id, title, text string) tgbotapi.InlineQueryResultArticle {
		return tgbotapi.NewInlineQueryResultArticleHTML(id, title, text)
	}
	answer := func(results ...any) error {
		_, err := bot.Request(tgbotapi.InlineConfig{InlineQueryID: id, Results: results, CacheTime: 1})
		return err
	}
	wantAPIError(t, answer(article("r1", "Bad", "<b>cat")), http.StatusBadRequest, "Bad Request: can't parse entities: Can't find end tag")
	wantAPIError(t, answer(article("r1", "A", "x"), article("r1", "B", "y")), http.StatusBadRequest, "Bad Request: RESULT_ID_DUPLICATE")
	wantAPIError(t, answer(article(strings.Repeat("i", 65), "A", "x")), http.StatusBadRequest, "Bad Request: RESULT_ID_INVALID")
	wantAPIError(t, answer(article("r1", "", "x")), http.StatusBadRequest, `Bad Request: can't parse inline query result: Field "title"`)
	var many []any
	for i := range 51 {
		many = append(many, article(fmt.Sprint(i), "T", "x"))
	}
	wantAPIError(t, answer(many...), http.StatusBadRequest, "Bad Request: RESULTS_TOO_MUCH")
	withButton := article("r2", "A dog", "dog")
	withButton.ReplyMarkup = &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{{tgbotapi.NewInlineKeyboardButtonData("Bad", strings.Repeat("d", 65))}}}
	wantAPIError(t, answer(withButton), http.StatusBadRequest, "Bad Request: BUTTON_DATA_INVALID")

	if err := answer(many[:50]...); err != nil {
		t.Fatalf("50 results: %v", err)
	}
	if err := answer(article("r1", "A cat", "x")); err == nil {
		t.Error("second answer accepted, want query too old")
	}
	ans := srv.Answers()
	if len(ans) != 1 || len(ans[0].Results) != 50 || ans[0].CacheTime != 1 {
		t.Fatalf("answers = %+v", ans)
	}

	id = srv.InlineQuery(reader.ID, "cat", "")
	if err := answer(article("r1", "A cat", "<b>cat</b> &amp; co")); err != nil {
		t.Fatal(err)
	}
	r := srv.Answers()[1].Results[0]
	if r.Type != "article" || r.ID != "r1" || r.Title != "A cat" || r.MessageText != "<b>cat</b> &amp; co" || r.ParseMode != "HTML" || r.Plain != "cat & co" {
		t.Errorf("result = %+v", r)
	}
}

func TestCommands(t *testing.T) {
	srv, bot := startBot(t, Options{})
	start := tgbotapi.BotCommand{Command: "start", Description: "start the bot"}
	help := tgbotapi.BotCommand{Command: "help", Description: "show help"}
	if _, err := bot.Request(tgbotapi.NewSetMyCommands(start, help)); err != nil {
		t.Fatalf("setMyCommands: %v", err)
	}
	de := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "de",
		tgbotapi.BotCommand{Command: "start", Description: "Bot starten"})
	if _, err := bot.Request(de); err != nil {
		t.Fatalf("setMyCommands de: %v", err)
	}
	// The fake keeps only the default scope, the one wzdaily sets: another
	// is refused, not taken for the default.
	private := tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeAllPrivateChats(), help)
	_, err := bot.Request(private)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: unsupported bot command scope type")
	got := srv.Commands()
	if len(got) != 2 || len(got[""]) != 2 || got[""][1].Command != "help" || got["de"][0].Description != "Bot starten" {
		t.Errorf("Commands() = %+v", got)
	}
	bad := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "deu", start)
	_, err = bot.Request(bad)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: invalid language code specified")

	tests := map[string]struct {
		cmds []tgbotapi.BotCommand
		want string
	}{
		"upper case":         {[]tgbotapi.BotCommand{{Command: "Start", Description: "x"}}, "Bad Request: BOT_COMMAND_INVALID"},
		"slash":              {[]tgbotapi.BotCommand{{Command: "/start", Description: "x"}}, "Bad Request: BOT_COMMAND_INVALID"},
		"33 characters":      {[]tgbotapi.BotCommand{{Command: strings.Repeat("a", 33), Description: "x"}}, "Bad Request: BOT_COMMAND_INVALID"},
		"empty description":  {[]tgbotapi.BotCommand{{Command: "start", Description: ""}}, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
		"257 characters":     {[]tgbotapi.BotCommand{{Command: "start", Description: strings.Repeat("d", 257)}}, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
		"nil list is absent": {nil, `Bad Request: parameter "commands" is required`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := bot.Request(tgbotapi.NewSetMyCommands(tc.cmds...))
			wantAPIError(t, err, http.StatusBadRequest, tc.want)
		})
	}
	var many []tgbotapi.BotCommand
	for i := range 101 {
		many = append(many, tgbotapi.BotCommand{Command: fmt.Sprintf("c%d", i), Description: "d"})
	}
	_, err = bot.Request(tgbotapi.NewSetMyCommands(many...))
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: BOT_COMMANDS_TOO_MUCH")
	if _, err := bot.Request(tgbotapi.NewSetMyCommands(many[:32]...)); err != nil {
		t.Errorf("32 commands: %v", err)
	}

}

func TestChatQueries(t *testing.T) {
	srv, bot := startBot(t, Options{})
	srv.AddUser(reader)
	srv.AddUser(other)
	srv.AddGroup(Chat{ID: -1005, Type: ChatSupergroup, Title: "Team", Username: "team"})
	srv.SetMember(-1005, reader.ID, StatusCreator)
	srv.SetMember(-1005, other.ID, StatusMember)
	srv.SetMember(-1005, bot.Self.ID, StatusAdministrator)

	member := func(chat, user int64) (tgbotapi.ChatMember, error) {
		return bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chat, UserID: user}})
	}
	if m, err := member(-1005, reader.ID); err != nil || m.Status != "creator" || m.User.UserName != "reader" {
		t.Errorf("reader = %+v, %v", m, err)
	}
	if m, err := member(-1005, bot.Self.ID); err != nil || !m.IsAdministrator() || !m.User.IsBot || !m.CanPostMessages {
		t.Errorf("bot = %+v, %v", m, err)
	}
	srv.AddUser(User{ID: 44})
	if m, err := member(-1005, 44); err != nil || m.Status != "left" {
		t.Errorf("stranger = %+v, %v", m, err)
	}
	_, err := member(-1005, 999)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: user not found")
	_, err = member(-999, reader.ID)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: chat not found")

	if m, err := bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{SuperGroupUsername: "@team", UserID: other.ID}}); err != nil || m.Status != "member" {
		t.Errorf("by the group's @username: %+v, %v", m, err)
	}

	srv.SetMember(-1005, bot.Self.ID, StatusLeft)
	_, err = bot.Send(tgbotapi.NewMessage(-1005, "still here?"))
	wantAPIError(t, err, http.StatusForbidden, "Forbidden: bot is not a member of the supergroup chat")
}
