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
	example  [2]string
	run      func(c *call, ctx context.Context) []chat.Message
	// notAdmin, when set, answers a group member who is not an admin
	// instead of the general refusal.
	notAdmin func(c *call) []chat.Message
}

func commandTable() []*command {
	return []*command{
		{names: []string{"/start", "开始"}, maxArgs: 0, changes: true, run: (*call).start,
			example: [2]string{"开始", "/start"}},
		{names: []string{"/help", "帮助"}, maxArgs: 1, run: func(c *call, _ context.Context) []chat.Message { return []chat.Message{c.help()} },
			example: [2]string{"帮助", "/help"}},
		{names: []string{"/tags", "标签"}, maxArgs: 0, run: (*call).tags,
			example: [2]string{"标签", "/tags"}},
		{names: []string{"/sub", "订阅"}, maxArgs: 10, changes: true, run: (*call).subscribe,
			example: [2]string{"订阅 工业 交通", "/sub 工业 交通"}},
		{names: []string{"/unsub", "退订"}, maxArgs: 10, changes: true, needsSub: true, run: (*call).unsubscribe,
			example: [2]string{"退订 工业", "/unsub 工业"}},
		{names: []string{"/list", "我的订阅"}, maxArgs: 0, needsSub: true, run: (*call).list,
			example: [2]string{"我的订阅", "/list"}},
		{names: []string{"/kw", "关键词"}, maxArgs: 11, changes: true, needsSub: true, run: (*call).keywords,
			example: [2]string{"关键词 添加 龙母 -广告", "/kw add 龙母 -广告"}},
		{names: []string{"/time", "推送时间"}, maxArgs: 1, changes: true, needsSub: true, run: (*call).setTime,
			example: [2]string{"推送时间 07:30", "/time 07:30"}},
		{names: []string{"/tz", "时区"}, maxArgs: 1, changes: true, needsSub: true, run: (*call).setZone,
			example: [2]string{"时区 Asia/Shanghai", "/tz Asia/Shanghai"}},
		{names: []string{"/lang", "语言"}, maxArgs: 1, changes: true, needsSub: true, run: (*call).setLang,
			example: [2]string{"语言 en", "/lang en"}},
		{names: []string{"/max", "每日条数"}, maxArgs: 1, changes: true, needsSub: true, run: (*call).setMax,
			example: [2]string{"每日条数 20", "/max 20"}},
		{names: []string{"/empty", "空日通知"}, maxArgs: 1, changes: true, needsSub: true, run: (*call).setEmpty,
			example: [2]string{"空日通知 关", "/empty off"}},
		{names: []string{"/latest", "最新"}, maxArgs: 1, run: (*call).latest,
			example: [2]string{"最新 5", "/latest 5"}},
		{names: []string{"/search", "搜索"}, maxArgs: -1, run: func(c *call, ctx context.Context) []chat.Message { return c.search(ctx, c.p.rest) },
			example: [2]string{"搜索 西江 大桥", "/search 西江 大桥"}},
		{names: []string{"/more", "更多", "下一页", "/next"}, maxArgs: 0, run: (*call).more,
			example: [2]string{"更多", "/more"}},
		// A group's digest now moves the group's cursor, and so takes
		// from the next morning's digest: it is for the group's admins.
		{names: []string{"/digest", "今日摘要", "摘要"}, maxArgs: 0, changes: true, needsSub: true, run: (*call).digest,
			notAdmin: (*call).digestNotAdmin,
			example:  [2]string{"今日摘要", "/digest"}},
		{names: []string{"/pause", "暂停"}, maxArgs: 0, changes: true, needsSub: true, run: (*call).pause,
			example: [2]string{"暂停", "/pause"}},
		{names: []string{"/resume", "恢复"}, maxArgs: 0, changes: true, needsSub: true, run: (*call).resume,
			example: [2]string{"恢复", "/resume"}},
		{names: []string{"/stop", "取消订阅"}, maxArgs: 0, changes: true, needsSub: true, run: (*call).stop,
			example: [2]string{"取消订阅", "/stop"}},
		{names: []string{"/stats", "统计"}, maxArgs: 0, run: (*call).stats,
			example: [2]string{"统计", "/stats"}},
		{names: []string{"/sources", "来源"}, maxArgs: 0, run: (*call).sources,
			example: [2]string{"来源", "/sources"}},
		{names: []string{"/health", "健康"}, maxArgs: 0, run: (*call).health,
			example: [2]string{"健康", "/health"}},
	}
}
