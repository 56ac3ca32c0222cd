package bot

import (
	"context"
	"strings"
	"testing"

	"wzdaily/chat"
)

// The reader's first words, settings said as people say them, keywords,
// and input typed on a Chinese keyboard (issue "The reader's morning",
// points 9 to 14). testNow is 17:00 in Beijing.

func TestANewReaderInChinese(t *testing.T) {
	w := newTestWorld(t)
	runScript(t, w, private, []step{
		{in: "你好", want: []string{"你好！我是梧州日报摘要机器人", "发送 开始 订阅"}, notWant: []string{"没有找到"}},
		{in: "hi", want: []string{"你好！我是梧州日报摘要机器人"}},
		{in: "怎么用", want: []string{"【命令", "订阅 工业"}, notWant: []string{"没有找到"}},
		{in: "？", want: []string{"【命令"}},
		{in: "help", want: []string{"【命令"}},
		{in: "帮助", want: []string{"【命令", "取消订阅"}, notWant: []string{"统计", "来源", "健康"}},
		// Settings show themselves, before 开始 too.
		{in: "时区", want: []string{"你的时区：北京时间（Asia/Shanghai），当地现在 17:00。", "更改：时区 Asia/Shanghai"}},
		{in: "推送时间", want: []string{"你的摘要每天 07:30（北京时间）推送，下一次在明天 07:30。", "更改：推送时间 07:30"}},
		{in: "语言", want: []string{"现在用中文回复。", "更改：语言 en"}},
		// Times as people say them; /time works before 开始, as 订阅 does.
		{in: "推送时间 晚上8点", want: []string{"推送时间已改为每天 20:00（北京时间），下一次在今天 20:00。"}},
		{in: "推送时间 7点半", want: []string{"每天 07:30（北京时间），下一次在明天 07:30"}},
		{in: "推送时间 早上7点", want: []string{"每天 07:00"}},
		{in: "推送时间 下午3点15", want: []string{"每天 15:15（北京时间），下一次在明天 15:15"}},
		{in: "推送时间 7:30pm", want: []string{"每天 19:30（北京时间），下一次在今天 19:30"}},
		{in: "推送时间 ８点", want: []string{"每天 08:00"}},
		{in: "推送时间 25点", want: []string{"时间格式不对：25点"}},
		// Zones as people say them.
		{in: "时区 香港", want: []string{"时区已改为香港时间（Asia/Hong_Kong），摘要仍在当地每天 08:00 推送"}},
		{in: "时区 台北", want: []string{"时区已改为台北时间（Asia/Taipei）"}},
		{in: "时区 UTC+8", want: []string{"时区已改为UTC+8，"}},
		{in: "时区 GMT+8", want: []string{"时区已改为UTC+8，"}},
		{in: "时区 柏林", want: []string{"时区已改为柏林时间（Europe/Berlin）", "下一次在明天 08:00"}},
		{in: "时区 europe/berlin", want: []string{"柏林时间（Europe/Berlin）"}},
		{in: "时区", want: []string{"你的时区：柏林时间（Europe/Berlin），当地现在 10:00。"}},
		{in: "时区 北京时间", want: []string{"时区已改为北京时间（Asia/Shanghai）"}},
		// Full-width and bracketed input.
		{in: "订阅：交通", want: []string{"已订阅：交通。"}},
		{in: "订阅 【工业】", want: []string{"已订阅：工业。"}},
		{in: "／订阅 法治", want: []string{"已订阅：法治。"}},
		{in: "每日条数 ５", want: []string{"每天摘要最多 5 条。"}},
		{in: "取消订阅 工业", want: []string{"「取消订阅」会删除你的全部设置", "只想不再关注 工业，请发送：退订 工业"}},
		{in: "我的订阅", want: []string{"标签：梧州日报新闻、交通、工业、法治"}},
		// Suggestions go by meaning, not by a shared character.
		{in: "订阅 体育", want: []string{"没有这个标签：体育。", "搜索 体育"}, notWant: []string{"教育"}},
		{in: "订阅 教肓", want: []string{"你是不是想找：教育？"}},
		// Keywords.
		{in: "/kw list", want: []string{"还没有关键词。"}, notWant: []string{"已添加"}},
		{in: "关键词 添加 房价 －广告 龙母", want: []string{"已添加关键词：房价、-广告、龙母。", "关键词：房价、龙母；排除：广告"}},
		{in: "关键词", want: []string{"关键词：房价、龙母；排除：广告"}},
		{in: "关键词 删除 -广告", want: []string{"已删除关键词：-广告。"}},
		{in: "关键词", want: []string{"关键词：房价、龙母；排除：无"}},
		{in: "关键词 清空", want: []string{"已清空全部关键词。"}},
		{in: "关键词", want: []string{"还没有关键词。"}},
		{in: "退订 梧州日报新闻 交通 工业 法治", want: []string{"已退订"}},
		{in: "关键词 添加 龙母", want: []string{"已添加关键词：龙母。", "你没有订阅任何标签"}},
		// Twice the same asks, twice the same kind of answer.
		{in: "暂停", want: []string{"已暂停推送。"}},
		{in: "暂停", want: []string{"推送本来就是暂停的。"}},
		{in: "恢复", want: []string{"已恢复推送"}},
		{in: "恢复", want: []string{"推送本来就是开启的。"}},
		{in: "你好", want: []string{"你好！"}, notWant: []string{"我是梧州日报摘要机器人"}},
	})
}

