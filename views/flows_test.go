package views

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPasteFormFieldErrorsReadAsSentences: a field's error names the field
// ("Content must not be empty."), and a message that is already a sentence
// is shown as it is.
func TestPasteFormFieldErrorsReadAsSentences(t *testing.T) {
	f := PasteForm{Errors: map[string]string{
		"content":    "This paste is 12.3 MiB; the limit is 10 MiB.",
		"visibility": "must be public, unlisted or private",
		"title":      "must be at most 255 characters",
	}}
	doc, _ := render(t, PasteFormFragment(f))
	got := map[string]string{}
	for _, k := range []string{"content", "visibility", "title"} {
		got[k] = doc.Find(`[data-testid="error-` + k + `"]`).Text()
	}
	want := map[string]string{
		"content":    "This paste is 12.3 MiB; the limit is 10 MiB.",
		"visibility": "Visibility must be public, unlisted or private.",
		"title":      "Title must be at most 255 characters.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("field errors (-want +got):\n%s", diff)
	}
}
