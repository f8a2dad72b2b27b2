#!/usr/bin/env bash
# A journaled ext4 for the ingest comparison (issue 25), as a station's disk has, on a loop device
# over a file of the VM's own disk, for hosts whose root file system is not one. Needs root.
#
#   benchmarks/journaled-fs.sh up [GIB] [DIR]   # prints the mount point; default 8 GiB under
#                                               # benchmarks/target/journaled-fs
#   benchmarks/journaled-fs.sh down [DIR]
#
#   EVIDENCE_BENCH_DIR="$(benchmarks/journaled-fs.sh up)/bench" benchmarks/ingest-compare.sh many 5
#
# Why (measured 2026-12-07, BENCHMARKS.md "Session 10"): the reference VM's root file system is an
# ext4 without a journal on a thin-provisioned disk. Without a journal, ext4 skips free inodes
# it deems recently deleted when it allocates one (find_inode_bit -> recently_deleted), so after a
# run's outputs were deleted, creating files stays 5-10x slower for minutes (2,000 files and
# folders: 0.05 s with nothing deleted before, 0.2-0.6 s up to 90 s after deleting 4,000): every
# run of the comparison deletes the previous run's store, and the ingest, which creates some 4,000
# files and folders for 500 recordings, paid 0.6-0.8 CPU-s for it; cp + sync of 500 files paid too.
# Here the image is written with zeros once, so every block is backed by the host before the first
# run (no first-write cost of the thin disk), the ext4 inside has a journal (the default), is
# mounted without discard (deleting inside it never hands blocks back to the host), and the loop
# device reads and writes its file with direct I/O (no second page cache).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:?usage: journaled-fs.sh up [GIB] [DIR] | down [DIR]}"
case "$cmd" in
  up)
    gib="${2:-8}"
    dir="${3:-$root/benchmarks/target/journaled-fs}"
    mkdir -p "$dir/mnt"
    if mountpoint -q "$dir/mnt"; then
      echo "$dir/mnt"
      exit 0
    fi
    if [ ! -f "$dir/image" ] || [ "$(stat -c %s "$dir/image")" != $((gib * 1024 * 1024 * 1024)) ]; then
      echo "journaled-fs: writing a $gib GiB image (once)..." >&2
      dd if=/dev/zero of="$dir/image" bs=8M count=$((gib * 128)) conv=fsync status=none
      mkfs.ext4 -q -F "$dir/image"
    fi
    dev="$(losetup --find --show --direct-io=on "$dir/image")"
    mount -o nodiscard "$dev" "$dir/mnt"
    grep -q "$dir/mnt" /proc/mounts
    echo "$dir/mnt"
    ;;
  down)
    dir="${2:-$root/benchmarks/target/journaled-fs}"
    if mountpoint -q "$dir/mnt"; then
      dev="$(findmnt -n -o SOURCE "$dir/mnt")"
      umount "$dir/mnt"
      losetup -d "$dev" 2>/dev/null || true
    fi
    ;;
  *)
    echo "up or down" >&2
    exit 2
    ;;
esac
