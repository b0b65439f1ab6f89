package search_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"pastel/internal/paste"
	"pastel/internal/search"
)

type bodySink struct{ bodies map[paste.ID]string }

func (s *bodySink) PasteIDsAfter(_ context.Context, after paste.ID, _ int) ([]paste.ID, error) {
	if after == "" {
		return []paste.ID{"AAAAAAAA", "BBBBBBBB"}, nil
	}
	return nil, nil
}

func (s *bodySink) SetSearchBody(_ context.Context, id paste.ID, text string) error {
	s.bodies[id] = text
	return nil
}

type rows struct{ paste.Repository }

func (rows) PasteByID(_ context.Context, id paste.ID) (paste.Paste, error) {
	return paste.Paste{ID: id, BlobKey: string(id), Encrypted: id == "BBBBBBBB"}, nil
}

type bodies struct{ paste.Blobs }

func (bodies) Open(_ context.Context, key string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("body of " + key)), nil
}

// Rebuilding the search bodies gives an encrypted paste none: its body is
// ciphertext, never read for the index.
func TestRebuildBodiesSkipsEncrypted(t *testing.T) {
	sink := &bodySink{bodies: map[paste.ID]string{}}
	n, err := search.RebuildBodies(context.Background(), sink, rows{}, bodies{})
	if err != nil || n != 2 {
		t.Fatalf("rebuilt %d: %v", n, err)
	}
	if sink.bodies["AAAAAAAA"] != "body of AAAAAAAA" || sink.bodies["BBBBBBBB"] != "" {
		t.Errorf("bodies: %q", sink.bodies)
	}
}
