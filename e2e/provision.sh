#!/usr/bin/env bash
# Provisions the two real engines the end-to-end suite runs on, on a Debian 12
# machine as root, from Debian's packages only (see ../shared/spec/observed-buildkit.md):
#   - Docker 20.10 (Debian 12's docker.io), its own BuildKit, on /var/run/docker.sock;
#   - Docker 26.1 + buildx (Debian 13's packages, unpacked beside the system engine),
#     with its own data root and socket /var/run/docker26.sock, using the system runc;
#   - the base image debian:bookworm-20230919, made with debootstrap from the
#     machine's configured Debian mirror, imported into both engines.
# Idempotent: what is already running or present is reused. Prints the env to use.
# The machine's own Docker setup is left alone: the CLI configuration each engine
# is driven with (DOCKER_CONFIG; buildx is a plugin there) lives under $STATE.
set -euo pipefail

STATE=${MOUNTLINT_E2E_STATE:-/var/lib/mountlint-e2e}
CACHE=${MOUNTLINT_E2E_CACHE:-/var/cache/mountlint}
PREFIX=$STATE/docker26
IMAGE=debian:bookworm-20230919
LOG=$STATE/logs
mkdir -p "$STATE" "$CACHE" "$LOG"

START=$SECONDS
say() { printf '[provision %3ds] %s\n' "$((SECONDS - START))" "$*" >&2; }

mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | head -1 | awk '{print $2}')
  [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | head -1 | awk '{print $2}')
  [ -n "$uri" ] || { say "no Debian mirror found in /etc/apt"; exit 1; }
  printf '%s' "$uri"
}

wait_for_socket() {
  local sock=$1 log=$2
  for _ in $(seq 1 120); do
    if curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  say "engine on $sock did not start; the end of $log:"
  tail -n 15 "$log" >&2 || true
  exit 1
}

# Downloads packages of another Debian suite from the machine's mirror, with an apt
# state of their own (the system's sources and lists stay as they are), and unpacks
# them into a folder without installing them.
unpack_from_suite() {
  local suite=$1 dest=$2 aptdir=$STATE/apt-$1 debs deb
  shift 2
  # One download folder per destination: two prefixes from one suite must not mix their packages.
  debs=$aptdir/debs-$(basename "$dest")
  mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
  rm -rf "$debs" && mkdir -p "$debs"
  printf 'deb %s %s main\n' "$(mirror)" "$suite" >"$aptdir/sources.list"
  local aptopts=(-o Dir::Etc::SourceList="$aptdir/sources.list" -o Dir::Etc::SourceParts=/dev/null
                 -o Dir::State::Lists="$aptdir/lists" -o Dir::Cache="$aptdir/cache" -o APT::Sandbox::User=root)
  apt-get "${aptopts[@]}" update -qq
  (cd "$debs" && apt-get "${aptopts[@]}" download "$@" >/dev/null)
  rm -rf "$dest" && mkdir -p "$dest"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$dest"; done
}

# An engine whose socket does not answer may have left pid files behind (the machine
# was stopped, not the daemons). dockerd trusts containerd.pid: when that number now
# belongs to another process it waits for a containerd that never comes and gives up.
# Stop what is really ours and still running, and remove the rest.
clear_stale() {
  local pidfile=$1 exec_root=$2 sock=$3 f pid comm
  for f in "$pidfile" "$exec_root/containerd/containerd.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
    if [ -n "$pid" ] && { [ "$comm" = dockerd ] || [ "$comm" = containerd ]; }; then
      say "stopping a stale $comm ($pid) from $f"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  rm -f "$sock"
}

