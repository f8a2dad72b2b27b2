#!/usr/bin/env bash
# Starts a throw-away single-node Ceph cluster (one monitor, one RAM-backed OSD, one RADOS
# Gateway) on 127.0.0.1 for the S3 adapter's integration tests (evidence-storage-s3). Everything
# listens on loopback only; nothing is kept: the OSD uses memstore.
#
#   scripts/rgw-start.sh            # installs the Debian packages if missing, starts, prints env
#   eval "$(scripts/rgw-start.sh)"  # ... and exports S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY
#   scripts/rgw-stop.sh             # stops exactly the processes this script started
#
# The cluster directory defaults to /tmp/evidencekit-rgw (EVIDENCE_RGW_DIR), outside target/ so
# that `mvn clean` cannot delete a live cluster. Progress goes to stderr, the env lines to stdout.
set -euo pipefail

DIR="${EVIDENCE_RGW_DIR:-/tmp/evidencekit-rgw}"
PORT="${EVIDENCE_RGW_PORT:-7480}"
MON_PORT="${EVIDENCE_RGW_MON_PORT:-6789}"
ACCESS_KEY="evidencekit-test"
SECRET_KEY="evidencekit-test-secret-0123456789"

say() { echo "rgw-start: $*" >&2; }
die() { say "FAILED: $*"; [ -f "$DIR/log/mon.log" ] && tail -n 20 "$DIR"/log/*.log >&2 || true; exit 1; }

emit_env() {
  echo "export S3_ENDPOINT=http://127.0.0.1:$PORT"
  echo "export S3_ACCESS_KEY=$ACCESS_KEY"
  echo "export S3_SECRET_KEY=$SECRET_KEY"
}

if [ -f "$DIR/pids" ] && curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  say "already running in $DIR"
  emit_env
  exit 0
fi

if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null \
  || ! command -v curl >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    die "radosgw, ceph-mon, ceph-osd or curl is missing; as root: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd curl"
  fi
  say "installing radosgw ceph-mon ceph-osd curl (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 || true
  apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd curl >&2
fi

# A previous run that was not stopped: stop it first so no stray daemon holds the ports.
if [ -f "$DIR/pids" ]; then
  "$(dirname "${BASH_SOURCE[0]}")/rgw-stop.sh" >&2 || true
fi
rm -rf "$DIR"
mkdir -p "$DIR"/{mon,osd,rgw,log,run}
: > "$DIR/pids"

FSID="$(cat /proc/sys/kernel/random/uuid)"
CONF="$DIR/ceph.conf"
cat > "$CONF" <<CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
ms bind msgr2 = false
ms bind ipv6 = false
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon allow pool delete = true
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon data avail crit = 0
mon data avail warn = 0
log file = $DIR/log/\$name.log
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
keyring = /dev/null

[mon.a]
mon data = $DIR/mon

[osd.0]
osd data = $DIR/osd
osd objectstore = memstore
memstore device bytes = ${EVIDENCE_RGW_OSD_BYTES:-6442450944}
osd max object size = 134217728

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw
rgw dns name = 127.0.0.1
rgw enable usage log = false
# collect deleted objects' data at once (default: after two hours), so the RAM-backed OSD does
# not fill up over repeated test runs
rgw gc obj min wait = 1
rgw gc processor period = 5
rgw gc processor max time = 5
CONF

CEPH=(ceph -c "$CONF" --connect-timeout 10)

say "monitor"
monmaptool --create --clobber --fsid "$FSID" --addv a "[v1:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null 2>&1 \
  || monmaptool --create --clobber --fsid "$FSID" --add a "127.0.0.1:$MON_PORT" "$DIR/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" >/dev/null 2>&1 || die "ceph-mon --mkfs"
ceph-mon -c "$CONF" -i a -f >>"$DIR/log/mon.stdout" 2>&1 &
echo "mon $!" >> "$DIR/pids"

# Wait until the monitor answers with the real fsid: an OSD started earlier races the first
# epoch, gets "wrong fsid" and dies.
for i in $(seq 1 60); do
  got="$(timeout 5 "${CEPH[@]}" fsid 2>/dev/null || true)"
  [ "$got" = "$FSID" ] && break
  [ "$i" = 60 ] && die "monitor did not come up"
  sleep 0.5
done

say "osd"
OSD_UUID="$(cat /proc/sys/kernel/random/uuid)"
OSD_ID="$(timeout 30 "${CEPH[@]}" osd new "$OSD_UUID")" || die "ceph osd new"
[ "$OSD_ID" = 0 ] || die "expected osd id 0, got $OSD_ID"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >/dev/null 2>&1 || die "ceph-osd --mkfs"
start_osd() {
  ceph-osd -c "$CONF" -i 0 -f >>"$DIR/log/osd.stdout" 2>&1 &
  echo "osd $!" >> "$DIR/pids"
}
start_osd
for i in $(seq 1 90); do
  osd_stat="$(timeout 5 "${CEPH[@]}" osd stat 2>/dev/null || true)"
  case "$osd_stat" in *"1 up"*) break ;; esac
  # retry the start once if the OSD died (a race with the first map epoch)
  if ! kill -0 "$(awk '$1=="osd"{p=$2} END{print p}' "$DIR/pids")" 2>/dev/null; then
    say "osd exited, starting it again"; start_osd
  fi
  [ "$i" = 90 ] && die "osd did not come up"
  sleep 0.5
done

say "gateway user"
timeout 60 radosgw-admin -c "$CONF" user create --uid=evidencekit --display-name="EvidenceKit tests" \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null 2>>"$DIR/log/radosgw-admin.log" \
  || die "radosgw-admin user create"

say "gateway"
radosgw -c "$CONF" -n client.rgw.a -f >>"$DIR/log/rgw.stdout" 2>&1 &
echo "rgw $!" >> "$DIR/pids"
for i in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then break; fi
  kill -0 "$(awk '$1=="rgw"{p=$2} END{print p}' "$DIR/pids")" 2>/dev/null || die "radosgw exited"
  [ "$i" = 120 ] && die "gateway did not answer on 127.0.0.1:$PORT"
  sleep 0.5
done
say "up at http://127.0.0.1:$PORT (cluster in $DIR)"
emit_env > "$DIR/env"
emit_env
