package officialaccount

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/util"
)

// DefaultAPI is WeChat's API, where the library's own URLs point.
const DefaultAPI = "https://api.weixin.qq.com"

// callTimeout bounds one API call: the deliverer gives a send a minute, and
// a reply sent late should not wait longer than a reader would.
const callTimeout = 20 * time.Second

// The library's API methods (message.Manager.Send, menu.Menu.SetMenu, the
// default token handle) take no context, spell the host out in constant
// URLs and send through util.DefaultHTTPClient, a package variable;
// Manager.Send also flattens WeChat's errcode into its error text. Pointing
// them at a fake would mean replacing that variable for the whole process,
// which two transports (two tests, two fakes) would race over. So this
// transport calls the same endpoints through the library's own helpers
// (util.PostJSONContext, util.HTTPGetContext, util.DecodeWithCommonError)
// and types (message.CustomerMessage, menu.Button, credential.ResAccessToken),
// with URLs on the configured API base and a context that bounds each call.
// util.DefaultHTTPClient is only read, never replaced.

// apiError is a failed API call, its text cleared of secrets.
type apiError struct {
	Code  int64 // WeChat's errcode; 0 when there was no answer to read
	fetch bool  // the access token could not be had
	text  string
	cause error // a context's error, for errors.Is; never one that quotes a URL
}

func (e *apiError) Error() string { return e.text }
func (e *apiError) Unwrap() error { return e.cause }

// The platform's error codes this transport acts on
// (Getting_Started/Global_Return_Code.html, and the pages named).
const (
	codeBusy          = -1    // 系统繁忙，此时请开发者稍候再试
	codeBadCredential = 40001 // AppSecret 错误，或者 access_token 无效 (on a token fetch: the AppSecret)
	codeBadAppID      = 40013 // 不合法的 AppID
	codeBadToken      = 40014 // 不合法的 access_token
	codeBadSecret     = 40125 // 无效的 appsecret
	codeIPNotAllowed  = 40164 // 调用接口的IP地址不在白名单中
	codeTokenExpired  = 42001 // access_token 超时
	codeNotFollowing  = 43004 // 需要接收者关注: the reader unfollowed
	codeDailyQuota    = 45009 // 接口调用超过限制: the account's daily quota
	codeWindowClosed  = 45015 // 回复时间超过限制: outside the 48-hour window
	codeCountUsedUp   = 45047 // 客服接口下行条数超过上限: the window's count is used up
)

// tokenRefused says a call was refused for its access token, which a fresh
// token mends.
func tokenRefused(code int64) bool {
	return code == codeBadCredential || code == codeBadToken || code == codeTokenExpired
}

// secretsInURL matches the query parameters that carry secrets in the URLs
// the library's errors quote.
var secretsInURL = regexp.MustCompile(`(access_token|secret)=[^&\s"']*`)

// redact turns an error from the library into an apiError whose text names
// no secret: the library's errors quote the URL they called, with the
// access token or the AppSecret in its query.
func (t *Transport) redact(what string, err error) *apiError {
	text := secretsInURL.ReplaceAllString(err.Error(), "$1=…")
	if s := t.opts.AppSecret; s != "" {
		text = strings.ReplaceAll(text, s, "…")
	}
	e := &apiError{text: "officialaccount: " + what + ": " + text}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		e.cause = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		e.cause = context.Canceled
	}
	return e
}

// post sends body as JSON to an API path with the access token. A call
// refused for its token is tried once more with a fresh one.
func (t *Transport) post(ctx context.Context, what, path string, body any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	for try := 0; ; try++ {
		token, err := t.tokens.get(ctx)
		if err != nil {
			return err
		}
		raw, err := util.PostJSONContext(ctx, t.api+path+"?access_token="+url.QueryEscape(token), body)
		if err != nil {
			return t.redact(what, err)
		}
		var answer util.CommonError
		if err := json.Unmarshal(raw, &answer); err != nil {
			return &apiError{text: fmt.Sprintf("officialaccount: %s: an answer that is not JSON (%d bytes)", what, len(raw))}
		}
		t.apiAnswered(nil)
		if answer.ErrCode == 0 {
			return nil
		}
		if tokenRefused(answer.ErrCode) && try == 0 {
			t.tokens.invalidate(token)
			continue
		}
		return &apiError{Code: answer.ErrCode, text: fmt.Sprintf("officialaccount: %s: errcode %d: %s", what, answer.ErrCode, clip(answer.ErrMsg))}
	}
}

// fetchToken asks WeChat for an access token with the AppID and AppSecret
// (Basic_Information/Get_access_token.html).
func (t *Transport) fetchToken(ctx context.Context) (string, time.Duration, error) {
	q := url.Values{"grant_type": {"client_credential"}, "appid": {t.opts.AppID}, "secret": {t.opts.AppSecret}}
	raw, err := util.HTTPGetContext(ctx, t.api+"/cgi-bin/token?"+q.Encode())
	if err != nil {
		e := t.redact("fetching the access token", err)
		e.fetch = true
		t.apiAnswered(e)
		return "", 0, e
	}
	var res credential.ResAccessToken
	if err := json.Unmarshal(raw, &res); err != nil {
		e := &apiError{fetch: true, text: fmt.Sprintf("officialaccount: fetching the access token: an answer that is not JSON (%d bytes)", len(raw))}
		t.apiAnswered(e)
		return "", 0, e
	}
	if res.ErrCode != 0 || res.AccessToken == "" {
		e := &apiError{Code: res.ErrCode, fetch: true, text: fmt.Sprintf("officialaccount: fetching the access token: errcode %d: %s", res.ErrCode, clip(res.ErrMsg))}
		t.apiAnswered(e)
		return "", 0, e
	}
	t.apiAnswered(nil)
	ttl := time.Duration(res.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = 7200 * time.Second // "目前是7200秒之内的值"
	}
	return res.AccessToken, ttl, nil
}

// misconfigured says a token fetch failed for the account's settings (a
// wrong AppID or AppSecret, a server address not on the account's IP
// whitelist), which only the operator can mend.
func misconfigured(code int64) bool {
	switch code {
	case codeBadCredential, codeBadAppID, codeBadSecret, codeIPNotAllowed:
		return true
	}
	return false
}

// clip keeps an error message from the platform short.
func clip(s string) string {
	if len(s) > 200 {
		return strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}
