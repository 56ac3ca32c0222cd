package articles

import "strings"

// LeadMaxRunes caps a lead, so a digest item stays a few lines long.
const LeadMaxRunes = 120

// SetContent fills the body, lead and source URL of an article from what a
// parser read: the post's summary line (may be empty), its paragraphs of
// clean text and the original publisher's page. The lead is chosen against
// the title, so the title comes first. It reports false when the post has
// nothing to read.
func (a *Article) SetContent(summary string, paragraphs []string, sourceURL string) bool {
	a.Body = joinParagraphs(paragraphs)
	a.SourceURL = sourceURL
	if a.Body == "" {
		a.Body = summary
	}
	a.Lead = makeLead(a.Title, summary, paragraphs)
	return a.Body != ""
}

func joinParagraphs(ps []string) string { return strings.Join(ps, "\n\n") }

func splitParagraphs(body string) []string {
	if body == "" {
		return nil
	}
	return strings.Split(body, "\n\n")
}

// makeLead is the summary line when the post has one that says more than
// the title, else the sentences chooseLead picks; capped at LeadMaxRunes.
func makeLead(title, summary string, paragraphs []string) string {
	if summary != "" && !RepeatsTitle(title, summary) {
		return capRunes(summary, LeadMaxRunes)
	}
	return chooseLead(title, paragraphs)
}

// sentencesOf splits a paragraph after each sentence-ending mark, keeping
// closing quotes with their sentence. A semicolon does not end one: what
// follows it goes on from what came before.
func sentencesOf(p string) []string {
	var out []string
	rs := []rune(p)
	start := 0
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '。', '！', '？', '!', '?':
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
