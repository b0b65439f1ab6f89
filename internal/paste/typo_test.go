package paste

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEditDistanceAndBudget(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"cahce", "cache", 1}, {"cashe", "cache", 1}, {"relase", "release", 1}, {"greter", "greater", 1},
		{"releese", "release", 1}, {"releaes", "release", 1}, {"rleease", "release", 1}, {"relaese", "release", 1},
		{"cache", "cache", 0}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"héllo", "hello", 1},
	} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	for w, want := range map[string]int{"lru": 0, "cache": 1, "relase": 1, "release": 2, "parsehttpheader": 2, "user_id": 0, "v1234": 0, "ÉCOLE": 1} {
		if got := TypoBudget(w); got != want {
			t.Errorf("TypoBudget(%q) = %d, want %d", w, got, want)
		}
	}
}

// TestDeletionsMeet: every pair within the budget shares a deletion key
// when the dictionary stores one-letter deletions (the store's variants).
func TestDeletionsMeet(t *testing.T) {
	dict := map[string][]string{}
	for _, w := range []string{"cache", "release", "greater", "notes"} {
		for _, v := range Deletions(w, 1) {
			dict[v] = append(dict[v], w)
		}
	}
	for q, want := range map[string]string{"cahce": "cache", "cashe": "cache", "relase": "release", "greter": "greater", "nots": "notes", "releese": "release"} {
		var cands []string
		for _, v := range Deletions(q, TypoBudget(q)) {
			cands = append(cands, dict[v]...)
		}
		if got := NearWords(q, cands); len(got) == 0 || got[0] != want {
			t.Errorf("%s: near words %v, want %s first", q, got, want)
		}
	}
	if got := NearWords("cxxhe", []string{"cache"}); len(got) != 0 {
		t.Errorf("cxxhe: %v", got)
	}
}

func TestCorrected(t *testing.T) {
	q := ParseQuery(`LRU cashe "exact phrase" -relase`)
	fuzzy, shown, ok := Corrected(q, map[string][]string{"cashe": {"cache", "cash"}, "relase": {"release"}})
	if !ok {
		t.Fatal("no correction")
	}
	want := Query{Terms: []Term{{Text: "LRU"}, {Text: "cashe" + AltSeparator + "cache" + AltSeparator + "cash"}, {Text: "exact phrase", Phrase: true}}, Excluded: []Term{{Text: "relase"}}}
	if d := cmp.Diff(want, fuzzy); d != "" {
		t.Errorf("fuzzy: %s", d)
	}
	if got := shown.String(); got != `LRU cache "exact phrase" -relase` {
		t.Errorf("shown %q", got)
	}
	if _, _, ok := Corrected(ParseQuery("lru"), nil); ok {
		t.Error("corrected without near words")
	}
}

func TestSearchCursor(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	for _, c := range []SearchCursor{{Tier: 0, CreatedAt: at, ID: "abcdefgh"}, {Tier: 3, CreatedAt: at, ID: "abcdefgh"}} {
		got, err := DecodeSearchCursor(c.Encode())
		if err != nil || *got != c {
			t.Errorf("round trip of %+v: %+v %v", c, got, err)
		}
	}
	// A list cursor reads as tier 0.
	got, err := DecodeSearchCursor(Cursor{CreatedAt: at, ID: "abcdefgh"}.Encode())
	if err != nil || got.Tier != 0 || got.ID != "abcdefgh" {
		t.Errorf("list cursor: %+v %v", got, err)
	}
	for _, bad := range []string{"!", "OTo5OTphYmNkZWZnaA", "NDoxOmFiY2RlZmdo"} { // "9:99:abcdefgh", "4:1:abcdefgh"
		if _, err := DecodeSearchCursor(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}
