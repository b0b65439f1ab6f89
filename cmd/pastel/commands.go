package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// newFlags returns a flag set that reports errors through run, not by
// printing usage itself; every command takes --server.
func newFlags(name string, server *string) *flag.FlagSet {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.StringVar(server, "server", "", "")
	return fset
}

// parseFlags parses args (flags may follow positional arguments) and
// returns the positional ones.
func parseFlags(fset *flag.FlagSet, args []string, e env) ([]string, bool, error) {
	takes := map[string]bool{}
	fset.VisitAll(func(f *flag.Flag) {
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
			takes[f.Name] = true
		}
	})
	flags, rest := splitFlags(args, takes)
	if err := fset.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, usage)
			return nil, true, nil
		}
		return nil, false, usageError("%v", err)
	}
	return append(fset.Args(), rest...), false, nil
}

// session is the server, token and config one command works with.
type session struct {
	cfg    config
	server string
	client *client
}

func openSession(serverFlag string, e env) (*session, error) {
	cfg, err := loadConfig(e)
	if err != nil {
		return nil, err
	}
	server, err := serverFrom(serverFlag, e, cfg)
	if err != nil {
		return nil, err
	}
	return &session{cfg: cfg, server: server, client: newClient(server, tokenFor(server, e, cfg))}, nil
}

// cmdPaste pastes each file (or standard input) and prints one link per
// line, stopping at the first failure.
func cmdPaste(ctx context.Context, args []string, e env) error {
	var server, title, syntax, visibility, expires string
	var burn bool
	var tags stringList
	fset := newFlags("pastel", &server)
	for _, n := range []string{"title", "t"} {
		fset.StringVar(&title, n, "", "")
	}
	for _, n := range []string{"syntax", "s"} {
		fset.StringVar(&syntax, n, "", "")
	}
	for _, n := range []string{"visibility", "v"} {
		fset.StringVar(&visibility, n, "", "")
	}
	for _, n := range []string{"expires", "e", "expires-in"} {
		fset.StringVar(&expires, n, "", "")
	}
	for _, n := range []string{"burn", "b"} {
		fset.BoolVar(&burn, n, false, "")
	}
	fset.Var(&tags, "tag", "")
	files, help, err := parseFlags(fset, args, e)
	if err != nil || help {
		return err
	}
	switch visibility {
	case "", "public", "unlisted", "private":
	default:
		return usageError("--visibility %q: want public, unlisted or private", visibility)
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	s, err := openSession(server, e)
	if err != nil {
		return err
	}
	for _, name := range files {
		in := createRequest{title: title, syntax: syntax, visibility: visibility, expires: expires, burn: burn, tags: tags}
		var body io.Reader
		if name == "-" {
			if e.stdinIsTerminal {
				fmt.Fprintln(e.stderr, "pastel: reading standard input; end it with Ctrl-D (pastel --help for more)")
			}
			body = e.stdin
		} else {
			f, err := os.Open(name)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return usageError("%s: no such file (commands are login, logout, ls, get, rm, open)", name)
				}
				return usageError("%v", err)
			}
			if st, err := f.Stat(); err == nil && st.IsDir() {
				f.Close()
				return usageError("%s is a folder: name its files", name)
			}
			in.filename = filepath.Base(name)
			if in.title == "" {
				in.title = in.filename
			}
			body = f
			defer f.Close()
		}
		p, err := s.create(ctx, in, body)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, p.URL)
		if p.DeleteToken != "" {
			if s.cfg.DeleteTokens == nil {
				s.cfg.DeleteTokens = map[string]string{}
			}
			s.cfg.DeleteTokens[s.server+"/"+p.ID] = p.DeleteToken
			if err := saveConfig(e, s.cfg); err != nil {
				fmt.Fprintf(e.stderr, "pastel: could not keep the delete token of %s (%v): keep it yourself: %s\n", p.ID, err, p.DeleteToken)
			}
		}
	}
	return nil
}

type createRequest struct {
	title, syntax, visibility, expires, filename string
	burn                                         bool
	tags                                         []string
}

