package cli

import (
	"strings"
	"testing"

	"wzdaily/internal/fakeoa"
)

func TestTheMenuCommandInstallsTheMenu(t *testing.T) {
	fake, err := fakeoa.New(fakeoa.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	env := map[string]string{"WECHAT_OA_APP_ID": fake.AppID(), "WECHAT_OA_APP_SECRET": fake.AppSecret(), "WECHAT_OA_TOKEN": fake.Token()}
	code, out, errOut := run(t, env, "", "officialaccount", "menu", "--oa-api", fake.URL())
	if code != 0 || !strings.Contains(out, "今日摘要 · 搜索 · 我的订阅") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	menu, ok := fake.Menu()
	if !ok || len(menu) != 3 || menu[0].Type != "click" || menu[0].Key != "/digest" || menu[2].Key != "/list" {
		t.Errorf("the account's menu: %+v", menu)
	}
	// A wrong AppSecret is named as the platform names it, and not shown.
	env["WECHAT_OA_APP_SECRET"] = "not-the-secret"
	code, _, errOut = run(t, env, "", "officialaccount", "menu", "--oa-api", fake.URL())
	if code != 1 || !strings.Contains(errOut, "errcode") || strings.Contains(errOut, "not-the-secret") {
		t.Errorf("a wrong AppSecret: exit %d\n%s", code, errOut)
	}
}
