#!/bin/sh
# make-registry.sh DIR N: a cargo registry in DIR/index (a git repository, as crates.io's index was)
# whose N crates mlc00 … (no dependencies, a little code each) download from DIR/crates, and a
# git dependency in DIR/gitdep.
set -eu
dir=$1; n=$2
work=$(mktemp -d)
mkdir -p "$dir/index" "$dir/crates"
printf '{"dl":"file://%s/crates/{crate}-{version}.crate"}\n' "$dir" >"$dir/index/config.json"
i=0
while [ "$i" -lt "$n" ]; do
  name=$(printf 'mlc%02d' "$i")
  pkg="$work/$name-1.0.0"
  mkdir -p "$pkg/src"
  printf '[package]\nname = "%s"\nversion = "1.0.0"\nedition = "2018"\n' "$name" >"$pkg/Cargo.toml"
  j=0
  while [ "$j" -lt 30 ]; do
    printf 'pub fn f%d(v: &[u64]) -> u64 { v.iter().map(|x| x.wrapping_mul(%d).rotate_left(%d)).sum() }\n' "$j" "$((i + j + 1))" "$((j % 13))" >>"$pkg/src/lib.rs"
    j=$((j + 1))
  done
  tar -C "$work" -czf "$dir/crates/$name-1.0.0.crate" "$name-1.0.0"
  sum=$(sha256sum "$dir/crates/$name-1.0.0.crate" | cut -d' ' -f1)
  # Index path of a name of 4+ characters: first two / next two / name.
  path="$dir/index/$(echo "$name" | cut -c1-2)/$(echo "$name" | cut -c3-4)/$name"
  mkdir -p "$(dirname "$path")"
  printf '{"name":"%s","vers":"1.0.0","deps":[],"cksum":"%s","features":{},"yanked":false}\n' "$name" "$sum" >"$path"
  i=$((i + 1))
done
git -C "$dir/index" init -q && git -C "$dir/index" add -A \
  && git -C "$dir/index" -c user.name=e2e -c user.email=e2e@localhost commit -qm index
mkdir -p "$dir/gitdep/src"
printf '[package]\nname = "gitdep"\nversion = "0.1.0"\nedition = "2018"\n' >"$dir/gitdep/Cargo.toml"
printf 'pub fn answer() -> u64 { 42 }\n' >"$dir/gitdep/src/lib.rs"
git -C "$dir/gitdep" init -q && git -C "$dir/gitdep" add -A \
  && git -C "$dir/gitdep" -c user.name=e2e -c user.email=e2e@localhost commit -qm gitdep
rm -rf "$work"
