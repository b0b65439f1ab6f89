package paste

// CommunityRepository keeps comments, stars, votes and view counts.
type CommunityRepository interface{}
