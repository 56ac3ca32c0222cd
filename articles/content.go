package articles

import "strings"

// LeadMaxRunes caps a lead, so a digest item stays a few lines long.
const LeadMaxRunes = 120

// SetContent fills the body, lead and source URL of an article from what a
// parser read: the post's summary line (may be empty), its paragraphs of
// clean text and the original publisher's page. It reports false when the
// post has nothing to read.
func (a *Article) SetContent(summary string, paragraphs []string, sourceURL string) bool {
	a.Body = joinParagraphs(paragraphs)
	a.SourceURL = sourceURL
	if a.Body == "" {
		a.Body = summary
	}
	a.Lead = makeLead(summary, paragraphs)
	return a.Body != ""
}

func joinParagraphs(ps []string) string { return strings.Join(ps, "\n\n") }

func splitParagraphs(body string) []string {
	if body == "" {
		return nil
	}
	return strings.Split(body, "\n\n")
}

// makeLead is the summary line when the post has one, else the first one or
// two sentences of the body; either capped at LeadMaxRunes.
func makeLead(summary string, paragraphs []string) string {
	if summary != "" {
		return capRunes(summary, LeadMaxRunes)
	}
	if len(paragraphs) == 0 {
		return ""
	}
	var lead []rune
	sentences := 0
	for _, p := range paragraphs {
		for _, s := range sentencesOf(p) {
			lead = append(lead, []rune(s)...)
			sentences++
			if sentences == 2 || len(lead) >= LeadMaxRunes/2 {
				return capRunes(string(lead), LeadMaxRunes)
			}
		}
	}
	return capRunes(string(lead), LeadMaxRunes)
}

// sentencesOf splits a paragraph after each sentence-ending mark, keeping
// closing quotes with their sentence.
func sentencesOf(p string) []string {
	var out []string
	rs := []rune(p)
	start := 0
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '。', '！', '？', '!', '?', '；':
			j := i + 1
			for j < len(rs) && strings.ContainsRune("”’」』）)\"", rs[j]) {
				j++
			}
			if s := strings.TrimSpace(string(rs[start:j])); s != "" {
				out = append(out, s)
			}
			start, i = j, j-1
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}
