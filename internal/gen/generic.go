package gen

// genericSentences work for any topic: {w}, {w2}, {org} and {role} take
// the sentence's topic, so the same frame yields different vocabulary.
func genericSentences() []string {
	return []string{
		"{date}，记者从{org}获悉，{year}年以来，{place}{w}工作稳步推进，各项指标好于预期。",
		"据了解，{place}共投入资金{money}，用于{w}和{w2}等方面。",
		"“{w}关系到千家万户，我们一定要把这件事办好。”{org}负责人{person}表示。",
		"目前，{place}已累计完成{w}相关项目{n}个，惠及群众{nn}余人。",
		"下一步，{org}将继续加大{w}工作力度，推动{w2}提质增效。",
		"{year}年，{city}{w}相关工作完成投资{money}，同比增长{pct}。",
		"近日，{org}组织{n}个工作组深入{place}开展{w}专项检查。",
		"记者在现场看到，{role}们正在有条不紊地开展{w}工作。",
		"{person}是{town}的一名{role}，他说：“这几年{w}变化太大了。”",
		"据统计，今年以来{place}{w}指标同比增长{pct}，增速位居全区前列。",
		"为进一步做好{w}工作，{place}成立了由{n}个部门组成的工作专班。",
		"{city}把{w}作为“一把手”工程来抓，层层压实责任。",
		"此次活动吸引了{nn}多名{role}参与。",
		"截至{date}，{place}{w}项目已完成年度计划的{pct}。",
		"{city}坚持以人民为中心，统筹推进{w}和{w2}工作。",
		"{org}相关负责人介绍，{w}是今年为民办实事的重点内容之一。",
		"[w0.3]在{district}，{w}已成为推动高质量发展的新动能。",
		"会议要求，各县（市、区）要把{w}各项任务落到实处。",
		"{place}的{role}纷纷表示，{w}让大家的日子越过越红火。",
		"{date}上午，{city}召开{w}工作推进会，{n}个部门负责人参加会议。",
	}
}

// genericTitles fill in the main topic's words.
func genericTitles() []string {
	return []string{
		"{district}扎实推进{w}工作",
		"我市{w}工作取得新成效",
		"梧州多措并举做好{w}工作",
		"聚焦{w} 我市出台{n}条措施",
		"{district}：{w}跑出“加速度”",
		"加快{w}发展 助力“四个梧州”建设",
		"{town}：{w}托起群众幸福生活",
		"{city}召开{w}工作推进会",
		"{year}年{district}{w}亮点纷呈",
		"{w}提质增效 {district}绘就发展新图景",
	}
}

// confounderSentences hold a query word across a word boundary (舞台风格
// contains 台风, 广西江南 contains 西江). Search benchmarks use them to see
// how often substring matching returns such hits.
func confounderSentences() []string {
	return []string{
		"晚会上，演员们独特的舞台风格赢得阵阵掌声。",
		"来自广西江南区的{n}名选手参加了本次比赛。",
		"{person}曾任一所大学校长，退休后回到{town}生活。",
		"一批中医院校学生到{village}开展暑期实践。",
		"{company}的化工业务营收同比增长{pct}。",
		"外交通报会后，{n}家外贸企业到{zone}考察。",
		"{place}的恐龙母子雕塑吸引了不少小朋友驻足观看。",
	}
}
