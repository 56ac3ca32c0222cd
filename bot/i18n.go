package bot

import "fmt"

// lang picks one of a reply's two wordings.
type lang int

const (
	zh lang = iota
	en
)

func langOf(code string) lang {
	if code == "en" || (len(code) > 2 && code[:3] == "en-") {
		return en
	}
	return zh
}

func (l lang) code() string { return [...]string{"zh", "en"}[l] }

// t returns the wording of key in l, formatted with args.
func (l lang) t(key string, args ...any) string {
	w, ok := wordings[key]
	if !ok {
		return key
	}
	return fmt.Sprintf(w[l], args...)
}

// wordings holds every sentence the bot says, Chinese first. Read-only.
var wordings = map[string][2]string{
	"welcome": {"欢迎使用梧州日报摘要机器人！每天早上 %s（%s）推送你关注的新闻摘要。你现在关注：%s。",
		"Welcome to the Wuzhou Daily digest bot! Every morning at %s (%s) you get a digest of the news you follow. You follow: %s."},
	"welcome back": {"欢迎回来！你的设置都还在。", "Welcome back! Your settings are as you left them."},
	"try":          {"试试：订阅 工业 · 搜索 西江 · 推送时间 08:00 · 帮助", "Try: /sub 工业 · /search 西江 · /time 08:00 · /help"},
	"help title":   {"命令（中文命令可不带 /）", "Commands"},
	"not started":  {"你还没有订阅。发送 开始 来订阅。", "You have not subscribed yet. Send /start to subscribe."},
	"unknown command": {"不认识的命令：%s。发送 帮助 查看全部命令。",
		"Unknown command: %s. Send /help for the list."},
	"too many args":    {"%s 不需要这么多参数。例如：%s", "%s takes fewer arguments. Example: %s"},
	"need args":        {"请告诉我要%s什么。例如：%s", "Tell me what to %s. Example: %s"},
	"group admin only": {"只有群管理员可以更改本群的订阅。", "Only the group's admins can change its subscriptions."},
	"admin check failed": {"暂时无法确认你是不是本群的管理员，所以什么都没有改。请稍后再试。",
		"I could not check just now whether you are an admin of this group, so nothing was changed. Please try again in a moment."},
	"digest admins only": {"只有群管理员可以立即获取本群的摘要。", "Only the group's admins can ask for the group's digest now. "},
	"group next digest":  {"下一份摘要在 %s %s（%s）推送。", "The next digest comes on %s at %s (%s)."},
	"group paused":       {"本群的推送已暂停，管理员发送 恢复 即可重新开始。", "The group's digests are paused; an admin can send /resume."},
	"group not started":  {"本群还没有订阅，管理员发送 开始 即可订阅。", "The group has not subscribed yet; an admin can send /start."},
	"admin only":         {"只有管理员可以使用这个命令。", "Only admins can use this command."},
	"internal error":     {"抱歉，出了点问题，请稍后再试。", "Sorry, something went wrong. Please try again later."},

	"subscribed":    {"已订阅：%s。", "Subscribed to: %s."},
	"already":       {"已经订阅过：%s。", "Already following: %s."},
	"unsubscribed":  {"已退订：%s。", "Unsubscribed from: %s."},
	"not following": {"你没有订阅：%s。", "You do not follow: %s."},
	"unknown tag":   {"没有这个标签：%s。", "There is no tag %s."},
	"did you mean":  {"你是不是想找：%s？", "Did you mean: %s?"},
	"see tags":      {"发送 标签 查看全部标签。", "Send /tags to see them all."},
	"too many tags": {"最多订阅 %d 个标签。", "You can follow at most %d tags."},
	"tags title":    {"标签（文章数）", "Tags (articles)"},
	"tags hint":     {"点按按钮订阅或退订；或发送 订阅 标签名。", "Press a button to follow or unfollow, or send /sub <tag>."},
	"no tags":       {"还没有文章。", "No articles yet."},
	"topic":         {"主题", "topic"},

	"kw usage":       {"关键词 添加 龙母 -广告 · 关键词 删除 龙母", "/kw add 龙母 -广告 · /kw del 龙母"},
	"kw added":       {"已添加关键词：%s。", "Keywords added: %s."},
	"kw removed":     {"已删除关键词：%s。", "Keywords removed: %s."},
	"kw missing":     {"没有这个关键词：%s。", "No such keyword: %s."},
	"kw none":        {"还没有关键词。", "No keywords yet."},
	"kw bad":         {"关键词太长或含有不可见字符：%s（最多 %d 个字）。", "Keyword too long or unprintable: %s (at most %d characters)."},
	"too many kw":    {"最多 %d 个关键词。", "At most %d keywords."},
	"kw list":        {"关键词：%s；排除：%s", "Keywords: %s; excluded: %s"},
	"time set":       {"推送时间已改为每天 %s（%s）。", "Digest time set to %s every day (%s)."},
	"bad time":       {"时间格式不对：%s。请用 24 小时制，例如：推送时间 07:30", "That is not a time: %s. Use 24-hour HH:MM, for example: /time 07:30"},
	"tz set":         {"时区已改为 %s，推送时间仍是 %s。", "Time zone set to %s; the digest still comes at %s."},
	"bad tz":         {"不认识的时区：%s。请用 IANA 时区名，例如：时区 Asia/Shanghai 或 时区 Europe/Berlin", "Unknown time zone: %s. Use an IANA name, for example: /tz Asia/Shanghai or /tz Europe/Berlin"},
	"lang set":       {"以后用中文回复。", "I will answer in English from now on."},
	"bad lang":       {"语言只能是 zh（中文）或 en（英文）。例如：语言 en", "The language must be zh or en. Example: /lang en"},
	"paused":         {"已暂停推送。发送 恢复 重新开始。", "Digests paused. Send /resume to start again."},
	"resumed":        {"已恢复推送，下一次在 %s（%s）。", "Digests resumed: the next one comes at %s (%s)."},
	"already active": {"推送本来就是开启的。", "Digests were already on."},
	"max set":        {"每天摘要最多 %d 条。", "At most %d items a digest."},
	"bad max":        {"请给一个 1 到 %d 之间的数字，例如：%s", "Give a number from 1 to %d, for example: %s"},
	"empty on":       {"没有新闻的日子也会发一条简短通知。", "On a day with no news you get a short notice."},
	"empty off":      {"没有新闻的日子不再打扰你。", "On a day with no news you get nothing."},
	"bad empty":      {"请说 开 或 关，例如：%s", "Say on or off, for example: %s"},
	"stopped":        {"已删除你的订阅和全部设置。想回来时发送 开始。", "Your subscription and all your settings are deleted. Send /start to come back."},

	"list title":    {"我的订阅", "My subscription"},
	"list tags":     {"标签：%s", "Tags: %s"},
	"list kw":       {"关键词：%s", "Keywords: %s"},
	"list ex":       {"排除：%s", "Excluded: %s"},
	"list time":     {"推送：每天 %s（%s），最多 %d 条", "Digest: every day at %s (%s), at most %d items"},
	"list empty":    {"没有新闻的日子：%s", "Days with no news: %s"},
	"empty note":    {"发一条简短通知", "a short notice"},
	"empty none":    {"不打扰", "nothing"},
	"list state":    {"状态：%s", "State: %s"},
	"list lang":     {"语言：中文", "Language: English"},
	"none":          {"无", "none"},
	"state active":  {"推送中", "active"},
	"state paused":  {"已暂停", "paused"},
	"state blocked": {"无法送达", "blocked"},
	"state left":    {"已离开", "left"},

	"latest title":     {"最新 %d 条", "Newest %d"},
	"bad number":       {"请给一个 1 到 %d 之间的数字，例如：最新 5", "Give a number from 1 to %d, for example: /latest 5"},
	"search title":     {"搜索「%s」第 %d 页", "Search \"%s\", page %d"},
	"search none":      {"没有找到「%s」。换个词试试？", "Nothing found for \"%s\". Try other words?"},
	"search more none": {"没有更多结果了。", "No more results."},
	"search empty":     {"请告诉我要搜索什么，例如：搜索 西江 大桥", "What should I search for? Example: /search 西江 大桥"},
	"search nothing":   {"这里没有可搜索的文字：请用汉字、字母或数字。", "There is nothing to search for in that: use Chinese characters, letters or digits."},
	"search expired":   {"这个搜索已过期，请重新搜索。", "That search has expired; please search again."},
	"prev":             {"上一页", "Previous"},
	"next":             {"下一页", "Next"},
	"more hint":        {"回复 更多 看下一页。", "Reply /more for the next page."},
	"digest title":     {"今日摘要 · %s", "Today's digest · %s"},
	"digest none":      {"暂时没有符合你订阅的新文章。", "No new articles match your subscription yet."},
	"digest footer":    {"更改设置：订阅 / 退订 / 关键词 / 推送时间 / 暂停", "Change settings: /sub /unsub /kw /time /pause"},

	"stats title":    {"统计", "Statistics"},
	"stats subs":     {"订阅者（%s）：%s", "Subscribers (%s): %s"},
	"stats articles": {"文章：%d 篇，最新发布于 %s", "Articles: %d, newest published %s"},
	"stats outbox":   {"今日摘要 %d 份；待发送 %d 段；无法送达 %d 段（wzdaily digest deadletters）", "Digests today: %d; parts waiting: %d; undeliverable: %d (wzdaily digest deadletters)"},
	"sources title":  {"来源", "Sources"},
	"sources none":   {"还没有抓取过任何来源。", "No source has run yet."},
	"sources line":   {"%s：上次抓取 %s，上次成功 %s，上次有新文章 %s，共 %d 篇新文章", "%s: last run %s, last success %s, last new article %s, %d new in all"},
	"sources error":  {"；连续失败 %d 次：%s", "; failed %d times in a row: %s"},
	"health ok":      {"运行正常", "Healthy"},
	"health bad":     {"有问题", "Unhealthy"},
	"health none":    {"没有健康检查。", "No health check here."},
}

