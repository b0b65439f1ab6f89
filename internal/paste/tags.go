package paste

import (
	"context"
	"slices"
	"strings"
)

// Tags (issue 15): a paste carries up to MaxTags lower-case labels, each
// matching TagPattern (a letter or digit, then up to 31 of letters,
// digits and . _ + # -), so a tag is safe in a URL, a query parameter and
// a page as it is. Lists by tag show publicly readable pastes only.

// MaxTags is how many tags one paste may carry.
const MaxTags = 10

// maxUserTags bounds the tag list of a user's page.
const maxUserTags = 20

// TagCount is a tag and how many pastes carry it.
type TagCount struct {
	Tag    string
	Pastes int64
}

// NormalizeTag lower-cases and trims one tag; "" when it is not a tag.
func NormalizeTag(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	if !TagPattern.MatchString(t) {
		return ""
	}
	return t
}

// SplitTags splits a form's tags field: tags separated by commas or
// white space.
func SplitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// checkTags normalises tags (lower case, duplicates dropped, sorted) and
// adds to verr under "tags" what is wrong with them.
func checkTags(tags []string, verr *ValidationError) []string {
	out := make([]string, 0, len(tags))
	for _, raw := range tags {
		t := strings.ToLower(strings.TrimSpace(raw))
		if !TagPattern.MatchString(t) {
			verr.Add("tags", "each tag must be 1 to 32 characters: a letter or digit, then letters, digits, or . _ + # -")
			return nil
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > MaxTags {
		verr.Add("tags", "must be at most "+itoa(MaxTags)+" tags")
		return nil
	}
	slices.Sort(out)
	return out
}

// ListByTag returns the publicly readable pastes carrying tag, newest
// first. A malformed tag is a validation error naming tag.
func (s *Service) ListByTag(ctx context.Context, tag, cursor string, limit int) (Page, error) {
	repo, err := s.community()
	if err != nil {
		return Page{}, err
	}
	t := NormalizeTag(tag)
	if t == "" {
		return Page{}, FieldError("tag", "is not a tag")
	}
	before, err := DecodeCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	limit = ClampLimit(limit)
	items, err := repo.ListByTag(ctx, DiscoveryQuery{Tag: t, Now: s.opts.Now(), Before: before, Limit: limit + 1})
	if err != nil {
		return Page{}, err
	}
	var page Page
	page.Items, page.NextCursor = NextPage(items, limit, func(last Paste) string {
		return Cursor{CreatedAt: last.CreatedAt, ID: last.ID}.Encode()
	})
	return page, nil
}

// UserTags returns the tags of a user's publicly readable pastes, most
// used first.
func (s *Service) UserTags(ctx context.Context, userID int64) ([]TagCount, error) {
	repo, err := s.community()
	if err != nil {
		return nil, err
	}
	return repo.UserTags(ctx, userID, s.opts.Now(), maxUserTags)
}
