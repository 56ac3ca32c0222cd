package officialaccount

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// maxPush caps a push's body: WeChat's pushes are a few kilobytes (a text
// at most 2,048 bytes), a third more when encrypted.
const maxPush = 64 << 10

// ServeHTTP is the account's server URL (服务器地址): WeChat's URL check
// (a GET with echostr) and its pushes (POSTs). Every request must carry
// WeChat's signature over the server token; one that does not is refused
// with 403 before anything is read or changed. The app mounts it at the
// path the operator configured on the account's page.
func (t *Transport) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The deadline runs from the push's arrival, as WeChat's five seconds do.
	wait, stop := context.WithTimeout(r.Context(), t.opts.ReplyDeadline)
	defer stop()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
		return
	}
	srv := t.server(w, r)
	if !srv.Validate() {
		slog.Warn("Refused an Official Account request without a good signature", slog.String("remote", r.RemoteAddr))
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodGet {
		if _, ok := srv.GetQuery("echostr"); !ok {
			http.Error(w, "nothing to verify", http.StatusBadRequest)
			return
		}
		// The URL check: the library echoes echostr back.
		if err := srv.Serve(); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
		}
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPush))
	if err != nil {
		http.Error(w, "the body is too large or cut short", http.StatusRequestEntityTooLarge)
		return
	}
	if srv.Query("encrypt_type") == "aes" {
		if status, why := t.checkSealed(r, body); status != 0 {
			http.Error(w, why, status)
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.pushed()

	var claimed *push
	var answer []string
	srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
		claimed, answer = t.reply(wait, m)
		if len(answer) == 0 {
			return nil // "success": nothing to show, or it comes later
		}
		if replySize(string(m.FromUserName), string(m.ToUserName), answer[0]) > MaxBytes {
			// Text that XML must escape ("]]>") outgrew the budget: all
			// of it goes as customer-service messages.
			t.sendLate(claimed.chat, answer)
			claimed, answer = nil, nil
			return nil
		}
		return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(answer[0])}
	})
	if err := t.serve(srv.Serve, srv.Send); err != nil {
		slog.Warn("Unable to read an Official Account push", slog.Any("error", err))
		if answer == nil {
			http.Error(w, "unreadable push", http.StatusBadRequest)
		}
	}
	if claimed == nil {
		return
	}
	if r.Context().Err() != nil {
		// WeChat hung up before the reply was written: it will not show it.
		t.pushes.undelivered(claimed, answer)
		return
	}
	// What did not fit in the one reply follows as customer-service
	// messages, after it.
	if len(answer) > 1 {
		t.sendLate(claimed.chat, answer[1:])
	}
}

// serve runs the library's Serve and Send. The library panics when it
// cannot write the reply; that is an error here, not a crash.
func (t *Transport) serve(serve, send func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &apiError{text: "officialaccount: writing the reply failed"}
		}
	}()
	if err := serve(); err != nil {
		return err
	}
	return send()
}

// checkSealed checks a safe-mode push before the library opens it: a
// server without the key cannot, and the encrypted body carries a
// signature of its own, msg_signature, over the token, the timestamp, the
// nonce and the ciphertext (Message_Management/Message_encryption_and_
// decryption_instructions). It returns the status to refuse with, or 0.
func (t *Transport) checkSealed(r *http.Request, body []byte) (int, string) {
	if t.opts.EncodingAESKey == "" {
		slog.Error("The Official Account sends encrypted pushes (safe mode); set its EncodingAESKey")
		return http.StatusServiceUnavailable, "no key for safe mode"
	}
	var env message.EncryptedXMLMsg
	if err := xml.Unmarshal(body, &env); err != nil || env.EncryptedMsg == "" {
		return http.StatusBadRequest, "not an encrypted push"
	}
	q := r.URL.Query()
	if q.Get("msg_signature") != util.Signature(t.opts.Token, q.Get("timestamp"), q.Get("nonce"), env.EncryptedMsg) {
		slog.Warn("Refused an Official Account push without a good message signature", slog.String("remote", r.RemoteAddr))
		return http.StatusForbidden, "bad signature"
	}
	return 0, ""
}

// reply answers one delivery of a push: it hands a new push to the bot and
// waits for the answer until wait ends (the deadline, or WeChat hung up).
// It returns the push and the answer's pieces when this delivery replies
// with them.
func (t *Transport) reply(wait context.Context, m *message.MixMessage) (*push, []string) {
	if m == nil {
		return nil, nil
	}
	in, ok := t.read(m)
	if !ok {
		return nil, nil
	}
	p, first := t.pushes.arrive(in.key, in.update.Chat)
	if first {
		in.push = p
		in.update.Ref = &in
		select {
		case t.queue <- in.update:
		case <-wait.Done():
			if wait.Err() == context.DeadlineExceeded {
				slog.Warn("The Official Account's pushes come faster than the bot answers; one waits for WeChat's retry")
			}
			t.pushes.drop(p)
			return nil, nil
		}
	}
	answer := t.pushes.await(p, wait.Done())
	if answer == nil {
		return nil, nil
	}
	return p, answer
}

// pushed records a push, for the health report.
func (t *Transport) pushed() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lastPush = t.opts.Now()
}
