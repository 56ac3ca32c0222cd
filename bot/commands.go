package bot

import (
	"context"
	"wzdaily/chat"
)

// command is one thing the bot can be asked.
type command struct {
	names    []string // English with a slash first, then Chinese
	maxArgs  int      // -1: any number
	changes  bool     // changes the chat's settings or its digest: group admins only
	needsSub bool     // needs a started subscription
	admin    bool     // for the bot's admins: not listed to anyone else
	// example and help are catalog keys: how to type the command, and its
	// line in /help and in the platforms' menus ("": not listed there).
	example, help string
	run           func(c *call, ctx context.Context) []chat.Message
	// notAdmin, when set, answers a group member who is not an admin
	// instead of the general refusal.
	notAdmin func(c *call) []chat.Message
}

func commandTable() []*command {
	return []*command{
		// A link's start code may follow: "/start gongye".
		{names: []string{"/start", "开始"}, maxArgs: 1, changes: true, run: (*call).start,
			example: "example start", help: "help start"},
		{names: []string{"/help", "帮助"}, maxArgs: 1, run: func(c *call, _ context.Context) []chat.Message { return []chat.Message{c.help()} },
			example: "example help"},
		{names: []string{"/tags", "标签"}, maxArgs: 0, run: (*call).tags,
			example: "example tags", help: "help tags"},
		{names: []string{"/sub", "订阅"}, maxArgs: 10, changes: true, run: (*call).subscribe,
			example: "example sub", help: "help sub"},
		{names: []string{"/unsub", "退订"}, maxArgs: 10, changes: true, needsSub: true, run: (*call).unsubscribe,
			example: "example unsub", help: "help unsub"},
		{names: []string{"/list", "我的订阅"}, maxArgs: 0, needsSub: true, run: (*call).list,
			example: "example list", help: "help list"},
		{names: []string{"/kw", "关键词"}, maxArgs: 11, changes: true, needsSub: true, run: (*call).keywords,
			example: "example kw", help: "help kw"},
		{names: []string{"/time", "推送时间"}, maxArgs: -1, changes: true, run: (*call).setTime,
			example: "example time", help: "help time"},
		{names: []string{"/tz", "时区"}, maxArgs: -1, changes: true, run: (*call).setZone,
			example: "example tz", help: "help tz"},
		{names: []string{"/lang", "语言"}, maxArgs: 1, changes: true, run: (*call).setLang,
			example: "example lang", help: "help lang"},
		{names: []string{"/max", "每日条数"}, maxArgs: 1, changes: true, needsSub: true, run: (*call).setMax,
			example: "example max", help: "help max"},
		{names: []string{"/empty", "空日通知"}, maxArgs: 1, changes: true, needsSub: true, run: (*call).setEmpty,
			example: "example empty", help: "help empty"},
		{names: []string{"/latest", "最新"}, maxArgs: 1, run: (*call).latest,
			example: "example latest", help: "help latest"},
		{names: []string{"/search", "搜索"}, maxArgs: -1, run: func(c *call, ctx context.Context) []chat.Message { return c.search(ctx, c.p.rest) },
			example: "example search", help: "help search"},
		{names: []string{"/more", "更多", "下一页", "/next"}, maxArgs: 0, run: (*call).more,
			example: "example more"},
		{names: []string{"/prev", "上一页", "/previous"}, maxArgs: 0, run: (*call).prev,
			example: "example prev"},
		{names: []string{"/moredigest", "更多摘要"}, maxArgs: 0, needsSub: true, run: (*call).digestMoreTyped,
			example: "example moredigest"},
		// A group's digest now moves the group's cursor, and so takes
		// from the next morning's digest: it is for the group's admins.
		{names: []string{"/digest", "今日摘要", "摘要"}, maxArgs: 0, changes: true, needsSub: true, run: (*call).digest,
			notAdmin: (*call).digestNotAdmin,
			example:  "example digest", help: "help digest"},
		{names: []string{"/pause", "暂停"}, maxArgs: 0, changes: true, needsSub: true, run: (*call).pause,
			example: "example pause", help: "help pause"},
		{names: []string{"/resume", "恢复"}, maxArgs: 0, changes: true, needsSub: true, run: (*call).resume,
			example: "example resume", help: "help resume"},
		{names: []string{"/stop", "取消订阅"}, maxArgs: -1, changes: true, needsSub: true, run: (*call).stop,
			example: "example stop", help: "help stop"},
		{names: []string{"/stats", "统计"}, maxArgs: 0, admin: true, run: (*call).stats,
			example: "example stats", help: "help stats"},
		{names: []string{"/sources", "来源"}, maxArgs: 0, admin: true, run: (*call).sources,
			example: "example sources", help: "help sources"},
		{names: []string{"/health", "健康"}, maxArgs: 0, admin: true, run: (*call).health,
			example: "example health", help: "help health"},
	}
}
