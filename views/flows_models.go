package views

const (
	// CreatedURLID is the new paste's link in the "Created" notice; its Copy
	// button's data-copy names it.
	CreatedURLID = "created-url"
	// DeleteTokenID is the anonymous creator's delete token in the notice.
	DeleteTokenID = "delete-token"
	// CommentsLinkID is the social bar's "N comments" link, which HTMX
	// comment answers update out of band.
	CommentsLinkID = "comments-link"
)

// CreatedNotice is what the creator of a paste sees once, right after
// creating it: the full link and, for an anonymous paste, how to delete it.
type CreatedNotice struct {
	URL string // the paste's absolute URL
	// DeleteToken is the anonymous creator's delete token ("" for a signed-in
	// creator, who deletes as the owner).
	DeleteToken string
	// APIDeleteURL is the API URL a script deletes the paste at.
	APIDeleteURL string
}
