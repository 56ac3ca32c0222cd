// Command wzdaily is a chat bot that sends a morning digest of 梧州日报
// (Wuzhou Daily) articles and answers keyword searches in Chinese.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // subscribers' time zones must resolve on hosts without a zone database

	"wzdaily/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, cli.OSEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}
