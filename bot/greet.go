package bot

import (
	"strings"

	"wzdaily/chat"
	"wzdaily/internal/i18n"
)

// kind of first words: what someone new types before any command.
type opening int

const (
	notOpening opening = iota
	greeting
	askHelp
)

var (
	greetingWords = []string{"你好", "您好", "你好呀", "你好啊", "嗨", "哈喽", "哈啰", "在吗", "在么", "在不在", "早", "早上好",
		"中午好", "下午好", "晚上好", "hi", "hello", "hey", "hallo", "good morning", "good evening", "喂"}
	helpWords = []string{"help", "怎么用", "如何使用", "怎么使用", "使用说明", "说明", "菜单", "menu", "命令", "commands", "?", "？",
		"有什么功能", "能做什么", "你能做什么", "你是谁", "what can you do"}
)

// firstWords tells a greeting or a question about the bot from a search:
// "你好" and "怎么用" are not what anyone wants searched.
func firstWords(text string) opening {
	t := strings.ToLower(strings.TrimRight(strings.TrimSpace(text), "!！。.~～,，…"))
	if t == "" {
		return askHelp
	}
	if strings.Trim(t, "?？") == "" {
		return askHelp
	}
	t = strings.TrimRight(t, "?？")
	for _, w := range helpWords {
		if t == w {
			return askHelp
		}
	}
	for _, w := range greetingWords {
		if t == w {
			return greeting
		}
	}
	return notOpening
}

// greet answers a greeting: who the bot is to someone new, what to try to
// a subscriber.
func (c *call) greet() chat.Message {
	if c.sub == nil {
		return msg(para(text(c.lang.T("hello new"))), para(muted(c.lang.T("try"))))
	}
	return msg(para(text(c.lang.T("hello again"))), para(muted(c.lang.T("try"))))
}

// name is a command's name as the reader types it: 取消订阅, /stop.
func (c *call) name(cmd *command) string {
	if c.lang == i18n.EN || len(cmd.names) < 2 {
		return cmd.names[0]
	}
	return cmd.names[1]
}
