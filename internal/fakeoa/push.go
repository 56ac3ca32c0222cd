package fakeoa

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// How WeChat pushes, from the page on passive replies
// (https://developers.weixin.qq.com/doc/subscription/guide/product/message/Passive_user_reply_message.html):
// "微信服务器在五秒内收不到响应会断掉连接，并且重新发起请求，总共重试三次" — no answer
// within five seconds, WeChat drops the connection and requests again,
// three times in all. Whether the first request counts among the three the
// page leaves open (its English version reads "a maximum of three
// retries"); developers report the same message arriving three times in
// all ("总共推送三次"), which is the default of Options.Attempts. Retries carry
// the same message (the same MsgId; for events the same FromUserName and
// CreateTime, by which the page says to deduplicate), freshly signed.
// After the last request, or after an answer WeChat cannot use, the
// follower sees Notice; an answer of "success" or an empty body stops the
// retries and shows nothing.

// Outcome is how a push ended.
type Outcome string

const (
	Replied   Outcome = "replied"       // a valid passive reply, shown to the follower
	NoReply   Outcome = "no reply"      // "success", an empty body, or a transfer to customer service
	TimedOut  Outcome = "timed out"     // no usable answer to any request in time: Notice shown
	Invalid   Outcome = "invalid reply" // an answer WeChat cannot use: Notice shown
	Refused   Outcome = "refused"       // an HTTP status other than 200: Notice shown
	Dropped   Outcome = "dropped"       // FailPushes(DropPush): never sent
	Abandoned Outcome = "abandoned"     // the caller's context ended, or Close
)

// Result is how one request of a push ended.
type Result string

const (
	Answered Result = "answered" // an HTTP answer arrived in time
	Late     Result = "late"     // the deadline passed: WeChat dropped the request
	Lost     Result = "lost"     // FailPushes(LoseReply): the answer never reached WeChat
	Failed   Result = "failed"   // no HTTP answer (connection refused, reset)
)

// Attempt is one request of a push.
type Attempt struct {
	At     time.Time // by Options.Now
	Result Result
	Status int    // the HTTP status, when answered
	Err    string // what went wrong, if anything
}

// Push is one message or event pushed to the bot, with its requests.
type Push struct {
	ID         int
	OpenID     string
	Kind       Kind
	Text       string // Content, or the EventKey
	MsgID      int64  // text messages only
	CreateTime time.Time
	Attempts   []Attempt
	Outcome    Outcome
	ReplyType  string // MsgType of the passive reply, when there was one
	Reply      string // Content of a text reply
	Problem    string // why the reply was refused, when Outcome is Invalid or Refused
}

// Retried reports whether WeChat had to request more than once.
func (p Push) Retried() bool { return len(p.Attempts) > 1 }

// maxAnswer bounds the answer the fake reads; a passive reply is far
// smaller (see MaxReplyXML).
const maxAnswer = 1 << 20

// deliver pushes m until it is answered, refused or out of attempts, and
// records it. show says whether the follower sees the reply (not after
// unfollowing).
func (s *Server) deliver(ctx context.Context, m action, show bool) (Push, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)()

	s.mu.Lock()
	target := s.target
	s.lastPush++
	p := Push{ID: s.lastPush, OpenID: m.openID, Kind: m.kind, Text: m.text, MsgID: m.msgID, CreateTime: m.createTime}
	drop := s.takePushFaultLocked(DropPush)
	s.mu.Unlock()
	if drop {
		p.Outcome = Dropped
		return s.finish(p, show), nil
	}

	for len(p.Attempts) < s.attempts && p.Outcome == "" {
		s.mu.Lock()
		lose := s.takePushFaultLocked(LoseReply)
		bad := s.takePushFaultLocked(BadSignature)
		s.mu.Unlock()
		req, err := s.sign(m, bad)
		if err != nil {
			return p, err
		}
		a := Attempt{At: s.now()}
		status, body, err := s.post(ctx, target, req)
		switch {
		case ctx.Err() != nil:
			a.Result, a.Err = Failed, ctx.Err().Error()
			p.Attempts = append(p.Attempts, a)
			p.Outcome = Abandoned
			s.finish(p, show)
			return p, fmt.Errorf("fakeoa: push %d abandoned: %w", p.ID, context.Cause(ctx))
		case errors.Is(err, errLate):
			a.Result, a.Err = Late, fmt.Sprintf("no answer within %s", s.deadline)
		case err != nil:
			a.Result, a.Err = Failed, err.Error()
		case lose:
			a.Result, a.Status, a.Err = Lost, status, "the answer was lost on the way back"
		default:
			a.Result, a.Status = Answered, status
		}
		p.Attempts = append(p.Attempts, a)
		if a.Result == Answered {
			s.judge(&p, status, body)
		}
	}
	if p.Outcome == "" {
		p.Outcome = TimedOut
	}
	return s.finish(p, show), nil
}

