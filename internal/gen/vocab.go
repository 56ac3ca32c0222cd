package gen

import "strings"

// vocab holds the word lists that are not tied to one topic. Lists are kept
// in source as space-separated strings, ordered from common to rare where
// the order matters (rng.zipf favours the front).
type vocab struct {
	cityForms  []string // how a story names the city itself
	districts  []string
	towns      []string
	villageA   []string // first syllable of a village name
	villageB   []string // second syllable of a village name
	rivers     []string
	landmarks  []string
	zones      []string
	roles      []string
	surnames   []string
	givenChars []string
	brands     []string // company name stems
	trades     []string // company trade words
	typhoons   []string
	reporters  []string // bylines, written as the real paper does: (许素雁)
}

func newVocab() vocab {
	f := strings.Fields
	return vocab{
		// 梧州市 and 我市 dominate real copy; the bare 梧州 is rarer.
		cityForms: f("梧州市 我市 梧州市 我市 梧州 全市"),
		districts: f("万秀区 长洲区 龙圩区 苍梧县 藤县 岑溪市 蒙山县"),
		towns: f(`城东镇 夏郢镇 龙圩镇 大坡镇 广平镇 六堡镇 梨埠镇 岭脚镇 京南镇
			狮寨镇 旺甫镇 沙头镇 石桥镇 木双镇 藤州镇 太平镇 埌南镇 塘步镇 濛江镇
			和平镇 蒙山镇 西河镇 新圩镇 文圩镇 黄村镇 陈塘镇 归义镇 糯垌镇 筋竹镇
			马路镇 南渡镇 诚谏镇 大隆镇 古龙镇 象棋镇 天平镇 金鸡镇 长发镇 平福乡
			夏宜瑶族乡 倒水镇 新地镇 兴龙街道 城南街道 城北街道 角嘴街道 大学路街道`),
		villageA: f("大 新 和 平 安 福 塘 岭 坡 冲 石 水 竹 古 龙 凤 黄 白 罗 马 长 上 下 东 西 南 北 高 富 思"),
		villageB: f("村 岭 冲 塘 坪 垌 寨 洞 田 湾 口 头 坑 埠 山 桥 洲 岗 垌 屯"),
		rivers:   f("西江 西江 西江 桂江 桂江 浔江 鸳鸯江"),
		landmarks: f(`骑楼城 龙母庙 白云山 梧州南站 中山纪念堂 李济深故居 石表山 天龙顶
			太平狮山 梧州学院 梧州港 西江机场 中山公园 珠山 河东老城区 骑楼博物馆 梧州博物馆
			鸳鸯江滨江公园 四恩寺 泗洲岛 冰泉豆浆馆 北山公园 宝石文化广场`),
		zones: f(`粤桂合作特别试验区 苍海新区 梧州高新区 循环经济产业园区 不锈钢制品产业园
			陶瓷产业园 临港经济区 龙圩工业园 岑溪工业园 藤县中和陶瓷产业园`),
		roles: f(`市民 群众 游客 村民 志愿者 工作人员 党员干部 网格员 企业主 技术员
			家长 驾驶员 环卫工人 退役军人 社区干部 大学生 外卖骑手 快递小哥 个体户 店主`),
		surnames:   f("李 陈 黄 梁 莫 覃 韦 张 王 邓 蒙 何 吴 周 林 刘 钟 罗 谢 冯 苏 潘 甘 廖 卢 植 麦 关 区 伍"),
		givenChars: f("明 华 丽 勇 芳 军 燕 伟 敏 静 强 磊 婷 洁 涛 斌 霞 鹏 慧 杰 宇 欣 雪 萍 晖 凤 海 珊 琳 健 坤 文 秀 英 志 红 荣 彬 锋 素 雁"),
		brands: f(`宏达 华鑫 永盛 鸿基 金源 恒通 瑞丰 粤桂 西江 桂江 港联 茂源 新元 龙腾
			泰和 明辉 神冠 中恒 三鹰 正菱 冰泉 双钱 茂圣 天誉 苍松 华南 利晟 晶鑫 富迪 藤华`),
		trades:    f(`科技 茶业 建材 新材料 物流 电子 制药 食品 环保 再生资源 宝石 不锈钢 陶瓷 林化 机械`),
		typhoons:  f(`山竹 帕卡 韦帕 海高斯 木兰 马鞍 查帕卡 狮子山 暹芭 泰利 苏拉 摩羯 天鸽 卡努 杜苏芮 苗柏 莎莉嘉 海鸥`),
		reporters: f(`许素雁 李俊 陈思 黄莹 梁明 覃丽 韦东 莫晓玲 邓杰 周宇 何艳 林海 罗婷`),
	}
}
