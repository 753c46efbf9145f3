# Two images built together; each Dockerfile is clean alone.
group "default" {
  targets = ["api", "worker"]
}

target "api" {
  context = "api"
}

target "worker" {
  context = "worker"
}
