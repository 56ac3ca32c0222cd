package wechat

import (
	"fmt"
	"io"

	"github.com/eatmoreapple/openwechat"
	qrcode "github.com/skip2/go-qrcode"
)

// showQR draws the login QR code as text for a terminal and writes it as a
// PNG file, for a server without one; nothing is opened in a browser.
func showQR(uuid string, out io.Writer, pngPath string) error {
	link := openwechat.GetQrcodeUrl(uuid)
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("wechat: unable to draw the login QR code: %w", err)
	}
	if out != nil {
		fmt.Fprintf(out, "Scan with WeChat to log in (%s):\n%s\n", link, q.ToSmallString(false))
	}
	if pngPath != "" {
		png, err := q.PNG(256)
		if err != nil {
			return fmt.Errorf("wechat: unable to draw the login QR code: %w", err)
		}
		if err := writeFile(pngPath, png, 0o600); err != nil {
			return fmt.Errorf("wechat: unable to write the login QR code: %w", err)
		}
	}
	return nil
}

// loginSays tells the terminal how a login stands while it waits for the
// phone (shown, scanned, confirmed, expired), so whoever holds the phone
// knows what to do next; the log has it too, among everything else.
func (t *Transport) loginSays(what string) {
	if t.opts.QROut != nil {
		fmt.Fprintf(t.opts.QROut, "WeChat login: %s\n", what)
	}
}
