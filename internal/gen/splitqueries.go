package gen

import "strings"

// SplitQuery is a query typed without spaces, with the words a reader
// means by it, labelled by hand.
type SplitQuery struct {
	Text string
	// Words lists the right splits, words separated by spaces, the first
	// the most natural; a splitter is right when it gives any of them.
	Words []string
}

// SplitQueries returns the labelled queries that measure how a splitter
// cuts unspaced queries into words: pairs and triples of the words the
// generator writes (the two-word queries of the mix without their
// space, place names, topics, Latin tokens), and the sample's 梧州工业.
func SplitQueries() []SplitQuery {
	var out []SplitQuery
	for _, line := range strings.Split(strings.TrimSpace(splitLabels), "\n") {
		text, words, _ := strings.Cut(strings.TrimSpace(line), "=")
		out = append(out, SplitQuery{Text: strings.TrimSpace(text), Words: strings.Split(strings.TrimSpace(words), "|")})
	}
	return out
}

// splitLabels is one query a line: the query, "=", then the right splits
// separated by "|". Latin is written folded (lower case), as search
// compares it.
const splitLabels = `
梧州工业 = 梧州 工业
梧州台风 = 梧州 台风
西江大桥 = 西江 大桥
学校安全 = 学校 安全
六堡茶产业 = 六堡茶 产业|六堡 茶 产业
医院医保 = 医院 医保
龙圩区公路 = 龙圩区 公路|龙圩 区 公路
苍梧县茶农 = 苍梧县 茶农|苍梧 县 茶农
骑楼城游客 = 骑楼城 游客|骑楼 城 游客
藤县暴雨 = 藤县 暴雨
工业产业链 = 工业 产业链|工业 产业 链
梧州西江大桥 = 梧州 西江 大桥
藤县暴雨防汛 = 藤县 暴雨 防汛
岑溪市乡村振兴 = 岑溪市 乡村振兴|岑溪 市 乡村振兴|岑溪市 乡村 振兴|岑溪 市 乡村 振兴
苍海新区交通 = 苍海新区 交通|苍海 新区 交通
梧州南站游客 = 梧州南站 游客|梧州 南站 游客
龙母庙游客 = 龙母庙 游客|龙母 庙 游客
鸳鸯江大桥 = 鸳鸯江 大桥|鸳鸯 江 大桥
梧州学院学生 = 梧州学院 学生|梧州 学院 学生
白云山游客 = 白云山 游客|白云 山 游客
六堡茶茶农 = 六堡茶 茶农|六堡 茶 茶农
粤桂合作工业 = 粤桂合作 工业|粤桂 合作 工业
骑楼城台风 = 骑楼城 台风|骑楼 城 台风
西江防汛 = 西江 防汛
梧州民警 = 梧州 民警
医院民警 = 医院 民警
公交游客 = 公交 游客
台风防汛 = 台风 防汛
大桥交通 = 大桥 交通
苍梧县六堡茶 = 苍梧县 六堡茶|苍梧 县 六堡茶|苍梧县 六堡 茶|苍梧 县 六堡 茶
梧州高质量发展 = 梧州 高质量发展|梧州 高质量 发展
高质量发展工业 = 高质量发展 工业|高质量 发展 工业
学校交通安全 = 学校 交通 安全|学校 交通安全
游客龟苓膏 = 游客 龟苓膏
梧州5g基站 = 梧州 5g 基站|梧州 5g基站
藤县g80 = 藤县 g80
梧州gdp = 梧州 gdp
龟苓膏iphone = 龟苓膏 iphone
西江洪水 = 西江 洪水
民警交通 = 民警 交通
`
