#!/usr/bin/env bash
# Whole-process wall and CPU seconds of fim-stats against the numpy script, back to back, best of N (see README.md here).
# Usage: bench/reference/compare.sh M N TOOL [OPENBLAS_DIR]
#   M            --width of the run (the other options are the issue-15 comparison's)
#   N            rounds; every round runs each configuration once, in turn, so load changes hit all of them alike
#   TOOL         the fimverify executable to time (the packed ReadyToRun tool, e.g. ./tool/fimverify)
#   OPENBLAS_DIR a folder with libopenblas.so.0 (default: the private unpack /tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread)
# Prints, per configuration, the best wall and the best CPU (user + system) seconds and every round's wall/CPU, then `uptime`.
set -u -o pipefail
m=$1; rounds=$2; tool=$3
ob=${4:-/tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread}
here=$(cd "$(dirname "$0")" && pwd)
args="--activation tanh --depth 3 --samples 100 --outputs 10 --sigma-w2 3 --sigma-b2 0.64 --trials 1 --width $m"
ref=/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3
labels=("fimverify, reference LAPACK" "fimverify, OpenBLAS's LAPACK" "numpy, OpenBLAS")
commands=("env FIMVERIFY_LAPACK=$ref $tool fim-stats --quiet $args"
          "env FIMVERIFY_LAPACK=$ob/libopenblas.so.0 $tool fim-stats --quiet $args"
          "env LD_LIBRARY_PATH=$ob /usr/bin/python3 $here/fim_stats_numpy.py $args")
declare -a runs best bestCpu
times=$(mktemp)
for ((r = 0; r < rounds; r++)); do
  for i in "${!commands[@]}"; do
    /usr/bin/time -o "$times" -f "%e %U %S" ${commands[$i]} > /dev/null 2>&1
    read -r wall user system < "$times"
    cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')
    runs[$i]="${runs[$i]:-} $wall/$cpu"
    best[$i]=$(awk -v a="${best[$i]:-1e9}" -v b="$wall" 'BEGIN { print (b < a) ? b : a }')
    bestCpu[$i]=$(awk -v a="${bestCpu[$i]:-1e9}" -v b="$cpu" 'BEGIN { print (b < a) ? b : a }')
  done
done
rm -f "$times"
for i in "${!commands[@]}"; do
  printf 'M = %s  %-30s best wall %s s, best CPU %s s  (wall/CPU each round:%s)\n' "$m" "${labels[$i]}" "${best[$i]}" "${bestCpu[$i]}" "${runs[$i]}"
done
uptime
