#!/usr/bin/env bash
# Side-by-side wall clock of `evidence ingest` of one file into an S3 store (issue 25): two builds
# of the CLI, runs alternated so machine noise hits both alike, JVM start included, the bucket
# emptied after every run. Needs S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY (eval "$(scripts/rgw-start.sh)").
#
#   benchmarks/s3-ingest-compare.sh BEFORE.jar AFTER.jar [RUNS] [MIB] [SUITE]
set -euo pipefail
before="${1:?usage: s3-ingest-compare.sh BEFORE.jar AFTER.jar [RUNS] [MIB] [SUITE]}"
after="${2:?usage: s3-ingest-compare.sh BEFORE.jar AFTER.jar [RUNS] [MIB] [SUITE]}"
runs="${3:-5}"
mib="${4:-256}"
suite="${5:-sha256+sm3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${EVIDENCE_BENCH_DIR:-$root/benchmarks/target/s3-ingest-bench}"
rm -rf "$work"; mkdir -p "$work/in" "$work/cls"
trap 'rm -rf "$work"' EXIT
head -c $((mib * 1024 * 1024)) /dev/urandom > "$work/in/DEVCAM7_20230601_141000_001.bin"
cat "$work/in"/* > /dev/null   # page cache
javac -nowarn -cp "$after" -d "$work/cls" "$root/benchmarks/scripts/S3Bucket.java" 2>/dev/null
bucket="evidencekit-bench-$(date +%s)"
helper() { java -cp "$after:$work/cls" S3Bucket "$@" 2>/dev/null; }
helper create "$bucket"
export AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY"
flags=(-XX:+UseSerialGC -XX:-UsePerfData)
java --add-modules jdk.incubator.vector -version >/dev/null 2>&1 && flags+=(--add-modules jdk.incubator.vector)
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {print b - a}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
echo "one file of $mib MiB into $S3_ENDPOINT, suite $suite, runs: $runs, $(nproc) cores, $(java -version 2>&1 | head -1)"
: > "$work/before"; : > "$work/after"
one() { # JAR PREFIX -> seconds
  local t0; t0=$(now)
  java "${flags[@]}" -jar "$1" ingest "$work/in" \
      --store "s3://$bucket/$2?endpoint=$S3_ENDPOINT" \
      --device DEVCAM7 --officer bench --suite "$suite" -q 2>/dev/null || true
  elapsed "$t0"
  helper empty "$bucket"
}
for i in $(seq "$runs"); do
  if [ $((i % 2)) = 1 ]; then
    b=$(one "$before" "b$i"); a=$(one "$after" "a$i")
  else
    a=$(one "$after" "a$i"); b=$(one "$before" "b$i")
  fi
  echo "$b" >> "$work/before"; echo "$a" >> "$work/after"
  printf '  run %d: before %.3f s   after %.3f s   (%.2fx)\n' "$i" "$b" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN {print b / a}')"
done
mb=$(median < "$work/before"); ma=$(median < "$work/after")
printf 'median: before %.3f s   after %.3f s   before/after %.2f\n' "$mb" "$ma" "$(awk -v a="$ma" -v b="$mb" 'BEGIN {print b / a}')"
