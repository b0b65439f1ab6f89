// Command pastel is Pastel's command-line client: it pastes files or
// standard input and prints the link, and signs in, lists, gets, deletes
// and opens pastes through the JSON API (/api/v1).
//
//	pastel [flags] [FILE...]   paste (standard input without files)
//	pastel login | logout | ls | get ID | rm ID | open ID | help
//
// The server is --server, else PASTEL_URL, else the one last signed in to.
// The token is PASTEL_TOKEN, else the one `pastel login` stored in the
// user's configuration folder (os.UserConfigDir()/pastel/config.json,
// mode 0600).
//
// Exit codes: 0 done; 1 the server refused the request (400, 409, 413,
// 415, 422, 429); 2 wrong usage; 3 not signed in or not allowed (401,
// 403); 4 no such paste (404); 5 server unreachable or unavailable (5xx,
// network). Messages, including the server's own, go to standard error;
// standard output carries only results (links, listings, bytes).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, configDir: os.UserConfigDir, open: openBrowser,
		stdinIsTerminal: isTerminal(os.Stdin),
	})
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK          = 0
	exitRefused     = 1
	exitUsage       = 2
	exitAuth        = 3
	exitNotFound    = 4
	exitUnavailable = 5
)

// env is everything run needs from the process, so tests run the client
// in-process against a real server.
type env struct {
	stdin           io.Reader
	stdout, stderr  io.Writer
	getenv          func(string) string
	configDir       func() (string, error)
	open            func(url string) error
	stdinIsTerminal bool
}

// exitError carries an exit code and the message printed for it.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, args...) + " (see pastel --help)"}
}

// run is the whole client; it returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	err := dispatch(ctx, args, e)
	if err == nil {
		return exitOK
	}
	if xe, ok := err.(*exitError); ok {
		if xe.msg != "" {
			fmt.Fprintln(e.stderr, "pastel: "+xe.msg)
		}
		return xe.code
	}
	fmt.Fprintln(e.stderr, "pastel: "+err.Error())
	return exitRefused
}

func dispatch(ctx context.Context, args []string, e env) error {
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, usage)
		return nil
	case "login":
		return cmdLogin(ctx, args[1:], e)
	case "logout":
		return cmdLogout(args[1:], e)
	case "ls", "list":
		return cmdList(ctx, args[1:], e)
	case "get", "cat":
		return cmdGet(ctx, args[1:], e)
	case "rm", "delete":
		return cmdDelete(ctx, args[1:], e)
	case "open":
		return cmdOpen(ctx, args[1:], e)
	}
	return cmdPaste(ctx, args, e)
}

const usage = `pastel: paste from a shell to Pastel and print the link.

Usage:
  pastel [flags] [FILE...]     paste the files (one paste each) or standard input
  pastel login [--token T]     store a personal token (make one in Settings)
  pastel logout                forget the stored token
  pastel ls [--limit N]        list your pastes, newest first: ID, visibility, created (UTC), size, title
  pastel get ID                write a paste's exact bytes to standard output
                               (this is a read: a burn-after-reading paste is gone after it)
  pastel rm ID                 delete a paste (yours, or one this client made anonymously)
  pastel open ID               open a paste's page in the browser (reads nothing)
  pastel --help                this text

ID may also be a paste's link.

Flags for pasting:
  -t, --title TEXT          title (default: the file's name)
  -s, --syntax NAME         syntax such as go, python, markdown (default: detected)
  -v, --visibility V        public, unlisted or private (private needs login)
  -e, --expires WHEN        10m 1h 1d 1w 2w 1M 6M 1y never, a number of seconds
                            or a duration such as 90m (default: the server's)
  -b, --burn                burn after reading: gone after its first read
      --tag TAG             a tag (repeat for more)

Every command takes:
      --server URL          the Pastel server (default: $PASTEL_URL, else the last login's)

Environment:
  PASTEL_URL     the server, when --server is not given
  PASTEL_TOKEN   a personal token; overrides the stored one

Exit codes:
  0  done
  1  the server refused the request (invalid, too large, too many requests)
  2  wrong usage
  3  not signed in, or not allowed
  4  no such paste (or not yours to read)
  5  the server is unreachable or unavailable; try again later

Examples:
  pastel main.go
  make test 2>&1 | pastel -t "test log" --expires 1w
  pastel get Ab3dE6gH > copy.txt
`

// openBrowser opens u in the user's browser: $BROWSER when set, else the
// platform's opener.
func openBrowser(u string) error {
	var cmd *exec.Cmd
	if b := os.Getenv("BROWSER"); b != "" {
		cmd = exec.Command(b, u)
	} else {
		switch runtime.GOOS {
		case "darwin":
			cmd = exec.Command("open", u)
		case "windows":
			cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
		default:
			cmd = exec.Command("xdg-open", u)
		}
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() //nolint:errcheck // the browser outlives us; nothing to report
	return nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// splitFlags separates flags from positional arguments, so flags may
// come after file names (pastel main.go -t x), as people type them; "--"
// ends the flags.
func splitFlags(args []string, takesValue map[string]bool) (flags, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(rest, args[i+1:]...)
		case a == "-" || !strings.HasPrefix(a, "-"):
			rest = append(rest, a)
		default:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, rest
}
