#!/bin/sh
# make-sdists.sh DIR N: N small pure-Python projects (mlpkg00 … ), each packed as an sdist in DIR.
set -eu
dir=$1; n=$2
work=$(mktemp -d)
mkdir -p "$dir"
i=0
while [ "$i" -lt "$n" ]; do
  name=$(printf 'mlpkg%02d' "$i")
  mkdir -p "$work/$name/$name"
  printf 'from setuptools import setup\nsetup(name="%s", version="1.0", packages=["%s"])\n' "$name" "$name" >"$work/$name/setup.py"
  j=0
  while [ "$j" -lt 30 ]; do
    printf 'def f%d(x):\n    return [x * k for k in range(%d)]\n' "$j" "$j" >>"$work/$name/$name/__init__.py"
    j=$((j + 1))
  done
  (cd "$work/$name" && python3 setup.py -q sdist -d "$dir" >/dev/null 2>&1)
  i=$((i + 1))
done
rm -rf "$work"
ls "$dir" | wc -l
