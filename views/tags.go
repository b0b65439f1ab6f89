package views

import (
	"net/url"
	"strconv"
)

// TagURL is the explore page of one tag's public pastes.
func TagURL(tag string) string {
	return "/explore?" + url.Values{"tag": {tag}}.Encode()
}

// tagNextHref is the next page of one tag's pastes; "" without a cursor.
func tagNextHref(tag, cursor string) string {
	if cursor == "" {
		return ""
	}
	return "?" + url.Values{"tag": {tag}, "cursor": {cursor}}.Encode()
}

// forksLabel says how many forks a paste has.
func forksLabel(n int64) string {
	if n == 1 {
		return "1 fork"
	}
	return strconv.FormatInt(n, 10) + " forks"
}
