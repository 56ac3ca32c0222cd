package faketelegram

import (
	"encoding/json"
	"fmt"
	"strconv"
)

const (
	maxCallbackText = 200 // answerCallbackQuery text, characters
	maxResults      = 50  // answerInlineQuery results
	maxResultID     = 64  // bytes
	queryTooOld     = "query is too old and response timeout expired or query ID is invalid"
)

// resultTypes are the InlineQueryResult types of the Bot API.
var resultTypes = map[string]bool{
	"article": true, "photo": true, "gif": true, "mpeg4_gif": true, "video": true, "audio": true,
	"voice": true, "document": true, "location": true, "venue": true, "contact": true, "game": true,
	"sticker": true,
}

// https://core.telegram.org/bots/api#answercallbackquery
//
// Each query can be answered once; a refused answer does not use it up.
func (s *Server) answerCallbackQuery(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[r.params["callback_query_id"]]
	if q == nil || q.kind != "callback_query" || q.answered {
		return badRequest(queryTooOld)
	}
	text := r.params["text"]
	if utf16Len(text) > maxCallbackText {
		return badRequest("MESSAGE_TOO_LONG")
	}
	cache, _ := strconv.Atoi(r.params["cache_time"])
	q.answered = true
	s.answers = append(s.answers, Answer{
		Time:       s.now(),
		Method:     "answerCallbackQuery",
		QueryID:    q.id,
		FromUserID: q.from,
		Text:       text,
		ShowAlert:  r.params["show_alert"] == "true",
		URL:        r.params["url"],
		CacheTime:  cache,
	})
	s.notifyLocked()
	return okReply(true)
}

// inlineResultJSON is the part of an InlineQueryResult the fake checks.
type inlineResultJSON struct {
	Type                *string         `json:"type"`
	ID                  *string         `json:"id"`
	Title               *string         `json:"title"`
	Description         string          `json:"description"`
	InputMessageContent json.RawMessage `json:"input_message_content"`
	ReplyMarkup         json.RawMessage `json:"reply_markup"`
}

type inputContentJSON struct {
	MessageText *string         `json:"message_text"`
	ParseMode   string          `json:"parse_mode"`
	Entities    json.RawMessage `json:"entities"`
}

// https://core.telegram.org/bots/api#answerinlinequery
func (s *Server) answerInlineQuery(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[r.params["inline_query_id"]]
	if q == nil || q.kind != "inline_query" || q.answered {
		return badRequest(queryTooOld)
	}
	v, ok := r.params["results"]
	if !ok {
		return badRequest(`parameter "results" is required`)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal([]byte(v), &raws); err != nil {
		return badRequest("can't parse JSON encoded inline query results")
	}
	if len(raws) > maxResults {
		return badRequest("RESULTS_TOO_MUCH")
	}
	results := make([]InlineResult, 0, len(raws))
	seen := map[string]bool{}
	for _, raw := range raws {
		res, desc := checkResult(raw)
		if desc != "" {
			return badRequest(desc)
		}
		if seen[res.ID] {
			return badRequest("RESULT_ID_DUPLICATE")
		}
		seen[res.ID] = true
		results = append(results, res)
	}
	if len(r.params["next_offset"]) > 64 {
		return badRequest("NEXT_OFFSET_INVALID")
	}
	cache, _ := strconv.Atoi(r.params["cache_time"])
	q.answered = true
	s.answers = append(s.answers, Answer{
		Time:       s.now(),
		Method:     "answerInlineQuery",
		QueryID:    q.id,
		FromUserID: q.from,
		CacheTime:  cache,
		Results:    results,
		NextOffset: r.params["next_offset"],
		IsPersonal: r.params["is_personal"] == "true",
	})
	s.notifyLocked()
	return okReply(true)
}

// checkResult validates one inline result: its type and id, an article's
// title and content, a text content in its parse mode, and its keyboard.
func checkResult(raw json.RawMessage) (InlineResult, string) {
	var j inlineResultJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return InlineResult{}, "can't parse inline query result: " + err.Error()
	}
	res := InlineResult{Description: j.Description, Raw: raw}
	if j.Type == nil || !resultTypes[*j.Type] {
		t := ""
		if j.Type != nil {
			t = *j.Type
		}
		return res, fmt.Sprintf("can't parse inline query result: Unsupported inline query result type %q", t)
	}
	res.Type = *j.Type
	if j.ID == nil || *j.ID == "" || len(*j.ID) > maxResultID {
		return res, "RESULT_ID_INVALID"
	}
	res.ID = *j.ID
	if j.Title != nil {
		res.Title = *j.Title
	}
	if res.Type == "article" {
		if j.Title == nil || *j.Title == "" {
			return res, `can't parse inline query result: Field "title" must be of type String`
		}
		if !isSet(j.InputMessageContent) {
			return res, `can't parse inline query result: Field "input_message_content" must be of type Object`
		}
	}
	if isSet(j.InputMessageContent) {
		var c inputContentJSON
		if err := json.Unmarshal(j.InputMessageContent, &c); err != nil {
			return res, "can't parse input message content: " + err.Error()
		}
		if c.MessageText != nil {
			entities := ""
			if isSet(c.Entities) {
				entities = string(c.Entities)
			}
			plain, _, desc := parseText(*c.MessageText, c.ParseMode, entities)
			if desc != "" {
				return res, desc
			}
			res.MessageText, res.ParseMode, res.Plain = *c.MessageText, c.ParseMode, plain
		}
	}
	if isSet(j.ReplyMarkup) {
		m, _, desc := parseMarkup(string(j.ReplyMarkup), true)
		if desc != "" {
			return res, desc
		}
		res.Markup = m
	}
	return res, ""
}
