// Command a uses many golang.org/x/text packages, so that both stages download the module and compile the same packages at once.
package main

import (
	"fmt"

	"golang.org/x/text/cases"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/language"
	"golang.org/x/text/width"
)

func main() {
	fmt.Println("a", cases.Title(language.Dutch).String("ijssel"), language.German)
	fmt.Println(width.Widen.String("a"))
	fmt.Println(charmap.ISO8859_1 != nil)
}
