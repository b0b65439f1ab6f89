package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
)

// lifetimeType names what a refused expires_in should have been.
var lifetimeType = reflect.TypeFor[string]()

// lifetime is expires_in in JSON: a string ("1d", "90m", "5400") or a
// whole number of seconds (5400); either way the domain parses the text.
type lifetime string

// UnmarshalJSON implements json.Unmarshaler.
func (l *lifetime) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = lifetime(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	// A number: kept as written when it is a whole number, so that
	// ParseLifetime judges it like the string form; anything else (a
	// fraction, an object) is refused as the wrong type.
	if _, err := strconv.ParseUint(string(b), 10, 64); err != nil {
		// The field is named here: not every encoding/json release adds
		// it to an error an Unmarshaler returns.
		return &json.UnmarshalTypeError{Value: "number " + string(b), Type: lifetimeType, Field: "expires_in"}
	}
	*l = lifetime(b)
	return nil
}
