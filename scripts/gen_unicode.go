//go:build ignore

// Prints, as JSON, where Go's strconv.IsPrint changes value over all code
// points, with the Go and Unicode versions it comes from. Run by
// scripts/gen_unicode.mjs, which encodes the result into lib/fmt/.
//
//	go run scripts/gen_unicode.go
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"unicode"
)

func main() {
	// flips[i] is the first code point of the i-th run: runs alternate,
	// starting with a non-printable one at U+0000.
	flips := []rune{}
	printable := false
	for r := rune(0); r <= unicode.MaxRune; r++ {
		p := strconv.IsPrint(r)
		// strconv's tables are generated from package unicode: they must agree.
		if p != unicode.IsPrint(r) {
			fmt.Fprintf(os.Stderr, "%U: strconv.IsPrint=%v, unicode.IsPrint=%v\n",
				r, p, unicode.IsPrint(r))
			os.Exit(1)
		}
		if p != printable {
			flips = append(flips, r)
			printable = p
		}
	}
	out := map[string]any{
		"go":      runtime.Version(),
		"unicode": unicode.Version,
		"maxRune": unicode.MaxRune,
		"flips":   flips,
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
