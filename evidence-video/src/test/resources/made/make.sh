#!/usr/bin/env bash
# Rebuilds the extra fixtures in this folder. Needs ffmpeg (Debian 12: 5.1.x) and python3.
# Outputs are committed; run this only to regenerate them.
set -euo pipefail
cd "$(dirname "$0")"
common=(-hide_banner -loglevel error -y)
# 1. fragmented MP4, 4 s at 25 fps, one fragment per keyframe (every 25 frames)
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -t 4 -c:v libx264 -preset ultrafast \
  -g 25 -pix_fmt yuv420p -flags +bitexact -fflags +bitexact -movflags frag_keyframe+empty_moov+default_base_moof \
  -metadata creation_time=2023-06-01T15:00:00Z fragmented.mp4
# 2. the same with its third fragment (moof+mdat) removed
python3 - <<'PY'
import struct
d = open('fragmented.mp4', 'rb').read()
boxes, p = [], 0
while p < len(d):
    size, typ = struct.unpack('>I4s', d[p:p+8]); boxes.append((p, size, typ)); p += size
moofs = [i for i, b in enumerate(boxes) if b[2] == b'moof']
drop = moofs[2]
out = b''.join(d[b[0]:b[0]+b[1]] for i, b in enumerate(boxes) if i not in (drop, drop + 1))
open('fragmented-missing-fragment.mp4', 'wb').write(out)
PY
# 3. two separate encodes joined with -c copy: the second keeps its own x264 banner
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -t 2 -c:v libx264 -preset ultrafast \
  -g 25 -pix_fmt yuv420p -flags +bitexact -fflags +bitexact part1.mp4
ffmpeg "${common[@]}" -f lavfi -i testsrc2=size=128x72:rate=25 -t 2 -c:v libx264 -preset veryfast \
  -g 25 -pix_fmt yuv420p -flags +bitexact -fflags +bitexact part2.mp4
printf "file 'part1.mp4'\nfile 'part2.mp4'\n" > parts.txt
ffmpeg "${common[@]}" -f concat -safe 0 -i parts.txt -c copy -metadata creation_time=2023-06-01T16:00:00Z spliced.mp4
rm -f part1.mp4 part2.mp4 parts.txt
# 4. a remux without creation time (what a quick re-save leaves)
ffmpeg "${common[@]}" -i ../fixtures/f01_clean/DEVCAM7_20230601_140000_001.mp4 -c copy remuxed-no-creation-time.mp4

# 5. HEVC, moov at the end, cut at 60 % of its bytes (power loss): no moov, frames recoverable
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -t 4 -c:v libx265 -preset ultrafast \
  -x265-params log-level=error -g 25 -pix_fmt yuv420p -flags +bitexact -fflags +bitexact -tag:v hvc1 hevc-full.mp4
python3 -c "import os; d=open('hevc-full.mp4','rb').read(); open('hevc-truncated.mp4','wb').write(d[:len(d)*6//10])"
ls -l hevc-*.mp4
