package config

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func Example() {
	set, err := New([]Option{
		{Key: "telegram.token", Env: "TELEGRAM_BOT_TOKEN", Kind: String, Secret: true, Help: "Bot API token"},
		{Key: "log.level", Flag: "log-level", Env: "LOG_LEVEL", Kind: String, Default: "info", Help: "Log level", Check: OneOf("debug", "info", "warn", "error")},
		{Key: "wechat.gap", Flag: "wechat-gap", Env: "WECHAT_GAP", Kind: Duration, Default: "5s", Help: "Pause between WeChat sends", Check: AtLeast(time.Second)},
		{Key: "wechat.cap", Env: "WECHAT_CAP", Kind: Int, Default: "200", Help: "WeChat messages per day", Check: Between(1, 1000)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	set.Register(fs)
	if err := fs.Parse([]string{"-log-level", "debug"}); err != nil {
		fmt.Println(err)
		return
	}
	// main passes os.Getenv; a map keeps the example self-contained.
	env := map[string]string{"TELEGRAM_BOT_TOKEN": "123456:ABC", "LOG_LEVEL": "warn"}
	getenv := func(name string) string { return env[name] }
	if err := set.Load(fs, getenv, "testdata/wzdaily.yaml"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("gap:", set.Get("wechat.gap").Duration())
	set.Print(os.Stdout)

	// Every bad value is reported at once.
	env["WECHAT_CAP"] = "lots"
	env["LOG_LEVEL"] = "loud"
	if err := set.Load(nil, getenv, ""); err != nil {
		fmt.Println(err)
	}
	// Output:
	// gap: 1m0s
	// telegram.token = "******" (env TELEGRAM_BOT_TOKEN)
	// log.level = "debug" (flag -log-level)
	// wechat.gap = "1m" (file testdata/wzdaily.yaml)
	// wechat.cap = "200" (default)
	// log.level = "loud" (from env LOG_LEVEL): must be one of debug, info, warn, error
	// wechat.cap = "lots" (from env WECHAT_CAP): not a whole number; write it like 42
}
