// Package render turns paste bodies into HTML: syntax-highlighted code with
// linkable line numbers (Highlighter), sanitised Markdown (Markdown), the
// list of known syntaxes (Syntaxes, which implements paste.Syntaxes) and a
// byte-bounded LRU of rendered output (Cache).
//
// Everything this package emits is safe to place in a page served under a
// strict Content-Security-Policy: user content is always escaped or
// sanitised, and highlighting uses CSS classes only (see CSS), never inline
// styles or scripts.
//
// Work is bounded whatever the input: highlighting tokenises at most
// HighlightOptions.MaxHighlightBytes, display stops at MaxDisplayBytes and
// MaxLines, content detection looks at a prefix only, and Markdown refuses
// inputs above MaxMarkdownBytes.
package render