// helpLines lists each command with its Chinese and English forms.
var helpLines = [][3]string{
	{"开始", "/start", "订阅（默认关注 梧州日报新闻）|subscribe (you follow 梧州日报新闻 at first)"},
	{"标签", "/tags", "全部标签和文章数|all tags with article counts"},
	{"订阅 工业", "/sub 工业", "关注标签|follow tags"},
	{"退订 工业", "/unsub 工业", "取消关注|unfollow tags"},
	{"我的订阅", "/list", "查看我的全部设置|everything about me"},
	{"关键词 添加 龙母 -广告", "/kw add 龙母 -广告", "只看含关键词的文章，- 表示排除|only articles with these words; - excludes"},
	{"推送时间 07:30", "/time 07:30", "每天推送的时间|when the digest comes"},
	{"时区 Asia/Shanghai", "/tz Asia/Shanghai", "你的时区|your time zone"},
	{"语言 en", "/lang en", "回复语言 zh/en|reply language zh/en"},
	{"每日条数 20", "/max 20", "每天摘要最多几条|most items a digest"},
	{"空日通知 关", "/empty off", "没有新闻的日子是否通知|a notice on days with no news, or nothing"},
	{"最新 5", "/latest 5", "最新文章|newest articles"},
	{"搜索 西江 大桥", "/search 西江 大桥", "搜索文章，回复 更多 翻页|search; /more for the next page"},
	{"今日摘要", "/digest", "现在就给我摘要（之后的早间摘要不再重复；群里仅限管理员）|my digest now (the next morning's will not repeat it; in a group, for its admins)"},
	{"暂停 / 恢复", "/pause /resume", "暂停或恢复推送|pause or resume digests"},
	{"取消订阅", "/stop", "删除我的全部数据|forget me and delete my data"},
	{"统计", "/stats", "管理员：统计|admins: statistics"},
	{"来源", "/sources", "管理员：各来源的抓取情况|admins: how each source is doing"},
	{"健康", "/health", "管理员：运行状态|admins: is everything running"},
}
