package paste

// SearchEngine finds pastes by words, language and author.
type SearchEngine interface{}
