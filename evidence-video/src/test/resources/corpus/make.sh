#!/usr/bin/env bash
# Rebuilds the naming-convention and encoder corpus in this folder. Needs ffmpeg (Debian 12:
# 5.1.x, with libx264, libx265, libmp3lame, libopencore-amrnb) and python3. The outputs are
# committed; tests never run this. What was done to each file is written here and in
# EXPECTED.md; the tests' expectations come from that, not from what the probe says.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.mp4 ./*.MP4 ./*.MOV ./*.mov ./*.wav ./*.amr ./*.mp3 ./*.m4a
c=(-hide_banner -loglevel error -y -f lavfi)
bx=(-flags +bitexact -fflags +bitexact)
x264() { echo -c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p; }
x265() { echo -c:v libx265 -preset ultrafast -x265-params log-level=error -g 25 -pix_fmt yuv420p -tag:v hvc1; }

# 1. GA/T 947 body camera, x264 + AAC, container time = name time (14:00:00 Asia/Shanghai = 06:00 UTC)
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -f lavfi -i sine=frequency=440:sample_rate=16000 -t 2 \
  $(x264) -c:a aac -b:a 24k "${bx[@]}" -metadata creation_time=2023-06-01T06:00:00Z \
  J0012345_010086_20230601140000_0001.mp4
