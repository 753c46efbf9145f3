# Two targets whose apt steps are byte-identical: BuildKit runs the step once, no race.
group "default" {
  targets = ["a", "b"]
}

target "a" {
  context = "a"
}

target "b" {
  context = "b"
}