# An engine with the containerd image store (the docker driver refuses multi-platform
# builds without it) and the builder's network-host entitlement, driven by buildx 0.29
# and Compose 2.40 from Debian sid: NAME (its socket, state and CLI configuration),
# the unpacked PREFIX whose dockerd it runs, and a title for the log.
containerd_store_engine() {
  local name=$1 prefix=$2 title=$3
  mkdir -p "$STATE/config/$name/cli-plugins"
  ln -sfn "$SID/usr/libexec/docker/cli-plugins/docker-buildx" "$STATE/config/$name/cli-plugins/docker-buildx"
  ln -sfn "$SID/usr/libexec/docker/cli-plugins/docker-compose" "$STATE/config/$name/cli-plugins/docker-compose"
  cat >"$STATE/daemon-$name.json" <<'DAEMON'
{ "features": { "containerd-snapshotter": true }, "builder": { "entitlements": { "network-host": true } } }
DAEMON
  if ! curl -fsS --unix-socket "/var/run/$name.sock" http://localhost/_ping >/dev/null 2>&1; then
    say "starting $title (containerd image store)"
    clear_stale "/var/run/$name.pid" "/var/run/$name" "/var/run/$name.sock"
    PATH="$prefix/usr/bin:$prefix/usr/sbin:$PATH" nohup "$prefix/usr/sbin/dockerd" --config-file "$STATE/daemon-$name.json" \
      --iptables=false --bridge=none --data-root "/var/lib/$name" --exec-root "/var/run/$name" \
      --pidfile "/var/run/$name.pid" -H "unix:///var/run/$name.sock" >"$LOG/dockerd-$name.log" 2>&1 &
    wait_for_socket "/var/run/$name.sock" "$LOG/dockerd-$name.log"
  fi
}

# --- packages -------------------------------------------------------------
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >"$LOG/apt-install.log"
fi

# --- Docker 20.10 ------------------------------------------------------------
if ! curl -fsS --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
  say "starting Docker 20.10"
  clear_stale /var/run/docker.pid /var/run/docker /var/run/docker.sock
  nohup dockerd --iptables=false --bridge=none >"$LOG/dockerd20.log" 2>&1 &
  wait_for_socket /var/run/docker.sock "$LOG/dockerd20.log"
fi

# --- Docker 26.1 + buildx, unpacked from Debian 13's packages -------------------
if [ ! -x "$PREFIX/usr/sbin/dockerd" ]; then
  say "fetching Docker 26 packages from the trixie suite of $(mirror)"
  unpack_from_suite trixie "$PREFIX" docker.io docker-cli docker-buildx containerd
  # Debian 13's runc needs glibc 2.38: keep it off the path so the system runc is used.
  rm -f "$PREFIX/usr/bin/runc" "$PREFIX/usr/sbin/runc"
fi
# The CLI configurations the suite passes explicitly: one without plugins for the
# classic builder of Docker 20.10, one with Docker 26's buildx.
mkdir -p "$STATE/config/docker20" "$STATE/config/docker26/cli-plugins"
ln -sfn "$PREFIX/usr/libexec/docker/cli-plugins/docker-buildx" "$STATE/config/docker26/cli-plugins/docker-buildx"
# Earlier versions of this script linked buildx into root's own CLI plugins, which made
# every plain `docker build` on the machine go through it: undo that link (only ours).
if [ "$(readlink /root/.docker/cli-plugins/docker-buildx 2>/dev/null)" = "$PREFIX/usr/libexec/docker/cli-plugins/docker-buildx" ]; then
  say "removing the buildx link an earlier provision.sh left in /root/.docker/cli-plugins"
  rm -f /root/.docker/cli-plugins/docker-buildx
fi
if ! curl -fsS --unix-socket /var/run/docker26.sock http://localhost/_ping >/dev/null 2>&1; then
  say "starting Docker 26"
  clear_stale /var/run/docker26.pid /var/run/docker26 /var/run/docker26.sock
  PATH="$PREFIX/usr/bin:$PREFIX/usr/sbin:$PATH" nohup "$PREFIX/usr/sbin/dockerd" --iptables=false --bridge=none \
    --data-root /var/lib/docker26 --exec-root /var/run/docker26 --pidfile /var/run/docker26.pid \
    -H unix:///var/run/docker26.sock >"$LOG/dockerd26.log" 2>&1 &
  wait_for_socket /var/run/docker26.sock "$LOG/dockerd26.log"
fi

# --- Docker 26.1 for bake and multi-platform builds -------------------------------
# The same Docker 26 binaries in a daemon of its own with the containerd image store
# (the docker driver refuses multi-platform builds without it) and the builder's
# network-host entitlement, driven by buildx 0.29 and Compose 2.40 from Debian sid:
# buildx 0.13 has no bake `network`, `--allow` or entitlements, so a bake target could
# not run `RUN --network=host` (this sandbox's engines have no bridge network).
SID=$STATE/sid
if [ ! -x "$SID/usr/libexec/docker/cli-plugins/docker-buildx" ]; then
  say "fetching buildx and Compose from the sid suite of $(mirror)"
  unpack_from_suite sid "$SID" docker-buildx docker-compose