// create sends one paste: the body streamed as the raw body of the
// request, with the options (tags comma-separated) as query parameters.
func (s *session) create(ctx context.Context, in createRequest, body io.Reader) (pasteJSON, error) {
	q := url.Values{}
	for k, v := range map[string]string{"title": in.title, "syntax": in.syntax, "visibility": in.visibility, "expires_in": in.expires, "filename": in.filename} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if in.burn {
		q.Set("burn_after_reading", "true")
	}
	if len(in.tags) > 0 {
		q.Set("tags", strings.Join(in.tags, ","))
	}
	path := "/api/v1/pastes"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	resp, err := s.client.do(ctx, http.MethodPost, path, body, http.Header{"Content-Type": {"application/octet-stream"}})
	if err != nil {
		return pasteJSON{}, err
	}
	defer resp.Body.Close()
	var p pasteJSON
	return p, decode(resp, &p)
}

// cmdLogin stores a personal token for the server after checking it.
func cmdLogin(ctx context.Context, args []string, e env) error {
	var server, token string
	fset := newFlags("login", &server)
	fset.StringVar(&token, "token", "", "")
	rest, help, err := parseFlags(fset, args, e)
	if err != nil || help {
		return err
	}
	if len(rest) > 0 {
		return usageError("login takes no arguments")
	}
	cfg, err := loadConfig(e)
	if err != nil {
		return err
	}
	if server, err = serverFrom(server, e, cfg); err != nil {
		return err
	}
	if token == "" {
		if token, err = readToken(server, e); err != nil {
			return err
		}
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return usageError("no token given")
	}
	var me struct {
		Username string `json:"username"`
	}
	if err := newClient(server, token).getJSON(ctx, "/api/v1/me", &me); err != nil {
		return err
	}
	cfg.Server = server
	if cfg.Tokens == nil {
		cfg.Tokens = map[string]string{}
	}
	cfg.Tokens[server] = token
	if err := saveConfig(e, cfg); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "pastel: signed in to %s as %s\n", server, me.Username)
	return nil
}

// readToken asks for the token on a terminal (without echoing it), or
// reads the first line of standard input (echo "$T" | pastel login).
func readToken(server string, e env) (string, error) {
	if e.stdinIsTerminal {
		fmt.Fprintf(e.stderr, "Make a personal token at %s/settings and paste it here: ", server)
		if f, ok := e.stdin.(*os.File); ok {
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(e.stderr)
			return string(b), err
		}
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return line, nil
}

func cmdLogout(args []string, e env) error {
	var server string
	fset := newFlags("logout", &server)
	if _, help, err := parseFlags(fset, args, e); err != nil || help {
		return err
	}
	cfg, err := loadConfig(e)
	if err != nil {
		return err
	}
	if server, err = serverFrom(server, e, cfg); err != nil {
		return err
	}
	delete(cfg.Tokens, server)
	if err := saveConfig(e, cfg); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "pastel: signed out of %s\n", server)
	return nil
}

