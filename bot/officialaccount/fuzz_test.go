package officialaccount

import (
	"encoding/xml"
	"net/http"
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

// FuzzPush sends signed pushes with any body, plaintext and sealed: the
// server must answer each with a status, never panic, and reply only with
// XML WeChat can read.
func FuzzPush(f *testing.F) {
	f.Add(textPush("o1", "搜索 西江", 1), false)
	f.Add(textPush("o1", "1", 2), true)
	f.Add(`<xml><FromUserName>o</FromUserName><MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_</EventKey></xml>`, false)
	f.Add(`<xml><Encrypt>AAAA</Encrypt></xml>`, false)
	f.Add("", true)
	tr, _ := serving(f, testAESKey)
	f.Fuzz(func(t *testing.T, body string, sealed bool) {
		q := signed(testToken, nil)
		if sealed {
			enc, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte(body), testAppID, testAESKey)
			if err != nil {
				t.Skip()
			}
			q.Set("encrypt_type", "aes")
			q.Set("msg_signature", util.Signature(testToken, q.Get("timestamp"), q.Get("nonce"), string(enc)))
			body = `<xml><Encrypt><![CDATA[` + string(enc) + `]]></Encrypt></xml>`
		}
		code, out := do(t, tr, http.MethodPost, q, body)
		switch code {
		case http.StatusOK:
			if out != "" && out != "success" {
				var any struct{ XMLName xml.Name }
				if err := xml.Unmarshal([]byte(out), &any); err != nil || any.XMLName.Local != "xml" {
					t.Errorf("a reply WeChat cannot read: %q", out)
				}
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Errorf("status %d for a signed push", code)
		}
	})
}