fi
containerd_store_engine docker26b "$PREFIX" "Docker 26 for bake"

# --- Docker 28.5, unpacked from Debian sid's packages ------------------------------
# Today's engine (Docker 28.5 with containerd 2.1 and buildx 0.29): its own daemon with
# the containerd image store (multi-platform builds) and the network-host entitlement,
# started from the unpacked packages with the system's runc (sid's needs a newer glibc).
# Every e2e kind runs on it, and it serves bake and multi-platform builds in place of
# the Docker 26 daemon above (that one stays for MOUNTLINT_E2E_BAKE26=1).
D28=$STATE/docker28
if [ ! -x "$D28/usr/sbin/dockerd" ] || [ ! -x "$D28/usr/bin/containerd" ]; then
  say "fetching Docker 28 packages from the sid suite of $(mirror)"
  unpack_from_suite sid "$D28" docker.io docker-cli containerd
  rm -f "$D28/usr/bin/runc" "$D28/usr/sbin/runc"
fi
containerd_store_engine docker28 "$D28" "Docker 28"

# --- base image ----------------------------------------------------------------
ROOTFS_TAR=$CACHE/debian-bookworm-rootfs.tar.gz
if [ ! -s "$ROOTFS_TAR" ]; then
  say "building $IMAGE with debootstrap (about 30 s)"
  ROOTFS=$STATE/rootfs
  rm -rf "$ROOTFS"
  debootstrap --variant=minbase bookworm "$ROOTFS" "$(mirror)" >"$LOG/debootstrap.log"
  # Look like the official image: the docker-clean hook, no lists, no debs.
  cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/archives/*.deb
  tar -C "$ROOTFS" -c . | gzip -1 >"$ROOTFS_TAR.tmp" && mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$ROOTFS"
fi
if ! /usr/bin/docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "importing $IMAGE into Docker 20.10"
  zcat "$ROOTFS_TAR" | /usr/bin/docker import - "$IMAGE" >/dev/null
fi
if ! DOCKER_HOST=unix:///var/run/docker26.sock "$PREFIX/usr/bin/docker" image inspect "$IMAGE" >/dev/null 2>&1; then
  say "importing $IMAGE into Docker 26"
  zcat "$ROOTFS_TAR" | DOCKER_HOST=unix:///var/run/docker26.sock "$PREFIX/usr/bin/docker" import - "$IMAGE" >/dev/null
fi

if ! DOCKER_HOST=unix:///var/run/docker26b.sock "$PREFIX/usr/bin/docker" image inspect "$IMAGE" >/dev/null 2>&1; then
  say "importing $IMAGE into Docker 26 for bake"
  zcat "$ROOTFS_TAR" | DOCKER_HOST=unix:///var/run/docker26b.sock "$PREFIX/usr/bin/docker" import - "$IMAGE" >/dev/null
fi
if ! DOCKER_HOST=unix:///var/run/docker28.sock "$D28/usr/bin/docker" image inspect "$IMAGE" >/dev/null 2>&1; then
  say "importing $IMAGE into Docker 28"
  zcat "$ROOTFS_TAR" | DOCKER_HOST=unix:///var/run/docker28.sock "$D28/usr/bin/docker" import - "$IMAGE" >/dev/null
fi

# What the suite needs to reach each engine.
say "engines ready"
printf 'DOCKER20_BIN=/usr/bin/docker\nDOCKER20_HOST=unix:///var/run/docker.sock\nDOCKER20_CONFIG=%s\n' "$STATE/config/docker20"
printf 'DOCKER26_BIN=%s\nDOCKER26_HOST=unix:///var/run/docker26.sock\nDOCKER26_CONFIG=%s\n' "$PREFIX/usr/bin/docker" "$STATE/config/docker26"
printf 'DOCKER26B_BIN=%s\nDOCKER26B_HOST=unix:///var/run/docker26b.sock\nDOCKER26B_CONFIG=%s\n' "$PREFIX/usr/bin/docker" "$STATE/config/docker26b"
printf 'DOCKER28_BIN=%s\nDOCKER28_HOST=unix:///var/run/docker28.sock\nDOCKER28_CONFIG=%s\n' "$D28/usr/bin/docker" "$STATE/config/docker28"
