package gen

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQueries(t *testing.T) {
	g := newTestGenerator(t, 1)
	qs := Queries()
	if len(qs) < 45 || len(qs) > 55 {
		t.Errorf("%d queries, want about 50", len(qs))
	}
	const n = 2000
	texts := make([]string, n)
	for i := range texts {
		p := g.Post(i)
		texts[i] = p.Title + "\n" + p.Body
	}
	classes := make(map[string]int)
	var rare, common int
	for _, q := range qs {
		classes[q.Class]++
		if err := checkClass(q); err != "" {
			t.Errorf("query %q in class %s: %s", q.Text, q.Class, err)
		}
		hits := 0
		for _, text := range texts {
			if matches(text, q.Text) {
				hits++
			}
		}
		switch {
		case hits == 0:
			t.Errorf("query %q occurs in none of the first %d posts", q.Text, n)
		case hits == n:
			t.Errorf("query %q occurs in all of the first %d posts", q.Text, n)
		case hits < n/20:
			rare++
		case hits > n/2:
			common++
		}
	}
	if len(classes) != 5 {
		t.Errorf("query classes %v, want five", classes)
	}
	if rare == 0 || common == 0 {
		t.Errorf("%d rare (<5%%) and %d common (>50%%) queries, want some of each", rare, common)
	}
}

// matches reports whether every space-separated term occurs in text.
func matches(text, query string) bool {
	for _, term := range strings.Fields(query) {
		if !strings.Contains(text, term) {
			return false
		}
	}
	return true
}

func checkClass(q Query) string {
	terms := strings.Fields(q.Text)
	n := utf8.RuneCountInString(q.Text)
	switch q.Class {
	case Class1Char:
		if n != 1 {
			return "want one character"
		}
	case Class2Char:
		if n != 2 {
			return "want two characters"
		}
	case Class34Char:
		if n < 3 || n > 5 || len(terms) != 1 {
			return "want one term of 3–5 characters"
		}
	case ClassTwoWord:
		if len(terms) != 2 {
			return "want two terms"
		}
	case ClassLatin:
		if !strings.ContainsAny(q.Text, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
			return "want Latin letters or digits"
		}
	default:
		return "unknown class"
	}
	return ""
}
