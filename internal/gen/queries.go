package gen

// Query is one search of the benchmark mix.
type Query struct {
	Text  string // terms separated by one space are ANDed
	Class string // 1char, 2char, 3-4char, two-word or latin
}

// Query classes, after the shapes measured in notes/search.md §2.
const (
	Class1Char   = "1char"
	Class2Char   = "2char"
	Class34Char  = "3-4char"
	ClassTwoWord = "two-word"
	ClassLatin   = "latin"
)

// Queries returns the 52-query benchmark mix. Every query occurs in the
// generated text, from common (梧州, 江) to rare (龟, 苍梧县 茶农, iPhone);
// TestQueries checks this. Period-bound words such as 疫情 or COVID-19 are
// left out because they are absent from the early years of the span.
func Queries() []Query {
	q := func(class string, texts ...string) []Query {
		out := make([]Query, len(texts))
		for i, t := range texts {
			out[i] = Query{Text: t, Class: class}
		}
		return out
	}
	var all []Query
	all = append(all, q(Class1Char, "茶", "桥", "江", "雨", "山", "港", "药", "鱼", "龟", "警")...)
	all = append(all, q(Class2Char, "梧州", "西江", "台风", "学校", "医院", "交通", "工业", "大桥", "公交", "游客", "民警", "防汛")...)
	all = append(all, q(Class34Char, "六堡茶", "骑楼城", "龙母庙", "粤桂合作", "苍海新区", "白云山", "梧州南站", "鸳鸯江", "龟苓膏", "乡村振兴", "岑溪市", "高质量发展")...)
	all = append(all, q(ClassTwoWord, "梧州 台风", "西江 大桥", "学校 安全", "六堡茶 产业", "医院 医保", "龙圩区 公路", "苍梧县 茶农", "骑楼城 游客", "藤县 暴雨", "工业 产业链")...)
	all = append(all, q(ClassLatin, "5G", "PM2.5", "GDP", "G80", "5G基站", "iPhone", "4A级", "ETC")...)
	return all
}
