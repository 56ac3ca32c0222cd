// Command fake-wechat runs a fake of the web-WeChat servers on this
// machine and lets you chat with the bot through it, as a friend and in a
// group, in the terminal: a try of the WeChat bot with no account. It is a
// command of its own so that the wzdaily binary links no test double.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"wzdaily/internal/fakecmd"
	"wzdaily/internal/fakewechat"
)

const about = `Runs a fake web-WeChat server on this machine and lets you chat with the bot
through it, as a friend and in a group, in this terminal: a try of the WeChat bot with no
account. In another terminal, point serve at it:

  go run -tags sqlite_fts5 . serve --wechat --wechat-endpoint http://127.0.0.1:8082 --wechat-gap 1s --wechat-jitter 1s

The bot shows a QR code; it is scanned at once (or type !scan with --auto-scan=false).
Then type here: 开始, 订阅 工业, 搜索 西江, 更多, !group 搜索 西江, !avatar, !expire.

Like WeChat now, the fake accepts a change of remark name and makes none: the bot must
know its friends by what survives a login (avatar, nickname). --keep-remarks plays the
service as it was, when remark names stuck.`

func main() { fakecmd.Main("fake-wechat", run) }

// run serves the fake until ctx ends or stdin does.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := fakecmd.Flags("fake-wechat", about, stderr)
	addr := fs.String("addr", "127.0.0.1:8082", "where to listen")
	name := fs.String("name", "小梧", "your nickname")
	auto := fs.Bool("auto-scan", true, "scan and confirm every QR code at once")
	keep := fs.Bool("keep-remarks", false, "let the bot's remark names stick, as WeChat did before it dropped them")
	if err := fakecmd.Parse(fs, args); err != nil {
		return err
	}
	srv := fakewechat.New(fakewechat.Options{AutoConfirm: *auto, NickName: "梧州日报助手", KeepRemarkNames: *keep})
	if err := srv.AddFriend(fakewechat.Person{ID: "me", NickName: *name}); err != nil {
		return err
	}
	if err := srv.AddGroup(fakewechat.Group{ID: "group", NickName: "梧州街坊群", Members: []fakewechat.Member{{ID: "me"}}}); err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return fmt.Errorf("unable to listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln) // returns ErrServerClosed at Shutdown
	defer func() {
		srv.Close() // first: ends held polls, so that Shutdown does not wait for them
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	fmt.Fprintf(stdout, "Fake web-WeChat at http://%s; you are %s, in the group 梧州街坊群.\n", ln.Addr(), *name)
	return runConsole(ctx, srv, stdin, stdout, "me", "group")
}