func TestANewReaderInEnglish(t *testing.T) {
	w := newTestWorld(t)
	mk := func(text string) chat.Update { u := private(text); u.LangHint = "en-GB"; return u }
	runScript(t, w, mk, []step{
		{in: "hello", want: []string{"Hello! I am the Wuzhou Daily digest bot", "Send /start to subscribe"}},
		{in: "?", want: []string{"【Commands】"}, notWant: []string{"/stats", "/health"}},
		{in: "/tz", want: []string{"Your time zone: Beijing time (Asia/Shanghai); it is 17:00 there now.", "To change it: /tz Asia/Shanghai"}},
		{in: "/time", want: []string{"Your digest comes every day at 07:30 (Beijing time); the next one tomorrow at 07:30."}},
		{in: "/lang", want: []string{"I answer in English.", "To change it: /lang en"}},
		{in: "/time 7:30pm", want: []string{"Digest time set to 19:30 every day (Beijing time); the next one comes today at 19:30."}},
		{in: "/time 7:30 pm", want: []string{"Digest time set to 19:30"}},
		{in: "/tz Berlin", want: []string{"Time zone set to Berlin time (Europe/Berlin); the digest still comes at 19:30 local time, the next one today at 19:30."}},
		{in: "/tz UTC+8", want: []string{"Time zone set to UTC+8;"}},
		{in: "/sub 交通", want: []string{"Subscribed to: 交通 (transport)."}},
		{in: "/list", want: []string{"Tags: 梧州日报新闻 (Wuzhou Daily news), 交通 (transport)"}, notWant: []string{"、", "："}},
		{in: "/stop 交通", want: []string{"/stop forgets you and all your settings, and takes no arguments. To stop following 交通 only, send: /unsub 交通"}},
		{in: "/max 2", want: []string{"At most 2 items per digest."}},
		{in: "/kw add 房价 -广告", want: []string{"Keywords added: 房价, -广告.", "Keywords: 房价; excluded: 广告"}, notWant: []string{"、"}},
		{in: "/kw clear", want: []string{"All keywords cleared."}},
		{in: "/pause", want: []string{"Digests paused."}},
		{in: "/pause", want: []string{"Digests were already paused."}},
		{in: "/help x y", want: []string{"/help takes fewer arguments"}},
		{in: "/tags 1", want: []string{"/tags takes no arguments. Example: /tags"}},
	})
}

// TestTheMenusListNoAdminCommands: Telegram's menu is the same for every
// reader, so it lists what every reader may use.
func TestTheMenusListNoAdminCommands(t *testing.T) {
	for _, c := range Commands("zh") {
		if c.Name == "stats" || c.Name == "sources" || c.Name == "health" {
			t.Errorf("the menu lists the admin command /%s", c.Name)
		}
	}
	w := newTestWorld(t)
	u := private("帮助")
	u.UserID = "admin"
	if got := chat.PlainText(w.b.Handle(context.Background(), u)[0]); !containsAll(got, "统计", "来源", "健康") {
		t.Errorf("an admin's help lacks the admin commands:\n%s", got)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
