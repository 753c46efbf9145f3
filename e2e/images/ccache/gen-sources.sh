#!/bin/sh
# gen-sources.sh DIR N: N C files, each with enough functions to keep the compiler busy for a moment at -O2.
set -eu
dir=$1; n=$2
mkdir -p "$dir"
i=0
while [ "$i" -lt "$n" ]; do
  f="$dir/unit$i.c"
  : >"$f"
  j=0
  while [ "$j" -lt 40 ]; do
    cat >>"$f" <<C
static unsigned long mix${j}(unsigned long x) { for (int k = 0; k < 64; k++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x += $i * $j + k; } return x; }
unsigned long unit${i}_f${j}(const unsigned long *v, int n) { unsigned long s = 0; for (int k = 0; k < n; k++) s += mix${j}(v[k] + $j); return s; }
C
    j=$((j + 1))
  done
  i=$((i + 1))
done
