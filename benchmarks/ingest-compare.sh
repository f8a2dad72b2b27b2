#!/usr/bin/env bash
# Side-by-side wall clock of the station's real job (issue 25): `evidence ingest` into a fresh
# filesystem store against `cp` + `sync` of the same files and `evidence seal` of them alone, JVM
# start included, runs alternated so machine noise hits all three alike. Prints each run, the
# medians and ingest / max(seal, cp+sync).
#
#   benchmarks/ingest-compare.sh one  [RUNS] [SUITE] [ENCRYPT]   # one 1 GiB file
#   benchmarks/ingest-compare.sh many [RUNS] [SUITE] [ENCRYPT]   # 500 files of 2 MiB
#
# ENCRYPT (aes-256-gcm or sm4-gcm; default none) stores the recordings encrypted at rest
# (`ingest --encrypt ENCRYPT --kek` a key made for the run). With EVIDENCE_BASELINE set to another
# checkout of the project (its jar built, e.g. by its ./evidence --version), each run also times
# that build's ingest of the same files, side by side: before and after a change. The JVMs' CPU
# seconds (user + system) are printed too: on a shared machine they move far less than wall time.
#
# Every command that writes (cp + sync, each ingest) starts from the same disk: the output of the
# one before is deleted and synced, then EVIDENCE_BENCH_PAUSE seconds (default 20) are slept. On
# the reference VM's thin-provisioned disk a write into space never written before costs 2.5-4x a
# write into space a deleted file freed (measured 2026-12-07: cp + sync of 1 GiB 0.78-0.92 s after
# the previous copy was deleted, 2.0-2.4 s with it kept, even 45 s later), so keeping each run's
# output billed whichever command came second for fresh space (an ingest right after cp + sync
# took 4.0 s, rested and into freed space 2.4 s; the cp after it 1.6 s instead of 0.9 s). Until
# 2026-12-07 every run's copies and stores were kept until the end: that was the "throttle" the
# earlier sections of BENCHMARKS.md describe. Before the first run one untimed cp + sync of the
# input, deleted, lets the first command find freed space and touched memory too.
#
# EVIDENCE_BENCH_FLOOR=1 times, in each run, two floors of the ingest: the seal alone and cp + sync
# of the same files at the same time (two processes: the hardware doing both jobs at once), and
# `scripts/SealAndCopy.java`, one JVM that reads each file once, hashes it as the seal alone does
# and writes a durable copy and its seal (what an ingest cannot do without; BENCHMARKS.md, session
# 14), and `scripts/SealIntoStore.java`, the same through the filesystem store (each copy and each
# seal a committed store object; BENCHMARKS.md, session 15).
#
# EVIDENCE_BENCH_IN_USE=1 ingests a 1 KB recording of another device into each run's store first
# (not timed): an archive in use, as a station's is, rather than an empty one. It matters for
# retention: a recording is committed already retained only when the ledger has an entry from
# before the run (docs/ingest.md); an empty archive's first run sets retention afterwards.
set -euo pipefail
shape="${1:?usage: ingest-compare.sh one|many [RUNS] [SUITE] [ENCRYPT]}"
runs="${2:-5}"
suite="${3:-sha256+sm3}"
encrypt="${4:-none}"
baseline="${EVIDENCE_BASELINE:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/evidence-cli/target/evidence.jar"
"$root/evidence" --version >/dev/null   # builds the jar if needed
# shellcheck source=../scripts/jvm-flags.sh
. "$root/scripts/jvm-flags.sh"
EVIDENCE_ROOT="$root"
work="${EVIDENCE_BENCH_DIR:-$root/benchmarks/target/ingest-bench}"
rm -rf "$work"; mkdir -p "$work/in"
trap 'rm -rf "$work"' EXIT
case "$shape" in
  one) head -c $((1024 * 1024 * 1024)) /dev/urandom > "$work/in/DEVCAM7_20230601_141000_001.bin" ;;
  # 500 clips a second apart from 14:10:00, as a camera names them (until 2026-12-06 evening the
  # names took their seconds from the sequence, 00-99: 40 % of them were no time at all)
  many) for i in $(seq 0 499); do
      head -c $((2 * 1024 * 1024)) /dev/urandom > "$work/in/$(printf 'DEVCAM7_20230601_14%02d%02d_%03d.bin' $((10 + i / 60)) $((i % 60)) $((i + 1)))"
    done ;;
  *) echo "one or many" >&2; exit 2 ;;