// judge sets the outcome of a push from the answer that reached WeChat.
func (s *Server) judge(p *Push, status int, body []byte) {
	if status != http.StatusOK {
		p.Outcome, p.Problem = Refused, "HTTP "+strconv.Itoa(status)
		return
	}
	r, err := s.readReply(body, p.OpenID)
	switch {
	case err != nil:
		p.Outcome, p.Problem = Invalid, err.Error()
	case r.none:
		p.Outcome, p.ReplyType = NoReply, r.msgType
	default:
		p.Outcome, p.ReplyType, p.Reply = Replied, r.msgType, r.content
	}
}

// errLate is a request the deadline ended, while connecting, waiting or
// reading.
var errLate = errors.New("fakeoa: the reply deadline passed")

// post makes one request of a push and reads the answer, within the
// reply deadline.
func (s *Server) post(ctx context.Context, target string, req request) (int, []byte, error) {
	attempt, cancel := context.WithTimeout(ctx, s.deadline)
	defer cancel()
	status, body, err := s.exchange(attempt, target, req)
	if err != nil && ctx.Err() == nil && errors.Is(attempt.Err(), context.DeadlineExceeded) {
		return 0, nil, errLate
	}
	return status, body, err
}

func (s *Server) exchange(ctx context.Context, target string, req request) (int, []byte, error) {
	u, err := url.Parse(target)
	if err != nil {
		return 0, nil, err // SetServer checked it
	}
	q := u.Query()
	for k, v := range req.query {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(req.body))
	if err != nil {
		return 0, nil, err
	}
	r.Header.Set("Content-Type", "text/xml")
	resp, err := s.client.Do(r)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}

// finish records p, and what the follower saw: the reply, or Notice.
func (s *Server) finish(p Push, show bool) Push {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.now()
	if show {
		switch {
		case p.Outcome == Replied:
			s.addMessageLocked(Message{OpenID: p.OpenID, At: at, Via: ViaReply, MsgType: p.ReplyType, Text: p.Reply, PushID: p.ID}, true)
		case p.Outcome == TimedOut || p.Outcome == Invalid || p.Outcome == Refused:
			s.addMessageLocked(Message{OpenID: p.OpenID, At: at, Via: ViaNotice, MsgType: "text", Text: Notice, PushID: p.ID}, true)
		}
	}
	s.pushes = append(s.pushes, p)
	s.notifyLocked()
	return p
}

// Verify makes the check WeChat makes when a server URL is configured: a
// GET with signature, timestamp, nonce and echostr, which the server must
// answer with echostr and nothing else.
// (接入概述, https://mp.weixin.qq.com/wiki?t=resource/res_main&id=mp1421135319)
func (s *Server) Verify(ctx context.Context) error {
	s.mu.Lock()
	target := s.target
	s.mu.Unlock()
	if target == "" {
		return ErrNoServer
	}
	ctx, cancel := context.WithTimeout(ctx, s.deadline)
	defer cancel()
	ts := strconv.FormatInt(s.now().Unix(), 10)
	nonce := strconv.FormatUint(uint64(randomUint32()), 10)
	echo := strconv.FormatUint(uint64(randomUint32())<<32|uint64(randomUint32()), 10)
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("signature", signature(s.token, ts, nonce))
	q.Set("timestamp", ts)
	q.Set("nonce", nonce)
	q.Set("echostr", echo)
	u.RawQuery = q.Encode()
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(r)
	if err != nil {
		return fmt.Errorf("fakeoa: URL verification failed: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("fakeoa: URL verification failed: %w", err)
	}
	if resp.StatusCode != http.StatusOK || string(body) != echo {
		return fmt.Errorf("fakeoa: URL verification failed: HTTP %d with %.64q, want 200 with the echostr %s", resp.StatusCode, body, echo)
	}
	return nil
}

// checkServerURL accepts what the configuration page does: an http or
// https URL with a host.
func checkServerURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("fakeoa: server URL %q is not an http(s) URL", raw)
	}
	return nil
}
