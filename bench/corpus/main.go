// Command corpus prints text of realistic shape for benchmarks: Go-like
// source of exactly -bytes bytes, the same for the same size and seed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

var words = []string{
	"ctx", "err", "return", "nil", "func", "value", "request", "response", "handler", "server",
	"config", "user", "paste", "store", "query", "result", "buffer", "cache", "index", "token",
}

func main() {
	size := flag.Int("bytes", 4096, "how many bytes to print")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 0))
	w := bufio.NewWriter(os.Stdout)
	written := 0
	for n := 0; written < *size; n++ {
		var line string
		switch n % 6 {
		case 0:
			line = fmt.Sprintf("func %s%d(ctx context.Context, %s string) error {\n", words[r.IntN(len(words))], n, words[r.IntN(len(words))])
		case 5:
			line = "}\n\n"
		default:
			line = fmt.Sprintf("\tif %s, err := %s.%s(ctx, %q); err != nil { return fmt.Errorf(\"%s: %%w\", err) }\n",
				words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))])
		}
		if written+len(line) > *size {
			line = line[:*size-written]
		}
		n, _ := w.WriteString(line)
		written += n
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