esac
bytes=$(du -sb "$work/in" | cut -f1)
cat "$work/in"/* > /dev/null   # page cache
# "seal alone" for many files runs in one JVM, compiled once here (not timed)
mkdir -p "$work/cls"
javac -nowarn -cp "$jar" -d "$work/cls" "$root/benchmarks/scripts/SealAll.java" \
  "$root/benchmarks/scripts/SealAndCopy.java" "$root/benchmarks/scripts/SealIntoStore.java" 2>/dev/null
floor="${EVIDENCE_BENCH_FLOOR:-0}"

now() { date +%s.%N; }
# runs "$@" under /usr/bin/time; cpu= its user + system seconds (the last line: a failed command
# adds a line before it)
cpu_of() { /usr/bin/time -f '%U %S' -o "$work/t" "$@"; local rc=$?; cpu=$(tail -n 1 "$work/t" | awk '{print $1 + $2}'); return $rc; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {print b - a}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

enc_args=()
if [ "$encrypt" != none ]; then
  java -jar "$jar" kek-gen -o "$work/kek.hex" >/dev/null
  enc_args=(--encrypt "$encrypt" --kek "$work/kek.hex")
fi
echo "shape: $shape ($bytes bytes in $(ls "$work/in" | wc -l) files), suite $suite, encryption $encrypt, runs: $runs, $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
: > "$work/cp"; : > "$work/seal"; : > "$work/ingest"; : > "$work/base"
: > "$work/seal.cpu"; : > "$work/ingest.cpu"; : > "$work/base.cpu"
: > "$work/both"; : > "$work/sc"; : > "$work/sc.cpu"
evidence_jvm_flags ingest --suite "$suite"
ingest_flags=("${EVIDENCE_JVM_FLAGS[@]}")
if [ -n "$baseline" ]; then
  base_jar="$baseline/evidence-cli/target/evidence.jar"
  [ -f "$base_jar" ] || { echo "no $base_jar: build it with $baseline/evidence --version" >&2; exit 2; }
  EVIDENCE_ROOT="$baseline"
  evidence_jvm_flags ingest --suite "$suite"
  base_flags=("${EVIDENCE_JVM_FLAGS[@]}")
  EVIDENCE_ROOT="$root"
  echo "baseline: $baseline ($(cd "$baseline" && git log -1 --format=%h 2>/dev/null || echo 'not a git checkout'))"
fi
evidence_jvm_flags seal --suite "$suite"
seal_flags=("${EVIDENCE_JVM_FLAGS[@]}")
# an archive in use (EVIDENCE_BENCH_IN_USE=1): one earlier recording of another device
seed() {
  [ "${EVIDENCE_BENCH_IN_USE:-0}" = 1 ] || return 0
  mkdir -p "$work/seed"
  [ -f "$work/seed/OTHERCAM_20230601_120000_001.bin" ] || head -c 1000 /dev/urandom > "$work/seed/OTHERCAM_20230601_120000_001.bin"
  java -jar "$1" ingest "$work/seed" --store "$2" --device OTHERCAM --officer bench -q || true
}
pause="${EVIDENCE_BENCH_PAUSE:-20}"
# before a command that writes: the previous output gone and synced, then the pause
settle() { rm -rf "$@"; sync; sleep "$pause"; }
mkdir -p "$work/warm"; cp "$work/in"/* "$work/warm/"; sync
for i in $(seq "$runs"); do
  settle "$work/warm" "$work/copy-$((i - 1))" "$work/store-$((i - 1))" "$work/store-base-$((i - 1))"
  mkdir -p "$work/copy-$i"; sync
  t0=$(now); cp "$work/in"/* "$work/copy-$i/"; sync; c=$(elapsed "$t0")
  t0=$(now)
  if [ "$shape" = one ]; then
    cpu_of java "${seal_flags[@]}" ${JAVA_OPTS:-} -jar "$jar" seal "$work/in"/*.bin --suite "$suite" -o "$work/s.json" --force -q
  else
    cpu_of java "${seal_flags[@]}" ${JAVA_OPTS:-} -cp "$jar:$work/cls" SealAll "$work/in" "$suite" >/dev/null
  fi
  s=$(elapsed "$t0"); echo "$cpu" >> "$work/seal.cpu"; sc=$cpu
  seed "$jar" "$work/store-$i"
  [ -n "$baseline" ] && seed "$base_jar" "$work/store-base-$i"
  settle "$work/copy-$i"
  f=""
  if [ "$floor" = 1 ]; then
    # both jobs at once, then the least an ingest must do (one JVM: read once, hash, durable copy)
    mkdir -p "$work/copy-$i"; sync
    t0=$(now)
    java "${seal_flags[@]}" ${JAVA_OPTS:-} -cp "$jar:$work/cls" SealAll "$work/in" "$suite" >/dev/null &
    sp=$!
    cp "$work/in"/* "$work/copy-$i/"; sync; wait "$sp"
    both=$(elapsed "$t0"); echo "$both" >> "$work/both"
    settle "$work/copy-$i"
    t0=$(now)
    cpu_of java "${seal_flags[@]}" ${JAVA_OPTS:-} -cp "$jar:$work/cls" SealAndCopy "$work/in" "$suite" "$work/copy-$i" >/dev/null
    sac=$(elapsed "$t0"); echo "$sac" >> "$work/sc"; echo "$cpu" >> "$work/sc.cpu"
    f=$(printf '   seal || cp+sync %.3f s   SealAndCopy %.3f s (%.2f CPU-s)' "$both" "$sac" "$cpu")
    settle "$work/copy-$i"
    t0=$(now)
    cpu_of java "${seal_flags[@]}" ${JAVA_OPTS:-} -cp "$jar:$work/cls" SealIntoStore "$work/in" "$suite" "$work/copy-$i" >/dev/null
    sis=$(elapsed "$t0"); echo "$sis" >> "$work/sis"; echo "$cpu" >> "$work/sis.cpu"
    f="$f$(printf '   SealIntoStore %.3f s (%.2f CPU-s)' "$sis" "$cpu")"
    settle "$work/copy-$i"
  fi
  t0=$(now)
  cpu_of java "${ingest_flags[@]}" ${JAVA_OPTS:-} -jar "$jar" ingest "$work/in" --store "$work/store-$i" \
      --device DEVCAM7 --officer bench --suite "$suite" "${enc_args[@]}" -q || true
  g=$(elapsed "$t0"); echo "$cpu" >> "$work/ingest.cpu"; gc=$cpu
  echo "$c" >> "$work/cp"; echo "$s" >> "$work/seal"; echo "$g" >> "$work/ingest"
  b=""
  if [ -n "$baseline" ]; then
    settle "$work/store-$i"
    t0=$(now)
    cpu_of java "${base_flags[@]}" ${JAVA_OPTS:-} -jar "$base_jar" ingest "$work/in" --store "$work/store-base-$i" \
        --device DEVCAM7 --officer bench --suite "$suite" "${enc_args[@]}" -q || true
    b=$(elapsed "$t0")
    echo "$b" >> "$work/base"; echo "$cpu" >> "$work/base.cpu"
    b=$(printf '   ingest (baseline) %.3f s (%.2f CPU-s)' "$b" "$cpu")
  fi
  printf '  run %d: cp+sync %.3f s   seal %.3f s (%.2f CPU-s)   ingest %.3f s (%.2f CPU-s)%s%s   load %s\n' \
    "$i" "$c" "$s" "$sc" "$g" "$gc" "$b" "$f" "$(cut -d' ' -f1 /proc/loadavg)"
done
mc=$(median < "$work/cp"); ms=$(median < "$work/seal"); mg=$(median < "$work/ingest")
printf 'median: cp+sync %.3f s   seal %.3f s   ingest %.3f s   ingest / max(seal, cp+sync) = %.2f   ingest / seal alone = %.2f\n' \
  "$mc" "$ms" "$mg" "$(awk -v g="$mg" -v s="$ms" -v c="$mc" 'BEGIN {m = s > c ? s : c; print g / m}')" \
  "$(awk -v g="$mg" -v s="$ms" 'BEGIN {print g / s}')"
# (ingest / seal alone is the ratio wherever the page cache and the disk are fast enough for cp +
# sync to take less than the seal; on the reference VM they often are not: BENCHMARKS.md, sessions
# 9 and 10)
printf 'median CPU-s: seal %.2f   ingest %.2f\n' "$(median < "$work/seal.cpu")" "$(median < "$work/ingest.cpu")"
if [ "$floor" = 1 ]; then
  mb2=$(median < "$work/both"); msc=$(median < "$work/sc"); msis=$(median < "$work/sis")
  printf 'median floors: seal || cp+sync %.3f s (%.2fx the seal alone)   SealAndCopy %.3f s (%.2fx, %.2f CPU-s)   SealIntoStore %.3f s (%.2fx, %.2f CPU-s)\n' \
    "$mb2" "$(awk -v a="$mb2" -v s="$ms" 'BEGIN {print a / s}')" \
    "$msc" "$(awk -v a="$msc" -v s="$ms" 'BEGIN {print a / s}')" "$(median < "$work/sc.cpu")" \
    "$msis" "$(awk -v a="$msis" -v s="$ms" 'BEGIN {print a / s}')" "$(median < "$work/sis.cpu")"
fi
if [ -n "$baseline" ]; then
  mb=$(median < "$work/base")
  printf 'median CPU-s: ingest (baseline) %.2f\n' "$(median < "$work/base.cpu")"
  printf 'median: ingest (baseline) %.3f s   baseline / max(seal, cp+sync) = %.2f   ingest / baseline = %.2f\n' \
    "$mb" "$(awk -v g="$mb" -v s="$ms" -v c="$mc" 'BEGIN {m = s > c ? s : c; print g / m}')" \
    "$(awk -v g="$mg" -v b="$mb" 'BEGIN {print g / b}')"
fi
# A throttled host shows in the seal alone, which writes nothing: the same work bills more CPU
# seconds (on the reference VM 3.2-3.4 CPU-s for 1 GiB, 4.5-5.1 while throttled). Runs whose seal
# took more than 1.2x the series' least are named, and the medians are given without them.
least=$(sort -g "$work/seal.cpu" | head -1)
kept=$(awk -v l="$least" '$1 <= 1.2 * l {print NR}' "$work/seal.cpu" | tr '\n' ' ')
dropped=$(awk -v l="$least" '$1 > 1.2 * l {print NR}' "$work/seal.cpu" | tr '\n' ' ')
if [ -n "$dropped" ]; then
  echo "throttled (seal alone over 1.2x the least CPU-s): run(s) ${dropped% }"
  pick() { awk -v k=" $kept" 'index(k, " " NR " ") {print}' "$1"; }
  kc=$(pick "$work/cp" | median); ks=$(pick "$work/seal" | median); kg=$(pick "$work/ingest" | median)
  printf 'median of run(s) %s: cp+sync %.3f s   seal %.3f s   ingest %.3f s   ingest / max(seal, cp+sync) = %.2f\n' \
    "${kept% }" "$kc" "$ks" "$kg" "$(awk -v g="$kg" -v s="$ks" -v c="$kc" 'BEGIN {m = s > c ? s : c; print g / m}')"
  if [ -n "$baseline" ]; then
    kb=$(pick "$work/base" | median)
    printf 'median of run(s) %s: ingest (baseline) %.3f s   ingest / baseline = %.2f\n' \
      "${kept% }" "$kb" "$(awk -v g="$kg" -v b="$kb" 'BEGIN {print g / b}')"
  fi
fi
