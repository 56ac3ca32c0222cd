package digest

import (
	"strings"
	"time"
	"unicode"
)

// Newspapers reprint: the same story under the same title, or the same
// text under a new title with a line added. Two articles published within
// dupWindow of each other are near-duplicates when their normalised titles
// are equal, or when the estimated Jaccard similarity of their text's
// 4-character shingles is at least dupSimilarity (MinHash with dupHashes
// functions). Titles are left out of the shingles: a reprint often gets a
// new one. A flash that comes back word for word on another week
// (北向资金净流入超50亿) is news again, not a reprint.
const (
	dupHashes     = 64
	dupSimilarity = 0.8
	shingle       = 4
	dupWindow     = 72 * time.Hour
)

// within reports whether a and b were published within d of each other.
func within(a, b *Candidate, d time.Duration) bool {
	gap := a.Article.Published.Sub(b.Article.Published)
	return gap <= d && gap >= -d
}

func groupDuplicates(cands []*Candidate) {
	parent := make([]int, len(cands))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	byTitle := map[string][]int{}
	sigs := make([][dupHashes]uint64, len(cands))
	for i, c := range cands {
		if t := normTitle(c.Article.Title); t != "" {
			for _, j := range byTitle[t] {
				if within(c, cands[j], dupWindow) {
					union(i, j)
				}
			}
			byTitle[t] = append(byTitle[t], i)
		}
		sigs[i] = minhash(c.body)
	}
	for i := range cands {
		for j := i + 1; j < len(cands); j++ {
			if !within(cands[i], cands[j], dupWindow) {
				continue
			}
			same := 0
			for k := range dupHashes {
				if sigs[i][k] == sigs[j][k] {
					same++
				}
			}
			if float64(same)/dupHashes >= dupSimilarity {
				union(i, j)
			}
		}
	}
	for i, c := range cands {
		c.group = find(i)
	}
}

// normTitle keeps only letters and digits, folded.
func normTitle(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return r
		}
		return -1
	}, foldText(s))
}

// minhash returns the signature of text's shingles: for each of the hash
// functions, the smallest hash over all shingles. The hashes are fixed, not
// seeded per run, so a digest composed again (for its "more" button, or a
// preview) groups reprints the same way.
func minhash(text string) [dupHashes]uint64 {
	var sig [dupHashes]uint64
	for k := range sig {
		sig[k] = ^uint64(0)
	}
	rs := []rune(normTitle(text))
	if len(rs) < shingle {
		rs = append(rs, make([]rune, shingle-len(rs))...)
	}
	for i := 0; i+shingle <= len(rs); i++ {
		h := fnv64(string(rs[i : i+shingle]))
		for k := range sig {
			// Cheap independent-enough hash functions: multiply and
			// xor-shift the one hash with per-function odd constants.
			v := (h ^ uint64(k)*0x9e3779b97f4a7c15) * (uint64(2*k+1) | 0xff51afd7ed558ccd)
			v ^= v >> 29
			if v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig
}

// fnv64 is FNV-1a.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
