package views

// Element IDs of the paste page's Share menu, named by its Copy buttons.
const (
	// ShareURLID is the paste's link in the Share menu.
	ShareURLID = "share-url"
	// EmbedCodeID is the iframe snippet in the Share menu.
	EmbedCodeID = "embed-code"
	// EmbedScriptID is the script snippet in the Share menu.
	EmbedScriptID = "embed-script"
)

// LinkPreview is what a paste page tells link previewers (OpenGraph and
// Twitter card tags) and oEmbed consumers (the discovery link). Handlers
// fill it only for pastes anyone with the link may read without consuming
// anything: public and unlisted, never private or burn-after-reading.
type LinkPreview struct {
	Title       string // the paste's title, or "Untitled paste"
	Description string // syntax, size and the first lines
	URL         string // the paste's absolute URL
	OEmbedURL   string // GET /oembed for the paste; "" leaves out the discovery link
	SiteName    string
}

// ShareMenu is the paste page's Share menu: the link, its QR code and, for
// embeddable pastes, the embed snippets.
type ShareMenu struct {
	URL        string // the paste's absolute URL
	QRURL      string // GET /{id}/qr.svg
	EmbedURL   string // GET /embed/{id}; "" when the paste may not be embedded
	EmbedHTML  string // the iframe snippet (shown as text)
	ScriptHTML string // the script-embed snippet (shown as text)
}

// EmbedView is a paste shown inside another site's page (GET /embed/{id}).
type EmbedView struct {
	Title        string
	URL          string // the paste's own page
	RawURL       string
	SyntaxLabel  string
	Size         int64
	Owner        string // "" when anonymous
	CodeHTML     string // trusted: the highlighter's escaped output
	MarkdownHTML string // trusted: sanitised markdown; non-empty shows it
	Binary       bool
	Truncated    bool   // CodeHTML holds only the start
	LinesShown   int    // with Truncated: how many lines CodeHTML holds
	Theme        string // "light", "dark" or "" (follow the reader's system)
	Missing      bool   // no such embeddable paste: say so inside the frame
	Assets       AssetURLs
}

// CLIView is the page about the command-line client (GET /cli).
type CLIView struct {
	BaseURL     string // this server's BASE_URL, for PASTEL_URL
	SettingsURL string // where personal tokens are made
}

func withPreview(p Page, lp *LinkPreview) Page {
	if lp != nil {
		p.Preview = lp
	}
	return p
}

// The CLI page's examples (in Go: templ folds the line breaks of literal
// text, even inside <pre>).
const (
	cliBuild = `make cli        # builds bin/pastel
# or: go build -o ~/.local/bin/pastel ./cmd/pastel`
	cliPaste = `pastel main.go                          # prints the link
make test 2>&1 | pastel -t "test log"     # standard input
pastel --syntax go --visibility unlisted --expires 1w main.go
pastel --burn secret.txt                  # read once, then gone`
	cliCommands = `pastel ls                # your pastes
pastel get ID > file     # the exact bytes (a link works as well as an ID)
pastel rm ID
pastel open ID           # in your browser
pastel --help`
)
