package telegram

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecodeUpdateReadsTheTopic(t *testing.T) {
	tests := map[string]struct {
		json   string
		thread int
	}{
		"a message in a topic": {`{"update_id":1,"message":{"message_id":9,"message_thread_id":4,"is_topic_message":true,
			"chat":{"id":-100,"type":"supergroup","is_forum":true},"date":1,"text":"/help"}}`, 4},
		"a message in General": {`{"update_id":1,"message":{"message_id":9,"chat":{"id":-100,"type":"supergroup","is_forum":true},"date":1,"text":"x"}}`, 0},
		// A reply's thread in a plain supergroup, or in a forum's General:
		// no topic, and a send naming it is refused.
		"a reply thread": {`{"update_id":1,"message":{"message_id":9,"message_thread_id":5,"chat":{"id":-100,"type":"supergroup"},"date":1,"text":"x"}}`, 0},
		"a button on a message in a topic": {`{"update_id":1,"callback_query":{"id":"q","from":{"id":1,"is_bot":false,"first_name":"a"},
			"chat_instance":"c","data":"d","message":{"message_id":9,"message_thread_id":7,"is_topic_message":true,"chat":{"id":-100,"type":"supergroup"},"date":1}}}`, 7},
		"a button on an inline message": {`{"update_id":1,"callback_query":{"id":"q","from":{"id":1,"is_bot":false,"first_name":"a"},
			"chat_instance":"c","data":"d","inline_message_id":"m"}}`, 0},
		"a channel post": {`{"update_id":1,"channel_post":{"message_id":9,"chat":{"id":-100,"type":"channel"},"date":1,"text":"x"}}`, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			in, err := decodeUpdate([]byte(tc.json))
			if err != nil || in.thread != tc.thread || in.UpdateID != 1 {
				t.Errorf("decodeUpdate = update %d, thread %d, %v; want update 1, thread %d", in.UpdateID, in.thread, err, tc.thread)
			}
		})
	}
}

func TestDecodeUpdateKeepsTheIDOfAnUnreadableUpdate(t *testing.T) {
	in, err := decodeUpdate([]byte(`{"update_id":77,"message":{"message_id":"not a number"}}`))
	if err == nil || in.UpdateID != 77 || !strings.Contains(err.Error(), "update 77") {
		t.Errorf("decodeUpdate = update %d, %v; want update 77 and an error naming it", in.UpdateID, err)
	}
}

// FuzzDecodeUpdate: any body a webhook receives is read without a panic,
// and a topic is only ever taken from a message marked as in one.
func FuzzDecodeUpdate(f *testing.F) {
	f.Add(`{"update_id":1,"message":{"message_id":9,"message_thread_id":4,"is_topic_message":true,"chat":{"id":-100,"type":"supergroup"},"date":1}}`)
	f.Add(`{"update_id":2,"callback_query":{"id":"q","message":{"message_id":1,"message_thread_id":3,"is_topic_message":true}}}`)
	f.Add(`{"update_id":3,"message":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		in, err := decodeUpdate([]byte(body))
		if err != nil || in.thread == 0 {
			return
		}
		var marked struct {
			Message       *topicFields `json:"message"`
			CallbackQuery *struct {
				Message *topicFields `json:"message"`
			} `json:"callback_query"`
		}
		if json.Unmarshal([]byte(body), &marked) != nil {
			t.Fatalf("decoded %q, whose topic fields do not decode", body)
		}
		m := marked.Message
		if marked.CallbackQuery != nil {
			m = marked.CallbackQuery.Message
		}
		if m == nil || !m.IsTopic || m.ThreadID != in.thread {
			t.Errorf("thread %d from %q, which marks no such topic", in.thread, body)
		}
	})
}
