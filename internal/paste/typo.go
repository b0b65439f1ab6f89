package paste

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Typo budgets, as Typesense counts them by default: words shorter than
// MinLenOneTypo are never corrected, words from MinLenTwoTypos letters on
// may have two typos.
const (
	MinLenOneTypo  = 4
	MinLenTwoTypos = 7
)

// AltSeparator joins the alternatives of one word in a corrected term
// ("cahce\x1fcache"). ParseQuery turns control characters into spaces, so
// no typed term contains it.
const AltSeparator = "\x1f"

// TypoBudget is how many typos a query word may have: none for short words,
// numbers and identifiers with anything but letters.
func TypoBudget(word string) int {
	n := 0
	for _, r := range word {
		if !unicode.IsLetter(r) {
			return 0
		}
		n++
	}
	switch {
	case n >= MinLenTwoTypos:
		return 2
	case n >= MinLenOneTypo:
		return 1
	}
	return 0
}

// EditDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours each cost
// one ("cahce" is one from "cache").
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Deletions returns word and every string made from it by deleting up to n
// runes: the keys under which a dictionary of one-deletion variants finds
// the words within n typos of word (deletions on both sides meet).
func Deletions(word string, n int) []string {
	seen := map[string]bool{word: true}
	level := []string{word}
	for ; n > 0; n-- {
		var next []string
		for _, w := range level {
			for i := 0; i < len(w); {
				_, size := utf8.DecodeRuneInString(w[i:])
				d := w[:i] + w[i+size:]
				if d != "" && !seen[d] {
					seen[d] = true
					next = append(next, d)
				}
				i += size
			}
		}
		level = next
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// NearWords keeps the candidates within word's typo budget, nearest first
// (then alphabetically), leaving out word itself.
func NearWords(word string, candidates []string) []string {
	word = strings.ToLower(word)
	budget := TypoBudget(word)
	type cand struct {
		w string
		d int
	}
	var keep []cand
	for _, c := range candidates {
		c = strings.ToLower(c)
		if c == word {
			continue
		}
		if d := EditDistance(word, c); d <= budget {
			keep = append(keep, cand{c, d})
		}
	}
	slices.SortFunc(keep, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.w, b.w)
	})
	out := make([]string, 0, len(keep))
	for i, c := range keep {
		if i > 0 && keep[i-1].w == c.w {
			continue
		}
		out = append(out, c.w)
	}
	return out
}

// Corrected returns q with every word term that has near words replaced:
// Fuzzy carries all alternatives (the word as typed first) joined by
// AltSeparator, for an engine's OR; Shown carries the nearest word alone,
// for "Did you mean". ok is false when no word had a correction.
func Corrected(q Query, near map[string][]string) (fuzzy, shown Query, ok bool) {
	fuzzy.Excluded, shown.Excluded = q.Excluded, q.Excluded
	for _, t := range q.Terms {
		alts := near[strings.ToLower(t.Text)]
		if t.Phrase || len(alts) == 0 {
			fuzzy.Terms = append(fuzzy.Terms, t)
			shown.Terms = append(shown.Terms, t)
			continue
		}
		ok = true
		fuzzy.Terms = append(fuzzy.Terms, Term{Text: strings.Join(append([]string{t.Text}, alts...), AltSeparator)})
		shown.Terms = append(shown.Terms, Term{Text: alts[0]})
	}
	return fuzzy, shown, ok
}
