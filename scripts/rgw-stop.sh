#!/usr/bin/env bash
# Stops exactly the processes scripts/rgw-start.sh started (newest first) and removes the
# cluster directory (EVIDENCE_RGW_DIR, default /tmp/evidencekit-rgw).
set -uo pipefail
DIR="${EVIDENCE_RGW_DIR:-/tmp/evidencekit-rgw}"
[ -f "$DIR/pids" ] || { echo "rgw-stop: nothing started in $DIR" >&2; exit 0; }
tac "$DIR/pids" | while read -r name pid; do
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    echo "rgw-stop: stopped $name ($pid)" >&2
  fi
done
rm -rf "$DIR"
