#!/usr/bin/env bash
# Side-by-side wall-clock comparison of `evidence seal` (JVM start included, with the JVM flags of
# the `evidence` launcher) against `openssl dgst` on the same file, alternating runs so machine
# noise hits both alike.
# Prints each run, the medians and the ratios.
#
#   benchmarks/compare.sh FILE [RUNS] [SUITES]
#   e.g. benchmarks/compare.sh /tmp/big.bin 5 "sha256 sm3 sha256+sm3"
#
# The station's whole job, `evidence ingest`, against `cp` + `sync` and `evidence seal` alone, for
# one 1 GiB file and for 500 files of 2 MiB (benchmarks/ingest-compare.sh, which this runs):
#
#   benchmarks/compare.sh ingest [RUNS] [SUITE] [ENCRYPT]
#
# ENCRYPT is aes-256-gcm or sm4-gcm (default none); EVIDENCE_BASELINE=DIR (another checkout, its jar
# built) adds that build's ingest to each run, side by side.
set -euo pipefail
if [ "${1:-}" = ingest ]; then
  here="$(dirname "${BASH_SOURCE[0]}")"
  "$here/ingest-compare.sh" one "${2:-5}" "${3:-sha256+sm3}" "${4:-none}"
  "$here/ingest-compare.sh" many "${2:-5}" "${3:-sha256+sm3}" "${4:-none}"
  exit 0
fi
file="${1:?usage: compare.sh FILE [RUNS] [SUITES]}"
runs="${2:-5}"
suites="${3:-sha256 sm3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/evidence-cli/target/evidence.jar"
[ -f "$file" ] || { echo "compare.sh: no such file: $file" >&2; exit 2; }
"$root/evidence" --version >/dev/null   # builds the jar if needed
# shellcheck source=../scripts/jvm-flags.sh
. "$root/scripts/jvm-flags.sh"
EVIDENCE_ROOT="$root"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
size=$(stat -c %s "$file")
cat "$file" > /dev/null   # page cache

now() { date +%s.%N; }
time_cmd() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'; }
calc() { awk "BEGIN {print $1}"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

echo "file: $file ($size bytes), runs: $runs, $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for suite in $suites; do
  case "$suite" in
    sha256) ossl=(openssl dgst -sha256 "$file") ;;
    sm3) ossl=(openssl dgst -sm3 "$file") ;;
    sha256+sm3) ossl=(sh -c "openssl dgst -sha256 '$file' && openssl dgst -sm3 '$file'") ;;
    *) echo "unknown suite $suite" >&2; exit 2 ;;
  esac
  : > "$out/ev"; : > "$out/os"
  evidence_jvm_flags seal "$file" --suite "$suite"
  for i in $(seq "$runs"); do
    e=$(time_cmd java "${EVIDENCE_JVM_FLAGS[@]}" ${JAVA_OPTS:-} -jar "$jar" seal "$file" --suite "$suite" -o "$out/s.json" --force -q)
    o=$(time_cmd "${ossl[@]}")
    echo "$e" >> "$out/ev"; echo "$o" >> "$out/os"
    printf '  %-11s run %d: evidence %.3f s   openssl %.3f s\n' "$suite" "$i" "$e" "$o"
  done
  me=$(median < "$out/ev"); mo=$(median < "$out/os")
  printf '%-11s median: evidence %.3f s (%.0f MB/s)   openssl %.3f s (%.0f MB/s)   evidence is %.2fx faster\n' \
    "$suite" "$me" "$(calc "$size / $me / 1000000")" "$mo" "$(calc "$size / $mo / 1000000")" \
    "$(calc "$mo / $me")"
done