# 2. the same camera's next file, x265, 1 s later than the first ended (sequence 2)
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 2 $(x265) "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:00:03Z J0012345_010086_20230601140003_0002.mp4
# 3. the same camera's file 3, power loss: moov never written (the first 60 % of a moov-at-end file)
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 4 $(x264) "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:00:06Z full-0003.mp4
python3 - <<'PY'
import struct
d = open('full-0003.mp4', 'rb').read()
open('J0012345_010086_20230601140006_0003.mp4', 'wb').write(d[:len(d) * 6 // 10])
# 3b. the same power loss with the mdat header left at size 0 ("to end of file"), as cameras do
p = 0
while p < len(d):
    size, typ = struct.unpack('>I4s', d[p:p+8])
    if typ == b'mdat':
        cut = bytearray(d[:len(d) * 6 // 10]); cut[p:p+4] = b'\0\0\0\0'
        open('J0012345_010086_20230601140010_0004.mp4', 'wb').write(bytes(cut)); break
    p += size
PY
# the full file stays as ground truth for the frames in the kept bytes
# 4. Android phone, x264, container time three days after the name's time (re-stamped)
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=30 -t 1 $(x264) "${bx[@]}" \
  -metadata creation_time=2023-06-04T06:00:00Z VID_20230601_140000.mp4
# 5. Google Pixel (names in UTC), x264, container time = name time
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=30 -t 1 $(x264) "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:00:00.123Z PXL_20230601_060000123.mp4
# 6. BlackVue event file, MPEG-4 part 2 (ffmpeg's own encoder), container time = local time as UTC
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 1 -c:v mpeg4 "${bx[@]}" \
  -metadata creation_time=2023-06-01T14:00:00Z 20230601_140000_EF.mp4
# 7. 70mai-style dashcam, x264, container time stamped at close (name + its 4 s length)
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 4 $(x264) "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:00:04Z NO20230601-140000-000123F.MP4
# 8. DJI, x265, no time in the name, container time present
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 1 $(x265) "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:00:00Z DJI_0001.MP4
# 9. GoPro chapter 2 of file 123, x264
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 1 $(x264) "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:00:00Z GX020123.MP4
# 10. DCIM FILE0001.MOV: QuickTime, no creation time, no time in the name: not placeable
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 1 $(x264) "${bx[@]}" -f mov FILE0001.MOV
# 11. splice by stream copy: 2 s of camera A (64x36, x264 ultrafast) then 2 s of camera B
#     (80x48, x264 veryfast) joined through MPEG-TS, where parameter sets ride in every keyframe
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 2 $(x264) "${bx[@]}" -f mpegts a.ts
ffmpeg "${c[@]}" -i testsrc2=size=80x48:rate=25 -t 2 -c:v libx264 -preset veryfast -g 25 \
  -pix_fmt yuv420p "${bx[@]}" -f mpegts b.ts
ffmpeg -hide_banner -loglevel error -y -i "concat:a.ts|b.ts" -c copy "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:10:00Z J0012345_010086_20230601141000_0005.mp4
# 11b. the same splice in HEVC: x265 64x36 then x265 80x48 (VPS/SPS/PPS in every keyframe)
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=25 -t 2 $(x265) "${bx[@]}" -f mpegts a.ts
ffmpeg "${c[@]}" -i testsrc2=size=80x48:rate=25 -t 2 $(x265) "${bx[@]}" -f mpegts b.ts
ffmpeg -hide_banner -loglevel error -y -i "concat:a.ts|b.ts" -c copy -tag:v hvc1 "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:15:00Z J0012345_010086_20230601141500_0009.mp4
# 12. the clean counterpart: camera A alone through MPEG-TS (parameter sets repeated, unchanged)
ffmpeg -hide_banner -loglevel error -y -i a.ts -c copy "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:20:00Z J0012345_010086_20230601142000_0006.mp4
rm -f a.ts b.ts
# 12b. power loss in files whose parameter sets ride in the samples (as cameras writing avc3/hev1 or
#      remuxing their own MPEG-TS do): 4 s at 30 fps, AVC and HEVC, cut at 60 %, moov at the end lost
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=30 -t 4 $(x264) "${bx[@]}" -f mpegts a.ts
ffmpeg -hide_banner -loglevel error -y -i a.ts -c copy "${bx[@]}" full-0007.mp4
ffmpeg "${c[@]}" -i testsrc=size=64x36:rate=30 -t 4 $(x265) "${bx[@]}" -f mpegts b.ts
ffmpeg -hide_banner -loglevel error -y -i b.ts -c copy -tag:v hvc1 "${bx[@]}" full-0008.mp4
rm -f a.ts b.ts
python3 -c "
for n, m in (('0007', '141100'), ('0008', '141200')):
    d = open('full-%s.mp4' % n, 'rb').read()
    open('J0012345_010086_20230601%s_%s.mp4' % (m, n), 'wb').write(d[:len(d) * 6 // 10])
"
# 13. audio: WAV with a BWF bext time, RF64, AMR-NB, MP3 (Xing and plain CBR), M4A
ffmpeg "${c[@]}" -i sine=frequency=440:sample_rate=8000 -t 3 -c:a pcm_s16le -write_bext 1 \
  -metadata origination_date=2023-06-01 -metadata origination_time=14:00:00 "${bx[@]}" \
  REC_20230601_140000.wav
ffmpeg "${c[@]}" -i sine=frequency=440:sample_rate=8000 -t 2 -c:a pcm_s16le -rf64 always "${bx[@]}" \
  rf64-2s.wav
# Debian's ffmpeg has no AMR encoder: the storage format (RFC 4867 section 5) is written directly,
# 100 frames of mode 7 (12.2 kbit/s: header 0x3C + 31 bytes) and 10 of NO_DATA (0x7C) = 2.2 s
python3 -c "import random; r=random.Random(7); open('20230601_140000.amr','wb').write(b'#!AMR\\n' + b''.join(b'\\x3c'+bytes(r.randrange(256) for _ in range(31)) for _ in range(100)) + b'\\x7c'*10)"
ffmpeg "${c[@]}" -i sine=frequency=440:sample_rate=22050 -t 2 -c:a libmp3lame -b:a 32k "${bx[@]}" \
  xing-2s.mp3
ffmpeg "${c[@]}" -i sine=frequency=440:sample_rate=22050 -t 2 -c:a libmp3lame -b:a 32k -write_xing 0 \
  "${bx[@]}" cbr-2s.mp3
ffmpeg "${c[@]}" -i sine=frequency=440:sample_rate=16000 -t 2 -c:a aac -b:a 24k "${bx[@]}" \
  -metadata creation_time=2023-06-01T06:00:00Z VoiceMemo_20230601_140000.m4a
# 14. WAV cut short (a recorder losing power): the header still declares 3 s
python3 -c "d=open('REC_20230601_140000.wav','rb').read(); open('REC_20230601_140500.wav','wb').write(d[:len(d)-8000*2])"
ls -l