// cmdList prints the signed-in user's pastes, newest first, one a line:
// ID, visibility, created (UTC), size, title.
func cmdList(ctx context.Context, args []string, e env) error {
	var server string
	var limit int
	fset := newFlags("ls", &server)
	fset.IntVar(&limit, "limit", 50, "")
	fset.IntVar(&limit, "n", 50, "")
	rest, help, err := parseFlags(fset, args, e)
	if err != nil || help {
		return err
	}
	if len(rest) > 0 {
		return usageError("ls takes no arguments")
	}
	if limit <= 0 {
		return usageError("--limit must be positive")
	}
	s, err := openSession(server, e)
	if err != nil {
		return err
	}
	if s.client.token == "" {
		return &exitError{code: exitAuth, msg: "not signed in: run pastel login, or set PASTEL_TOKEN"}
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	cursor, n := "", 0
	for n < limit {
		q := url.Values{"owner": {"me"}, "limit": {strconv.Itoa(min(limit-n, 100))}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page struct {
			Items      []pasteJSON `json:"items"`
			NextCursor *string     `json:"next_cursor"`
		}
		if err := s.client.getJSON(ctx, "/api/v1/pastes?"+q.Encode(), &page); err != nil {
			return err
		}
		for _, p := range page.Items {
			title := p.Title
			if title == "" {
				title = "(untitled)"
			}
			vis := p.Visibility
			if p.BurnAfterReading {
				vis += ",burn"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", p.ID, vis, p.CreatedAt.UTC().Format("2006-01-02 15:04"), p.Size, strings.Map(printable, title))
			n++
		}
		if page.NextCursor == nil || *page.NextCursor == "" || len(page.Items) == 0 {
			break
		}
		cursor = *page.NextCursor
	}
	return tw.Flush()
}

// printable keeps a title from moving the terminal's cursor or colours.
func printable(r rune) rune {
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
		return ' '
	}
	return r
}

// cmdGet writes a paste's exact bytes to standard output. A burn paste is
// consumed by it, as by any read.
func cmdGet(ctx context.Context, args []string, e env) error {
	var server string
	fset := newFlags("get", &server)
	rest, help, err := parseFlags(fset, args, e)
	if err != nil || help {
		return err
	}
	if len(rest) != 1 {
		return usageError("get takes one paste ID")
	}
	id, err := pasteID(rest[0])
	if err != nil {
		return err
	}
	s, err := openSession(server, e)
	if err != nil {
		return err
	}
	var p pasteJSON
	if err := s.client.getJSON(ctx, "/api/v1/pastes/"+id, &p); err != nil {
		return err
	}
	if p.Content == nil {
		return &exitError{code: exitUnavailable, msg: "the server sent no content"}
	}
	b := []byte(*p.Content)
	if p.ContentEncoding == "base64" {
		if b, err = base64.StdEncoding.DecodeString(*p.Content); err != nil {
			return &exitError{code: exitUnavailable, msg: "unexpected answer from the server: " + err.Error()}
		}
	}
	_, err = e.stdout.Write(b)
	return err
}

// cmdDelete deletes a paste: the signed-in user's, or one this client
// made anonymously (with the delete token it kept).
func cmdDelete(ctx context.Context, args []string, e env) error {
	var server string
	fset := newFlags("rm", &server)
	rest, help, err := parseFlags(fset, args, e)
	if err != nil || help {
		return err
	}
	if len(rest) == 0 {
		return usageError("rm takes paste IDs")
	}
	s, err := openSession(server, e)
	if err != nil {
		return err
	}
	for _, arg := range rest {
		id, err := pasteID(arg)
		if err != nil {
			return err
		}
		h := http.Header{}
		key := s.server + "/" + id
		if tok := s.cfg.DeleteTokens[key]; tok != "" {
			h.Set("X-Delete-Token", tok)
		}
		resp, err := s.client.do(ctx, http.MethodDelete, "/api/v1/pastes/"+id, nil, h)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if _, ok := s.cfg.DeleteTokens[key]; ok {
			delete(s.cfg.DeleteTokens, key)
			if err := saveConfig(e, s.cfg); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stderr, "pastel: deleted %s\n", id)
	}
	return nil
}

// cmdOpen opens a paste's page in the browser and prints its link. It
// reads nothing, so a burn paste is not consumed: its page asks first.
func cmdOpen(_ context.Context, args []string, e env) error {
	var server string
	fset := newFlags("open", &server)
	rest, help, err := parseFlags(fset, args, e)
	if err != nil || help {
		return err
	}
	if len(rest) != 1 {
		return usageError("open takes one paste ID")
	}
	id, err := pasteID(rest[0])
	if err != nil {
		return err
	}
	s, err := openSession(server, e)
	if err != nil {
		return err
	}
	link := s.server + "/" + id
	fmt.Fprintln(e.stdout, link)
	if err := e.open(link); err != nil {
		return &exitError{code: exitRefused, msg: "could not open a browser: " + err.Error()}
	}
	return nil
}
