package gen

import "strings"

// topicSource is the hand-written material of one topic tag. Words are
// ordered from the most indicative to the long tail.
type topicSource struct {
	name      string
	words     string
	orgs      string
	roles     string
	sentences []string
	titles    []string
}

// topic is a topicSource with its lists split and templates parsed.
type topic struct {
	name      string
	words     []string
	orgs      []string
	roles     []string
	sentences templateSet
	titles    templateSet
}

func parseTopics(srcs []topicSource) ([]topic, error) {
	out := make([]topic, 0, len(srcs))
	for _, s := range srcs {
		sent, err := parseTemplates(s.sentences)
		if err != nil {
			return nil, err
		}
		titles, err := parseTemplates(s.titles)
		if err != nil {
			return nil, err
		}
		out = append(out, topic{
			name:      s.name,
			words:     strings.Fields(s.words),
			orgs:      strings.Fields(s.orgs),
			roles:     strings.Fields(s.roles),
			sentences: sent,
			titles:    titles,
		})
	}
	return out, nil
}

// topicSources returns the eleven topic tags. It is a function, not a
// package variable, so nothing at package level can be mutated.
func topicSources() []topicSource {
	return append(economyTopics(), societyTopics()...)
}

func economyTopics() []topicSource {
	return []topicSource{
		{
			name: "工业",
			words: `工业 企业 产业链 制造业 项目 产值 园区 技术改造 新材料 再生资源 智能制造
				数字化转型 专精特新 生产线 订单 不锈钢 电子信息 林产化工 稀土 陶瓷 工业互联网 招商引资 宝石加工`,
			orgs:  "市工业和信息化局 市发展改革委 市投资促进局 苍海新区管委会 粤桂合作特别试验区管委会 市商务局",
			roles: "企业负责人 产业工人 技术员 招商干部",
			sentences: []string{
				"{zone}内，{company}的生产线正开足马力赶制订单。",
				"[w0.5]{year}年全市规模以上工业增加值同比增长{pct}，GDP增速位居全区前列。",
				"{company}投资{money}建设的{w}项目已进入设备安装阶段，预计{year}年底投产。",
				"[w0.25]全市今年新建5G基站{nn}个，为工业互联网和智能制造提供网络支撑。",
				"[w0.4]依托粤桂合作特别试验区，我市积极承接粤港澳大湾区产业转移，{w}集群加快成形。",
				"{person}介绍，公司通过技术改造，产品良品率提升了{pct}，年产值突破{money}。",
				"[w0.4]苍海新区已签约{w}项目{n}个，总投资{money}。",
				"{org}深入{district}走访{n}家企业，协调解决用工、用地和融资等难题。",
				"[w0.5]再造一个工业梧州，关键在于做大做强{w}产业链。",
				"[w0.25]车间里，{n}台机器人正在自动焊接不锈钢制品，5G网络让设备数据实时上传。",
			},
			titles: []string{
				"[w0.6]我市规上工业增加值同比增长{pct}",
				"{zone}{n}个{w}项目集中签约",
				"加快{w}高质量发展 再造一个“工业梧州”",
				"{district}{w}项目跑出建设“加速度”",
				"[w0.3]5G赋能 {district}{w}企业加快数字化转型",
				"梧州{w}企业开足马力抢订单",
				"{company}新项目投产",
			},
		},
		{
			name: "交通",
			words: `交通 公路 高速 大桥 公交 航运 码头 港口 船闸 铁路 高铁 客运 货运 通车 路网
				出行 隧道 物流 机场 航线 驾驶员 ETC 水运 动车`,
			orgs:  "市交通运输局 市公安局交警支队 梧州港务集团 市公共交通有限公司 梧州海事局 长洲水利枢纽管理局",
			roles: "乘客 司机 船员 公交司机 交通协管员",
			sentences: []string{
				"[w0.2]G80广昆高速{district}段车流量较平日增长{pct}，交警部门提前部署疏导力量。",
				"{river}航道货运繁忙，长洲水利枢纽船闸今年累计过闸货物{nn}万吨。",
				"[w0.3]新开通的{n}路公交线路串联起{landmark}、{town}等站点，方便市民出行。",
				"[w0.3]{river}大桥建成后，两岸居民过江时间将缩短{n}分钟。",
				"[w0.2]梧州南站春运期间预计发送旅客{nn}万人次，铁路部门加开动车{n}对。",
				"[w0.15]全市高速公路ETC使用率已达{pct}，收费站通行效率明显提升。",
				"[w0.6]梧州港{w}吞吐量同比增长{pct}，成为西江黄金水道上的重要枢纽。",
				"今年以来，{place}新建和改造农村公路{nn}公里，打通群众出行“最后一公里”。",
				"[w0.2]{org}提醒，{date}起{river}大桥将进行检测维修，过往车辆请绕行。",
				"记者在{town}看到，新修的{w}平坦宽阔，货车来来往往。",
			},
			titles: []string{
				"[w0.3]{river}大桥主桥顺利合龙",
				"[w0.3]梧州南站发送旅客突破{nn}万人次",
				"{district}新改建农村公路{nn}公里",
				"[w0.3]{n}条公交新线路今起开通",
				"梧州港货物吞吐量同比增长{pct}",
				"[w0.2]G80广昆高速梧州段{date}起实施交通管制",
				"{district}{w}建设提速 织密城乡路网",
			},
		},
		{
			name: "城建",
			words: `城建 老旧小区 改造 棚户区 道路 排水 绿化 公园 路灯 地下管网 堤防 防洪
				海绵城市 城市更新 停车场 人行道 征收 大桥 市政`,
			orgs:  "市住房城乡建设局 市自然资源局 市城市管理综合执法局 梧州市城建投资集团 苍海新区管委会",
			roles: "施工人员 居民 业主 监理人员",
			sentences: []string{
				"今年我市计划改造老旧小区{n}个，惠及居民{nn}户。",
				"{place}{w}工程已完成总工程量的{pct}，预计{year}年建成。",
				"[w0.4]河东老城区防洪堤加固工程顺利完工，{river}沿岸防洪标准进一步提升。",
				"[w0.12]鸳鸯江畔新建的滨江公园已对市民开放，成为市民休闲的好去处。",
				"[w0.5]{org}对{n}条主干道路灯进行LED节能改造。",
				"[w0.4]苍海新区路网建设加快推进，{n}条市政道路已具备通车条件。",
				"施工现场，{n}台挖掘机来回穿梭，工人们正在铺设地下管网。",
				"“小区改造后，路平了，灯亮了，住着舒心多了。”{village}居民{person}说。",
			},
			titles: []string{
				"我市{n}个老旧小区改造项目开工",
				"{district}{w}工程进展顺利",
				"[w0.15]鸳鸯江滨江公园向市民开放",
				"[w0.4]苍海新区{n}条市政道路建成通车",
				"城市更新 让{district}焕发新活力",
			},
		},
		{
			name: "农业",
			words: `农业 六堡茶 茶园 茶农 种植 养殖 合作社 乡村振兴 农产品 砂糖橘 沃柑 八角 肉桂
				丰收 茶叶 电商 高标准农田 水稻 鱼苗 沙田柚 蚕桑 罗汉果`,
			orgs:  "市农业农村局 苍梧县农业农村局 市供销合作社 六堡茶产业发展中心 藤县农业农村局",
			roles: "茶农 果农 农户 养殖户 驻村第一书记 农技人员",
			sentences: []string{
				"[w0.6]走进{town}的茶园，茶农们正忙着采摘春茶，空气中弥漫着茶香。",
				"[w0.5]{year}年全市六堡茶产量达{nn}吨，综合产值突破{money}。",
				"{village}村民{person}种植砂糖橘{n}亩，年收入超过{n}万元。",
				"{village}成立专业合作社，带动{nn}户农户发展{w}产业。",
				"[w0.25]在{river}边，{org}开展增殖放流活动，投放鱼苗{nn}万尾。",
				"农技人员深入田间地头，指导农户做好{w}管理。",
				"[w0.4]{district}建成高标准农田{nn}亩，助力乡村振兴。",
				"[w0.2]六堡茶产业已成为苍梧县茶农增收致富的主导产业。",
				"通过电商直播，{village}的{w}卖到了全国各地。",
			},
			titles: []string{
				"六堡茶产业综合产值突破{money}",
				"{village}：{w}成为致富“金钥匙”",
				"{district}砂糖橘喜获丰收",
				"乡村振兴路上 {town}{w}产业兴旺",
				"{river}增殖放流鱼苗{nn}万尾",
				"[w0.2]苍梧县茶农忙采茶 六堡茶迎来丰收",
			},
		},
	}
}
