module example.com/e2e

go 1.19

require golang.org/x/text v0.7.0
