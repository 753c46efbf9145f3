// Command b uses many golang.org/x/text packages, so that both stages download the module and compile the same packages at once.
package main

import (
	"fmt"

	"golang.org/x/text/cases"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

func main() {
	p := message.NewPrinter(language.German)
	p.Println("b", number.Decimal(1234.5), cases.Title(language.Dutch).String("ijssel"))
	fmt.Println(norm.NFC.String("é"), width.Widen.String("a"))
	fmt.Println(charmap.ISO8859_1 != nil, japanese.ShiftJIS != nil)
}
