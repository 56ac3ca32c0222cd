package articles

import (
	"strings"
	"unicode"
)

// leadSentences is how far into the body a lead is looked for: a lead is
// an opening, not the best sentence of the whole article.
const leadSentences = 6

// districts are Wuzhou's districts and counties, as articles name them.
var districts = []string{"万秀", "长洲", "龙圩", "苍梧", "藤县", "岑溪", "蒙山"}

// places are the words that put a sentence in Wuzhou: the city, "our
// city" as the paper says it, and its districts and counties. A lead that
// names them tells a local reader why the article is theirs.
var places = append([]string{"梧州", "我市"}, districts...)

// fillers are the stock openings of wire flashes that add nothing to a
// title they restate ("数据显示，截至目前，北向资金净流入超40亿元").
var fillers = []string{"数据显示", "截至目前", "据悉", "消息称", "报道称", "记者获悉", "日前", "近日", "今日", "今天"}

// connectives open a sentence that goes on from the one before; as the
// start of a lead they point at nothing.
var connectives = []string{"与此同时，", "同时，", "此外，", "另外，", "其中，"}

func trimConnective(s string) string {
	for _, c := range connectives {
		if rest, ok := strings.CutPrefix(s, c); ok {
			return rest
		}
	}
	return s
}

// repeatSlack is how many characters a text may add to a title and still
// only repeat it.
const repeatSlack = 4

// chooseLead picks the lead among the first sentences of the body: each
// sentence that does more than repeat the title starts a candidate, with
// the next such sentence when it is short (under half the cap); the
// candidate that says the most about the title and the place wins
// (leadScore), less one for each sentence it starts after the first, so a
// later one must say more, and the earlier one wins a tie. With nothing
// but repeats of the title, there is no lead: the title says it all.
func chooseLead(title string, paragraphs []string) string {
	t := shape(title)
	var sentences []string
	var shapes [][]rune
paragraphs:
	for _, p := range paragraphs {
		for _, s := range sentencesOf(p) {
			if len(sentences) == leadSentences {
				break paragraphs
			}
			if sh := shape(s); !repeats(t, sh) {
				sentences = append(sentences, s)
				shapes = append(shapes, sh)
			}
		}
	}
	grams := gramSet(t)
	best, bestScore := "", -1
	for i, s := range sentences {
		lead, leadShape := s, shapes[i]
		if i+1 < len(sentences) && runeCount(s) < LeadMaxRunes/2 {
			lead += sentences[i+1]
			leadShape = append(shapes[i][:len(shapes[i]):len(shapes[i])], shapes[i+1]...)
		}
		// A candidate whose first sentence says nothing of either is
		// carried by its second, which has a candidate of its own.
		score := 0
		if leadScore(grams, shapes[i], s) > 0 {
			score = leadScore(grams, leadShape, lead) - i
		}
		if score > bestScore {
			best, bestScore = lead, score
		}
	}
	return capRunes(trimConnective(best), LeadMaxRunes)
}

// gram is two neighbouring characters.
type gram [2]rune

// gramSet is the set of grams of rs.
func gramSet(rs []rune) map[gram]bool {
	out := make(map[gram]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		out[gram{rs[i], rs[i+1]}] = true
	}
	return out
}

// leadScore is how much text says about the title and the place: each
// distinct two-character word of the title it holds counts one, each
// mention of a Wuzhou place two. shaped is text as shape reads it.
func leadScore(titleGrams map[gram]bool, shaped []rune, text string) int {
	score := 0
	var seen map[gram]bool
	for i := 0; i+1 < len(shaped); i++ {
		g := gram{shaped[i], shaped[i+1]}
		if !titleGrams[g] || seen[g] {
			continue
		}
		if seen == nil {
			seen = map[gram]bool{}
		}
		seen[g] = true
		score++
	}
	for _, p := range places {
		score += 2 * strings.Count(text, p)
	}
	return score
}

// RepeatsTitle reports whether text says no more than the title: read as
// letters and digits, the title's characters appear in it in order, and
// what it adds besides the stock phrases of wire copy is fewer than
// repeatSlack characters, none of them a digit (a number the title lacks
// is news). A text that is part of the title repeats it too.
func RepeatsTitle(title, text string) bool {
	return repeats(shape(title), shape(text))
}

// repeats is RepeatsTitle on shaped title and text.
func repeats(t, s []rune) bool {
	str := string(s)
	for _, f := range fillers {
		str = strings.ReplaceAll(str, f, "") // no copy when f is absent
	}
	if len(str) != len(string(s)) {
		s = []rune(str)
	}
	if len(t) == 0 || len(s) == 0 {
		return len(s) == 0
	}
	if subsequence(s, t) {
		return true
	}
	extra, j := 0, 0
	for _, r := range s {
		if j < len(t) && r == t[j] {
			j++
			continue
		}
		if unicode.IsDigit(r) {
			return false
		}
		extra++
	}
	return j == len(t) && extra < repeatSlack
}

// subsequence reports whether the runes of a appear in b in order.
func subsequence(a, b []rune) bool {
	j := 0
	for _, r := range b {
		if j < len(a) && r == a[j] {
			j++
		}
	}
	return j == len(a)
}

// shape is text as it reads: folded letters and digits, without spaces
// and punctuation.
func shape(s string) []rune {
	out := make([]rune, 0, len(s)/3)
	for _, r := range foldRunes(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, r)
		}
	}
	return out
}

func runeCount(s string) int { return len([]rune(s)) }
