# shellcheck shell=bash
# The JVM flags the `evidence` launcher starts the CLI with; sourced by ./evidence and by
# benchmarks/compare.sh so that what is measured is what users run. EVIDENCE_ROOT must be the
# project directory.
#
# - A class-data archive of the CLI (evidence-cli/target/evidence.jsa, made by
#   evidence_cds_archive right after the jar), used only while it is newer than the jar: about
#   40 ms less start-up. Its log is silenced, so a rejected archive cannot print on stdout.
# - The serial collector (unless JAVA_OPTS or JDK_JAVA_OPTIONS choose a collector) and no
#   hsperfdata file: a short-lived tool on two cores gains a few per cent on a 2 GiB seal.
# - C2 never compiles the Java body of the JDK's SHA-256 (SHA2.implCompress0; MaxNodeLimit=1 makes
#   C2 give it up at once, which keeps it at C1). C2 replaces that body by the SHA-NI intrinsic
#   wherever it compiles a caller, so compiling the body itself is wasted: three compiles of a
#   490-byte method, 60 ms of a compiler thread at the very moment both cores should be hashing.
#   About 5 % off a 2 GiB seal (BENCHMARKS.md, issue 3). Only if this Java takes the option
#   silently (target/jvm-jit, checked once per jar: a JVM without C2 would print an error).
# - --add-modules jdk.incubator.vector (if this Java has the module) lets SM3 hash one segment per
#   vector lane (BENCHMARKS.md). The JVM prints "WARNING: Using incubator modules" on stderr when
#   it loads an incubating module, and the module turns off CDS's archived module graph (25-30 ms
#   of start-up), so it is added only to commands that may hash SM3: `seal` with "sm3" in its
#   arguments (the default suite is sha256), `verify` unless its seal's suite is sha256 alone,
#   ingest, demo, report, spot-check, encrypt, decrypt, `ledger ingest|spot-check|check-bundle`,
#   `export` and `ledger export` with --decrypt-to (the plain export hashes no content), and
#   `--version` (it says whether SM3 runs on the lanes). Never on a help screen (-h/--help anywhere
#   before "--", or `help`) nor on prove (it hashes a few tree nodes, never segments), probe,
#   analyze, keygen, sweep, retention, the other ledger commands... EVIDENCE_NO_VECTOR=1 always
#   leaves it out (SM3 then runs on scalar code: slower, same results).
EVIDENCE_JIT_FLAGS=(-XX:CompileCommand=quiet
  -XX:CompileCommand=MaxNodeLimit,sun.security.provider.SHA2::implCompress0,1)

evidence_jvm_flags() {
  EVIDENCE_JVM_FLAGS=()
  local target="$EVIDENCE_ROOT/evidence-cli/target"
  if [ -f "$target/evidence.jsa" ] && [ "$target/evidence.jsa" -nt "$target/evidence.jar" ]; then
    EVIDENCE_JVM_FLAGS+=("-XX:SharedArchiveFile=$target/evidence.jsa" "-Xlog:cds*=off")
  fi
  case "${JAVA_OPTS:-} ${JDK_JAVA_OPTIONS:-}" in
    *GC*) ;;
    *) EVIDENCE_JVM_FLAGS+=(-XX:+UseSerialGC) ;;
  esac
  EVIDENCE_JVM_FLAGS+=(-XX:-UsePerfData)
  local jit=no
  [ -f "$target/jvm-jit" ] && read -r jit < "$target/jvm-jit"
  [ "$jit" = yes ] && EVIDENCE_JVM_FLAGS+=("${EVIDENCE_JIT_FLAGS[@]}")
  [ "${EVIDENCE_NO_VECTOR:-}" = 1 ] && return 0
  # a Java runtime without the module (a jlink image, say) would refuse to start with the flag
  local vector=no
  [ -f "$target/jvm-vector" ] && read -r vector < "$target/jvm-vector"
  [ "$vector" = yes ] || return 0
  local a
  for a in "$@"; do
    case "$a" in --) break ;; -h | --help) return 0 ;; esac
  done
  case "${1:-}" in
    -V | --version | ingest | demo | report | spot-check | encrypt | decrypt) ;;
    export) evidence_decrypts "$@" || return 0 ;;
    ledger)
      case "${2:-}" in
        ingest | spot-check | check-bundle) ;;
        export) evidence_decrypts "$@" || return 0 ;;
        *) return 0 ;;
      esac
      ;;
    seal)
      for a in "$@"; do
        case "$a" in *sm3*) EVIDENCE_JVM_FLAGS+=(--add-modules jdk.incubator.vector) && return 0 ;; esac
      done
      return 0
      ;;
    verify)
      evidence_seal_may_be_sm3 "${@:2}" || return 0
      ;;
    *) return 0 ;; # help, probe, analyze, keygen, sweep, ...: no SM3 hashing
  esac
  EVIDENCE_JVM_FLAGS+=(--add-modules jdk.incubator.vector)
}

