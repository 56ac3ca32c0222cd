// Command fake-oa runs a fake of the WeChat Official Account platform on
// this machine and lets you chat with the bot through it, as a follower of
// the account, in the terminal: a try of the Official Account bot with no
// account. It is a command of its own so that the wzdaily binary links no
// test double.
package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"wzdaily/internal/fakecmd"
	"wzdaily/internal/fakeoa"
)

const about = `Runs a fake of the WeChat Official Account platform (微信公众平台) on this machine
and lets you chat with the bot through it, as a follower of the account, in this
terminal: a try of the Official Account bot with no account.

The fake plays WeChat's two sides. It pushes what you type to the bot's server URL
(--server), signed with --token and, with --aes-key, encrypted (safe mode), and it
waits for the answer as WeChat does: --deadline (5 s), then the same message again,
three requests in all, and "该公众号暂时无法提供服务，请稍后再试" if none is answered.
It also serves WeChat's API at --addr in place of https://api.weixin.qq.com: access
tokens for --appid and --secret, customer-service messages (only within 48 hours of
your last message and 5 after each; 3 within a minute of following or a menu click),
and the menu. Start the bot with the same values; they are printed at start.

Then type here: !follow, 开始, 订阅 工业, 搜索 西江, 更多, !menu, !click 1, !unfollow.`

const defaultServer = "http://127.0.0.1:8084/wechat"

func main() { fakecmd.Main("fake-oa", run) }

// run serves the fake until ctx ends or stdin does.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := fakecmd.Flags("fake-oa", about, stderr)
	addr := fs.String("addr", "127.0.0.1:8083", "where the fake API listens (the bot's API base URL is http://ADDR)")
	server := fs.String("server", defaultServer, "the bot's server URL (服务器地址), where pushes go")
	appID := fs.String("appid", "wx5a1f0d2b3c4e6f70", "the account's AppID")
	secret := fs.String("secret", "0fa4e1c6b2d3a5f7980c1e2d3b4a5f60", "the AppSecret the fake accepts (a made-up one)")
	token := fs.String("token", "wzdailyfake", "the server token (令牌) both sides sign with: 3 to 32 letters or digits")
	aesKey := fs.String("aes-key", "", "the EncodingAESKey, 43 letters or digits, for safe mode (安全模式); empty is plaintext mode")
	openID := fs.String("openid", "oWZ0-reader-1", "your OpenID as a follower")
	deadline := fs.Duration("deadline", 5*time.Second, "how long WeChat waits for the bot's answer before pushing again")
	if err := fakecmd.Parse(fs, args); err != nil {
		return err
	}
	srv, err := fakeoa.New(fakeoa.Options{
		AppID: *appID, AppSecret: *secret, Token: *token, EncodingAESKey: *aesKey, ReplyDeadline: *deadline,
	})
	if err != nil {
		return err
	}
	if err := srv.SetServer(*server); err != nil {
		return err
	}
	if err := srv.Start(*addr); err != nil {
		return err
	}
	defer srv.Close()
	mode := "plaintext mode"
	if srv.SafeMode() {
		mode = "safe mode (EncodingAESKey " + *aesKey + ")"
	}
	fmt.Fprintf(stdout, "Fake Official Account platform: API at %s, pushes to %s, %s.\n", srv.URL(), *server, mode)
	fmt.Fprintf(stdout, "Account: AppID %s, AppSecret %s, token %s, original id %s. You are %s.\n",
		srv.AppID(), srv.AppSecret(), srv.Token(), srv.AccountID(), *openID)
	return runConsole(ctx, srv, stdin, stdout, *openID)
}
