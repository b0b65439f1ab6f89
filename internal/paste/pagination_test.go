package paste

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCursorFields(t *testing.T) {
	for _, c := range []struct {
		name    string
		cursor  string
		kind    string
		n       int
		want    []string
		invalid bool
	}{
		{"none", "", "", 2, nil, false},
		{"round trip", EncodeCursor("", "123", "abcDEF12"), "", 2, []string{"123", "abcDEF12"}, false},
		{"kind tag", EncodeCursor("t", "9", "0"), "t", 2, []string{"9", "0"}, false},
		{"any count", EncodeCursor("", "1", "2", "3"), "", 0, []string{"1", "2", "3"}, false},
		{"other kind", EncodeCursor("r", "5"), "t", 1, nil, true},
		{"wrong count", EncodeCursor("", "1", "2", "3"), "", 2, nil, true},
		{"not base64", "!!!", "", 2, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := CursorFields(c.cursor, c.kind, c.n)
			if c.invalid {
				var verr *ValidationError
				if !errors.As(err, &verr) || verr.Fields["cursor"] == "" {
					t.Fatalf("err = %v, want a validation error naming cursor", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNextPage(t *testing.T) {
	key := func(n int) string { return strconv.Itoa(n) }
	for _, c := range []struct {
		name      string
		items     []int
		limit     int
		wantItems []int
		wantNext  string
	}{
		{"empty", nil, 3, nil, ""},
		{"short page", []int{1, 2}, 3, []int{1, 2}, ""},
		{"exactly full", []int{1, 2, 3}, 3, []int{1, 2, 3}, ""},
		{"one more", []int{1, 2, 3, 4}, 3, []int{1, 2, 3}, "3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			items, next := NextPage(c.items, c.limit, key)
			if diff := cmp.Diff(c.wantItems, items); diff != "" || next != c.wantNext {
				t.Fatalf("items (-want +got):\n%s\nnext %q, want %q", diff, next, c.wantNext)
			}
		})
	}
}

func TestListCursorsKeepTheirForm(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	c := Cursor{CreatedAt: at, ID: "abcDEF12"}
	got, err := DecodeCursor(c.Encode())
	if err != nil || got == nil || !got.CreatedAt.Equal(at) || got.ID != c.ID {
		t.Fatalf("round trip = %+v, %v", got, err)
	}
	s := SearchCursor{Tier: TierTitle, CreatedAt: at, ID: "abcDEF12"}
	gs, err := DecodeSearchCursor(s.Encode())
	if err != nil || gs == nil || gs.Tier != TierTitle || gs.ID != s.ID {
		t.Fatalf("search round trip = %+v, %v", gs, err)
	}
	// A list cursor read as a search cursor is tier 0 (search's contract).
	if gs, err := DecodeSearchCursor(c.Encode()); err != nil || gs.Tier != 0 || gs.ID != c.ID {
		t.Fatalf("list cursor as search cursor = %+v, %v", gs, err)
	}
}
