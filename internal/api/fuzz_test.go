package api

import (
	"errors"
	"testing"

	"pastel/internal/paste"
)

// FuzzDecodeCreate: any request body either decodes or gives a client error
// (400 or 422), never a panic or an internal error.
func FuzzDecodeCreate(f *testing.F) {
	for _, s := range []string{`{"content":"x"}`, `{"content":1}`, `{"title":"a","content":"b","burn_after_reading":true}`, `{`, `[]`, `{"content":"x"} {}`, `{"colour":1}`, "\x00", `{"content":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req createRequest
		err := decodeJSON(body, &req)
		if err == nil {
			return
		}
		status, e := Status(err)
		var verr *paste.ValidationError
		if status != 400 && status != 422 {
			t.Fatalf("decode error %v maps to %d", err, status)
		}
		if status == 422 && (!errors.As(err, &verr) || len(e.Fields) == 0) {
			t.Fatalf("422 without fields: %v", err)
		}
	})
}