# Whether an export's arguments ask for the plaintext (--decrypt-to), which is verified segment by
# segment; a plain export only logs and proves.
evidence_decrypts() {
  local a
  for a in "$@"; do
    case "$a" in --) break ;; --decrypt-to | --decrypt-to=*) return 0 ;; esac
  done
  return 1
}

# For `verify ARGS`: false only when the seal it reads is known to be SHA-256 alone (its "suite"
# names no sm3), which spares that verification the module's start-up cost and its warning line.
# The seal is an argument ending in .json that names a file, else FILE.seal.json for the first
# argument that is not an option; if neither is there, true (the module is only ever a speed-up).
evidence_seal_may_be_sm3() {
  local a seal="" first=""
  for a in "$@"; do
    case "$a" in
      -*) ;;
      *.json) [ -f "$a" ] && seal="$a" ;;
      *) [ -z "$first" ] && first="$a" ;;
    esac
  done
  [ -z "$seal" ] && [ -n "$first" ] && [ -f "$first.seal.json" ] && seal="$first.seal.json"
  [ -n "$seal" ] || return 0
  local suite
  suite="$(grep -Eo '"suite"[[:space:]]*:[[:space:]]*"[^"]*"' "$seal" 2>/dev/null | head -n 1)" || true
  case "$suite" in
    "" | *sm3*) return 0 ;; # no suite (not a seal: the JVM will say so) or an SM3 one
  esac
  return 1
}

# Once per jar: notes whether this Java has the Vector API module (target/jvm-vector, "yes" or
# "no") and takes the JIT flags silently (target/jvm-jit), and makes the class-data archive from a
# small seal and its verification (the classes those commands load).
# All three are written under temporary names and renamed, so a launcher starting meanwhile never reads
# half a file; any failure just leaves no archive.
evidence_prepare() {
  local target="$EVIDENCE_ROOT/evidence-cli/target"
  [ -f "$target/evidence.jar" ] || return 0
  if [ ! -f "$target/jvm-vector" ] || [ "$target/evidence.jar" -nt "$target/jvm-vector" ]; then
    local answer=no
    java --add-modules jdk.incubator.vector -version >/dev/null 2>&1 && answer=yes
    echo "$answer" > "$target/jvm-vector.$$" && mv -f "$target/jvm-vector.$$" "$target/jvm-vector"
  fi
  if [ ! -f "$target/jvm-jit" ] || [ "$target/evidence.jar" -nt "$target/jvm-jit" ]; then
    local jit=no out
    # an option this JVM does not know is an error message on stdout, not a failed start
    out="$(java "${EVIDENCE_JIT_FLAGS[@]}" -version 2>/dev/null)" && [ -z "$out" ] && jit=yes
    echo "$jit" > "$target/jvm-jit.$$" && mv -f "$target/jvm-jit.$$" "$target/jvm-jit"
  fi
  [ -f "$target/evidence.jsa" ] && [ "$target/evidence.jsa" -nt "$target/evidence.jar" ] && return 0
  local tmp
  tmp="$(mktemp -d)" || return 0
  # a seal and two verifications in one JVM (org.evidencekit.cli.CdsTraining); the same class path
  # as `-jar`, which the archive must match
  if java -XX:ArchiveClassesAtExit="$tmp/evidence.jsa" "-Xlog:cds*=off" -XX:+UseSerialGC \
      -XX:-UsePerfData -cp "$target/evidence.jar" org.evidencekit.cli.CdsTraining "$tmp" \
      >/dev/null 2>&1 && [ -s "$tmp/evidence.jsa" ]; then
    mv -f "$tmp/evidence.jsa" "$target/evidence.jsa.$$" && mv -f "$target/evidence.jsa.$$" "$target/evidence.jsa"
  fi
  rm -rf "$tmp"
}
