# shellcheck shell=bash
# The JVM flags the `evidence` launcher starts the CLI with; sourced by ./evidence and by
# benchmarks/compare.sh so that what is measured is what users run.
#
# --add-modules jdk.incubator.vector lets SM3 hash one segment per vector lane (issue 12; the JVM
# prints one WARNING line when it loads an incubating module). It also turns off CDS's archived
# module graph, which costs 25-30 ms of JVM start on this machine, so it is left out when SM3 is
# not involved: `seal` without "sm3" in its arguments (the default suite is sha256) and the
# version and help screens. EVIDENCE_NO_VECTOR=1 always leaves it out (SM3 then runs on scalar
# code: slower, same results).
evidence_jvm_flags() {
  EVIDENCE_JVM_FLAGS=()
  [ "${EVIDENCE_NO_VECTOR:-}" = 1 ] && return 0
  case "${1:-}" in
    "" | -h | --help | -V | --version | help) return 0 ;;
    seal)
      local a
      for a in "$@"; do
        case "$a" in *sm3*) EVIDENCE_JVM_FLAGS=(--add-modules jdk.incubator.vector) ;; esac
      done
      return 0
      ;;
  esac
  EVIDENCE_JVM_FLAGS=(--add-modules jdk.incubator.vector)
}
