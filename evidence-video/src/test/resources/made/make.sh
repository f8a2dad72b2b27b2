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

# Forger's edits that leave no timestamp hole (session 15, R-13). Each starts from one clean
# 6 s recording with audio, as a camera writes it, made here as clean-6s.mp4 and removed.
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -f lavfi -i sine=frequency=440:sample_rate=22050 \
  -t 6 -c:v libx264 -preset ultrafast -g 25 -bf 0 -pix_fmt yuv420p -c:a aac -b:a 24k \
  -flags +bitexact -fflags +bitexact -metadata creation_time=2023-06-01T14:00:00Z clean-6s.mp4
# 6. 2.0-4.0 s cut out by stream copy and the two parts joined with the concat demuxer: the
#    timestamps run on without a hole; the join leaves a video frame of another length
ffmpeg "${common[@]}" -i clean-6s.mp4 -to 2 -c copy cut-a.mp4
ffmpeg "${common[@]}" -ss 4 -i clean-6s.mp4 -c copy cut-b.mp4
printf "file 'cut-a.mp4'\nfile 'cut-b.mp4'\n" > cut.txt
ffmpeg "${common[@]}" -f concat -safe 0 -i cut.txt -c copy -fflags +bitexact \
  -metadata creation_time=2023-06-01T14:00:00Z copy-cut-joined.mp4
rm -f cut-a.mp4 cut-b.mp4 cut.txt
# 7. the clean file with each track's edit list replaced by two edits that skip media 2.0-4.0 s:
#    all media is still in the file, a player shows 4 s; movie and track durations set to 4 s
# 8. the clean file stamped 16:30 (recorded after the action) with only its movie header (mvhd)
#    re-stamped to 14:00; the track and media headers still say 16:30
ffmpeg "${common[@]}" -i clean-6s.mp4 -c copy -fflags +bitexact \
  -metadata creation_time=2023-06-01T16:30:00Z late-16h30.mp4
python3 - <<'PY'
import struct
CONT = {b'moov', b'trak', b'mdia', b'edts'}
def parse(d, p, end):
    out = []
    while p < end:
        size, typ = struct.unpack('>I4s', d[p:p+8])
        out.append([typ, parse(d, p+8, p+size) if typ in CONT else d[p+8:p+size]]); p += size
    return out
def build(boxes):
    return b''.join(struct.pack('>I4s', 8+len(b), t) + b for t, b in
                    ((t, build(v) if isinstance(v, list) else v) for t, v in boxes))
def kid(boxes, typ):
    return next(b for b in boxes if b[0] == typ)
def setu32(box, at, v):
    p = bytearray(box[1]); p[at:at+4] = struct.pack('>I', v); box[1] = bytes(p)
d = open('clean-6s.mp4', 'rb').read()
top = parse(d, 0, len(d)); moov = kid(top, b'moov')[1]
for trak in (b for b in moov if b[0] == b'trak'):
    mdia = kid(trak[1], b'mdia')[1]
    scale = struct.unpack('>I', kid(mdia, b'mdhd')[1][12:16])[0]
    elst = kid(kid(trak[1], b'edts')[1], b'elst')
    start = struct.unpack('>i', elst[1][12:16])[0]       # the encoder's own start (AAC priming)
    elst[1] = struct.pack('>II', 0, 2) + struct.pack('>IiI', 2000, start, 0x10000) \
        + struct.pack('>IiI', 2000, start + 4 * scale, 0x10000)
    setu32(kid(trak[1], b'tkhd'), 20, 4000)              # v0 tkhd duration, movie timescale 1000
setu32(kid(moov, b'mvhd'), 16, 4000)
open('edit-list-hides-2s.mp4', 'wb').write(build(top))
d = open('late-16h30.mp4', 'rb').read()
top = parse(d, 0, len(d)); mvhd = kid(kid(top, b'moov')[1], b'mvhd')
t = 3768472800                                           # 2023-06-01T14:00:00Z since 1904
setu32(mvhd, 4, t); setu32(mvhd, 8, t)
open('restamped-movie-header.mp4', 'wb').write(build(top))
PY
# 9. the samples of media 2.0-4.0 s taken out of the clean file's sample tables (stts, stsz, stsc,
#    stco, stss rewritten; mdhd, tkhd, elst and mvhd durations 2 s shorter): the timestamps run on
#    without a hole, and the 2 s of media bytes stay in the mdat, referenced by no sample
python3 - <<'PY'
import struct
CONT = {b'moov', b'trak', b'mdia', b'minf', b'stbl', b'edts'}
def parse(d, p, end):
    out = []
    while p < end:
        size, typ = struct.unpack('>I4s', d[p:p+8])
        out.append([typ, parse(d, p+8, p+size) if typ in CONT else d[p+8:p+size]]); p += size
    return out
def build(boxes):
    return b''.join(struct.pack('>I4s', 8+len(b), t) + b for t, b in
                    ((t, build(v) if isinstance(v, list) else v) for t, v in boxes))
def kid(boxes, typ):
    return next((b for b in boxes if b[0] == typ), None)
def u32s(b, at, n):
    return list(struct.unpack('>%dI' % n, b[at:at+4*n]))
def setu32(box, at, v):
    p = bytearray(box[1]); p[at:at+4] = struct.pack('>I', v); box[1] = bytes(p)
def full(entries, fmt):
    return struct.pack('>II', 0, len(entries)) + b''.join(struct.pack(fmt, *e) for e in entries)
def take(lo, hi, out):
    d = open('clean-6s.mp4', 'rb').read()
    top = parse(d, 0, len(d)); moov = kid(top, b'moov')[1]
    for trak in (b for b in moov if b[0] == b'trak'):
        mdia = kid(trak[1], b'mdia')[1]
        scale = struct.unpack('>I', kid(mdia, b'mdhd')[1][12:16])[0]
        stbl = kid(kid(mdia, b'minf')[1], b'stbl')[1]
        start = struct.unpack('>i', kid(kid(trak[1], b'edts')[1], b'elst')[1][12:16])[0]
        sizes = u32s(kid(stbl, b'stsz')[1], 12, struct.unpack('>I', kid(stbl, b'stsz')[1][8:12])[0])
        stco = kid(stbl, b'stco')[1]; chunks = u32s(stco, 8, struct.unpack('>I', stco[4:8])[0])
        stsc = kid(stbl, b'stsc')[1]; ents = [u32s(stsc, 8 + 12*i, 3) for i in range(struct.unpack('>I', stsc[4:8])[0])]
        offsets = []
        for c, o in enumerate(chunks):
            for _ in range([e[1] for e in ents if e[0] <= c + 1][-1]):
                offsets.append(o); o += sizes[len(offsets) - 1]
        stts = kid(stbl, b'stts')[1]; durs = []
        for i in range(struct.unpack('>I', stts[4:8])[0]):
            n, dl = u32s(stts, 8 + 8*i, 2); durs += [dl] * n
        stss = kid(stbl, b'stss')
        sync = set(u32s(stss[1], 8, struct.unpack('>I', stss[1][4:8])[0])) if stss else None
        t, keep = 0, []
        for i, dl in enumerate(durs):
            if not lo * scale <= t - start < hi * scale:
                keep.append(i)
            t += dl
        runs = []
        for i in keep:
            if runs and runs[-1][1] == durs[i]: runs[-1][0] += 1
            else: runs.append([1, durs[i]])
        kid(stbl, b'stts')[1] = full(runs, '>II')
        kid(stbl, b'stsz')[1] = struct.pack('>III', 0, 0, len(keep)) + b''.join(struct.pack('>I', sizes[i]) for i in keep)
        kid(stbl, b'stsc')[1] = full([(1, 1, 1)], '>III')
        kid(stbl, b'stco')[1] = full([(offsets[i],) for i in keep], '>I')
        if sync is not None:
            stss[1] = full([(j + 1,) for j, i in enumerate(keep) if i + 1 in sync], '>I')
        stbl[:] = [b for b in stbl if b[0] not in (b'sgpd', b'sbgp')]   # AAC roll groups count samples
        setu32(kid(mdia, b'mdhd'), 16, sum(durs[i] for i in keep))
        setu32(kid(trak[1], b'tkhd'), 20, 4000)
        setu32(kid(kid(trak[1], b'edts')[1], b'elst'), 8, 4000)
    setu32(kid(moov, b'mvhd'), 16, 4000)
    open(out, 'wb').write(build(top))
take(2, 4, 'samples-taken-out.mp4')
# 13. (session 15) the same with the last 2 s taken out: their bytes left at the media box's end
take(4, 6, 'samples-taken-out-end.mp4')
PY
# 10. honest padding between chunks (session 15): the clean file's chunks moved to 512-byte
#     boundaries with zero bytes before each (padded-zeros.mp4), or to 256-byte boundaries with a
#     `free` box of zeros filling each gap (padded-free.mp4), chunk offsets rewritten; every sample
#     is still referenced and plays as before
python3 - <<'PY'
import struct
CONT = {b'moov', b'trak', b'mdia', b'minf', b'stbl'}
def parse(d, p, end):
    out = []
    while p < end:
        size, typ = struct.unpack('>I4s', d[p:p+8])
        out.append([typ, parse(d, p+8, p+size) if typ in CONT else d[p+8:p+size]]); p += size
    return out
def build(boxes):
    return b''.join(struct.pack('>I4s', 8+len(b), t) + b for t, b in
                    ((t, build(v) if isinstance(v, list) else v) for t, v in boxes))
def kid(boxes, typ):
    return next((b for b in boxes if b[0] == typ), None)
def u32s(b, at, n):
    return list(struct.unpack('>%dI' % n, b[at:at+4*n]))
d = open('clean-6s.mp4', 'rb').read()
top = parse(d, 0, len(d))
names = [b[0] for b in top]
assert names.index(b'mdat') < names.index(b'moov'), names     # moov after mdat: its size stays
mdat_at = sum(8 + len(b[1]) for b in top[:names.index(b'mdat')]) + 8
chunks = []                                                      # [offset, size, stco box, index]
for trak in (b for b in kid(top, b'moov')[1] if b[0] == b'trak'):
    stbl = kid(kid(kid(trak[1], b'mdia')[1], b'minf')[1], b'stbl')[1]
    stsz = kid(stbl, b'stsz')[1]; fixed, n = struct.unpack('>II', stsz[4:12])
    sizes = [fixed] * n if fixed else u32s(stsz, 12, n)
    stsc = kid(stbl, b'stsc')[1]; ents = [u32s(stsc, 8 + 12*i, 3) for i in range(struct.unpack('>I', stsc[4:8])[0])]
    stco = kid(stbl, b'stco'); offs = u32s(stco[1], 8, struct.unpack('>I', stco[1][4:8])[0])
    s = 0
    for c, o in enumerate(offs):
        k = [e[1] for e in ents if e[0] <= c + 1][-1]
        chunks.append([o, sum(sizes[s:s+k]), stco, c]); s += k
chunks.sort()
assert chunks[0][0] == mdat_at and all(a[0] + a[1] == b[0] for a, b in zip(chunks, chunks[1:]))
def pad(free, align=512):
    body, new = b'', {}
    for o, size, stco, c in chunks:
        at = mdat_at + len(body)
        gap = -at % align
        if free:
            gap += align if 0 < gap < 8 else 0
            body += struct.pack('>I4s', gap, b'free') + bytes(gap - 8) if gap else b''
        else:
            body += bytes(gap)
        new[(id(stco), c)] = mdat_at + len(body)
        body += d[o:o+size]
    for o, size, stco, c in chunks:
        p = bytearray(stco[1]); p[8+4*c:12+4*c] = struct.pack('>I', new[(id(stco), c)]); stco[1] = bytes(p)
    return build([[t, body] if t == b'mdat' else [t, v] for t, v in top])
open('padded-zeros.mp4', 'wb').write(pad(False))
open('padded-free.mp4', 'wb').write(pad(True, 256))
PY
# 12. edit lists that vary 7 (session 15): one edit from the start that stops at 4.0 s, so a player
#     shows 4 s and the last 2 s are hidden (edit-list-hides-end.mp4); and the whole media in two
#     edits that follow on from each other, hiding nothing (edit-list-split-whole.mp4)
python3 - <<'PY'
import struct, sys
CONT = {b'moov', b'trak', b'mdia', b'edts'}
def parse(d, p, end):
    out = []
    while p < end:
        size, typ = struct.unpack('>I4s', d[p:p+8])
        out.append([typ, parse(d, p+8, p+size) if typ in CONT else d[p+8:p+size]]); p += size
    return out
def build(boxes):
    return b''.join(struct.pack('>I4s', 8+len(b), t) + b for t, b in
                    ((t, build(v) if isinstance(v, list) else v) for t, v in boxes))
def kid(boxes, typ):
    return next(b for b in boxes if b[0] == typ)
def setu32(box, at, v):
    p = bytearray(box[1]); p[at:at+4] = struct.pack('>I', v); box[1] = bytes(p)
def make(out, edits_of, movie_ms):
    d = open('clean-6s.mp4', 'rb').read()
    top = parse(d, 0, len(d)); moov = kid(top, b'moov')[1]
    for trak in (b for b in moov if b[0] == b'trak'):
        mdia = kid(trak[1], b'mdia')[1]
        scale = struct.unpack('>I', kid(mdia, b'mdhd')[1][12:16])[0]
        elst = kid(kid(trak[1], b'edts')[1], b'elst')
        start = struct.unpack('>i', elst[1][12:16])[0]
        es = edits_of(scale, start)
        elst[1] = struct.pack('>II', 0, len(es)) + b''.join(struct.pack('>IiI', dur, mt, 0x10000) for dur, mt in es)
        setu32(kid(trak[1], b'tkhd'), 20, movie_ms)
    setu32(kid(moov, b'mvhd'), 16, movie_ms)
    open(out, 'wb').write(build(top))
# the last 2 s hidden by one edit from the start
make('edit-list-hides-end.mp4', lambda scale, start: [(4000, start)], 4000)
# the whole media in two contiguous edits (an edit split in parts): hides nothing
make('edit-list-split-whole.mp4', lambda scale, start: [(3000, start), (3000, start + 3 * scale)], 6000)
PY
rm -f clean-6s.mp4 late-16h30.mp4
ls -l copy-cut-joined.mp4 edit-list-hides-2s.mp4 restamped-movie-header.mp4 samples-taken-out.mp4 \
  padded-zeros.mp4 padded-free.mp4 edit-list-hides-end.mp4 edit-list-split-whole.mp4 \
  samples-taken-out-end.mp4

# 11. QuickTime's own way of sizing uncompressed sound (session 15): a .mov with 16-bit PCM whose
#     sample size table says 1 (a sample is one PCM frame, its bytes given by the sound
#     description), as older QuickTime writers and cameras write it; ffmpeg writes 2, patched here
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -f lavfi -i sine=frequency=440:sample_rate=8000 \
  -t 2 -c:v libx264 -preset ultrafast -g 25 -bf 0 -pix_fmt yuv420p -c:a pcm_s16le -ac 1 \
  -flags +bitexact -fflags +bitexact -metadata creation_time=2023-06-01T14:00:00Z pcm.mov
python3 - <<'PY'
import struct
d = bytearray(open('pcm.mov', 'rb').read())
stsz = d.find(b'stsz', d.find(b'sowt'))
assert struct.unpack('>I', d[stsz+8:stsz+12])[0] == 2
d[stsz+8:stsz+12] = struct.pack('>I', 1)
open('pcm-sample-size-1.mov', 'wb').write(d)
PY
rm -f pcm.mov
ls -l pcm-sample-size-1.mov

# 14. (session 15) older libavformat's way with B-frames: the video's edit skips its reordering
#     delay and the audio's edit skips its priming and that same delay, so the tracks start
#     together (mp4parse-rust's invalid_userdata.mp4 has it): made from a 2 s recording with
#     B-frames, the audio edit moved on by the video's delay and shortened by as much
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -f lavfi -i sine=frequency=440:sample_rate=22050 \
  -t 2 -c:v libx264 -preset medium -g 25 -bf 2 -pix_fmt yuv420p -c:a aac -b:a 24k \
  -flags +bitexact -fflags +bitexact -metadata creation_time=2023-06-01T14:00:00Z bframes.mp4
python3 - <<'PY'
import struct
d = bytearray(open('bframes.mp4', 'rb').read())
elst = [i for i in range(len(d)) if d[i:i+4] == b'elst']
mdhd = [i for i in range(len(d)) if d[i:i+4] == b'mdhd']
assert len(elst) == 2 and len(mdhd) == 2 and d[elst[0]+4] == 0 and d[mdhd[0]+4] == 0
vscale = struct.unpack('>I', d[mdhd[0]+16:mdhd[0]+20])[0]
ascale = struct.unpack('>I', d[mdhd[1]+16:mdhd[1]+20])[0]
vdelay = struct.unpack('>i', d[elst[0]+16:elst[0]+20])[0]         # the video's media_time
assert vdelay > 0, 'no B-frame delay'
seg, mt = struct.unpack('>Ii', d[elst[1]+12:elst[1]+20])          # the audio's one edit
d[elst[1]+12:elst[1]+20] = struct.pack('>Ii', seg - vdelay * 1000 // vscale, mt + vdelay * ascale // vscale)
open('audio-after-video-delay.mp4', 'wb').write(d)
PY
rm -f bframes.mp4
ls -l audio-after-video-delay.mp4

# 15. a fragmented recording with video and audio, 6 s, a fragment (moof+mdat) per keyframe, as a
#     camera writing fragments leaves it; MadeFixturesTest takes fragments out of copies of it
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -f lavfi -i sine=frequency=440:sample_rate=22050 \
  -t 6 -c:v libx264 -preset ultrafast -g 25 -bf 0 -pix_fmt yuv420p -c:a aac -b:a 24k \
  -flags +bitexact -fflags +bitexact -movflags frag_keyframe+empty_moov+default_base_moof \
  -metadata creation_time=2023-06-01T14:00:00Z fragmented-av.mp4
ls -l fragmented-av.mp4

# 16. (session 17) a fragmented recording whose first samples are in the movie box: ffmpeg's
#     frag_keyframe without empty_moov writes the first 1 s (25 frames) into the moov's sample table
#     and the other 3 s into three fragments, as make.sh 1's timeline otherwise
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -t 4 -c:v libx264 -preset ultrafast \
  -g 25 -pix_fmt yuv420p -flags +bitexact -fflags +bitexact -movflags frag_keyframe \
  -metadata creation_time=2023-06-01T15:00:00Z fragmented-moov-first.mp4
ls -l fragmented-moov-first.mp4

# 17. (session 17) the same form with video (B-frames) and audio, 3 s, each track with an edit list
#     (the B-frame delay, the AAC priming), whose fragment index lists AAC frames at their time
#     after the edit's shift: an honest file the fragment index check must leave clean
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -f lavfi -i sine=frequency=440:sample_rate=22050 \
  -t 3 -c:v libx264 -preset ultrafast -g 25 -bf 2 -pix_fmt yuv420p -c:a aac -b:a 24k \
  -flags +bitexact -fflags +bitexact -movflags frag_keyframe -use_editlist 1 \
  -metadata creation_time=2023-06-01T14:00:00Z fragmented-moov-first-av.mp4
ls -l fragmented-moov-first-av.mp4

# 18. (session 17) fragments from the start (empty_moov) with -use_editlist 1: ffmpeg writes no edit
#     list into the empty moov, yet its fragment index lists the AAC frames 1024 ticks (the
#     priming) before their decode time, all but the first: honest, to be left clean
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=128x72:rate=25 -f lavfi -i sine=frequency=440:sample_rate=22050 \
  -t 3 -c:v libx264 -preset ultrafast -g 25 -bf 2 -pix_fmt yuv420p -c:a aac -b:a 24k \
  -flags +bitexact -fflags +bitexact -movflags frag_keyframe+empty_moov -use_editlist 1 \
  -metadata creation_time=2023-06-01T14:00:00Z fragmented-priming-index.mp4
ls -l fragmented-priming-index.mp4

# 19. (session 17) GStreamer (Debian 12: 1.22, gstreamer1.0-plugins-good/-libav/-ugly): mp4mux's
#     fragmented form, 3 s of video and AAC in 1 s fragments, a moof per track; its fragment index
#     closes the audio's list with an entry for the last frame that names byte 0. Honest, to be left
#     clean (its creation time is when it was made)
gst-launch-1.0 -q -e videotestsrc num-buffers=75 ! video/x-raw,width=128,height=72,framerate=25/1 \
  ! x264enc key-int-max=25 speed-preset=ultrafast bitrate=64 ! h264parse ! queue \
  ! mp4mux fragment-duration=1000 name=m ! filesink location=gst-fragmented-av.mp4 \
  audiotestsrc num-buffers=141 ! audio/x-raw,rate=48000 ! avenc_aac bitrate=16000 ! aacparse ! queue ! m.
ls -l gst-fragmented-av.mp4

# 20. (session 17) GStreamer's splitmuxsink over the same fragmented mp4mux: 6 s split into two 3 s
#     files; the second's decode times start at 0, its fragment index counts from 3 s (the
#     recording's running time). Honest, to be left clean
gst-launch-1.0 -q -e videotestsrc num-buffers=150 ! video/x-raw,width=128,height=72,framerate=25/1 \
  ! x264enc key-int-max=25 speed-preset=ultrafast bitrate=64 ! h264parse \
  ! splitmuxsink muxer="mp4mux fragment-duration=1000" max-size-time=3000000000 location=split-%02d.mp4
mv split-01.mp4 gst-split-second-file.mp4
rm -f split-00.mp4
ls -l gst-split-second-file.mp4

# 21. (session 17) GStreamer's mp4mux, fragmented, 2 s of Opus: the first frame lasts 960 ticks less
#     the pre-skip (648), the others 960. Honest, to be left clean
gst-launch-1.0 -q -e audiotestsrc num-buffers=100 ! audio/x-raw,rate=48000 ! opusenc bitrate=16000 \
  ! mp4mux fragment-duration=1000 ! filesink location=gst-fragmented-opus.mp4
ls -l gst-fragmented-opus.mp4

# 22. (session 17) ffmpeg's fragmented form without an edit list, 3 s of 10 fps video and 8 kHz AAC:
#     the video's first frame holds the audio's priming, one AAC frame of 1024 samples (128 ms).
#     Honest, to be left clean
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=64x36:rate=10 -f lavfi -i sine=frequency=440:sample_rate=8000 \
  -t 3 -c:v libx264 -preset ultrafast -g 10 -pix_fmt yuv420p -c:a aac -b:a 16k \
  -flags +bitexact -fflags +bitexact -movflags frag_keyframe+empty_moov+default_base_moof \
  -metadata creation_time=2023-06-01T14:00:00Z fragmented-aac-8khz.mp4
ls -l fragmented-aac-8khz.mp4

# 23. (session 17) GStreamer's qtmux, fragmented: brand "qt  ", a movie header of 0 s, 3 s of video
#     and AAC in 1 s fragments. Runs 3 s; honest, to be left clean
gst-launch-1.0 -q -e videotestsrc num-buffers=75 ! video/x-raw,width=128,height=72,framerate=25/1 \
  ! x264enc key-int-max=25 speed-preset=ultrafast bitrate=64 ! h264parse ! queue \
  ! qtmux fragment-duration=1000 name=m ! filesink location=gst-fragmented-qt.mov \
  audiotestsrc num-buffers=141 ! audio/x-raw,rate=48000 ! avenc_aac bitrate=16000 ! aacparse ! queue ! m.
ls -l gst-fragmented-qt.mov

# 24. (session 17) GStreamer's mp4mux fragment-mode=first-moov-then-finalise, 3 s of video and AAC:
#     one media box round everything and a movie box at the end indexing every sample; the first
#     movie box (renamed hoov) and the fragments' headers are left between the samples. Honest
gst-launch-1.0 -q -e videotestsrc num-buffers=75 ! video/x-raw,width=128,height=72,framerate=25/1 \
  ! x264enc key-int-max=25 speed-preset=ultrafast bitrate=64 ! h264parse ! queue \
  ! mp4mux fragment-duration=1000 fragment-mode=first-moov-then-finalise name=m \
  ! filesink location=gst-first-moov-then-finalise.mp4 \
  audiotestsrc num-buffers=141 ! audio/x-raw,rate=48000 ! avenc_aac bitrate=16000 ! aacparse ! queue ! m.
ls -l gst-first-moov-then-finalise.mp4

# 25. (session 18) a recording with a sparse caption track, as packagers write captions: 16 s of
#     5 fps video and two 3GPP timed-text cues (0.5-1.5 s, 14-15 s); ffmpeg's mov_text writes the
#     silence between them as one sample of 12.5 s (caption-tx3g.mp4), and in fragments as cues
#     whose decode times lie far apart (caption-tx3g-fragmented.mp4). Honest: no gap
printf '1\n00:00:00,500 --> 00:00:01,500\nStart\n\n2\n00:00:14,000 --> 00:00:15,000\nLater\n' > cues.srt
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=64x36:rate=5 -i cues.srt -t 16 -c:v libx264 -preset ultrafast \
  -g 5 -pix_fmt yuv420p -c:s mov_text -flags +bitexact -fflags +bitexact \
  -metadata creation_time=2023-06-01T14:00:00Z caption-tx3g.mp4
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=64x36:rate=5 -i cues.srt -t 16 -c:v libx264 -preset ultrafast \
  -g 5 -pix_fmt yuv420p -c:s mov_text -flags +bitexact -fflags +bitexact \
  -movflags frag_keyframe+empty_moov+default_base_moof \
  -metadata creation_time=2023-06-01T14:00:00Z caption-tx3g-fragmented.mp4
rm -f cues.srt
ls -l caption-tx3g.mp4 caption-tx3g-fragmented.mp4

# 26. (session 18) ffmpeg's HLS muxer with fMP4 segments, 6 s of 10 fps video and 8 kHz AAC in 2 s
#     segments: the initialization segment (hls-init.mp4, a movie box and no samples) and the second
#     and third media segments (styp sidx moof mdat, fragment numbers 2 and 3), as a packager or a
#     recorder joining the stream part-way leaves them. The first segment and the playlist removed
mkdir -p hls.tmp
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=64x36:rate=10 -f lavfi -i sine=frequency=440:sample_rate=8000 \
  -t 6 -c:v libx264 -preset ultrafast -g 10 -bf 0 -pix_fmt yuv420p -c:a aac -b:a 16k \
  -flags +bitexact -fflags +bitexact -hls_time 2 -hls_segment_type fmp4 -f hls hls.tmp/p.m3u8
mv hls.tmp/init.mp4 hls-init.mp4
mv hls.tmp/p1.m4s hls-segment-2.m4s
mv hls.tmp/p2.m4s hls-segment-3.m4s
rm -rf hls.tmp
ls -l hls-init.mp4 hls-segment-2.m4s hls-segment-3.m4s

# 27. (session 18) ffmpeg's CMAF form (-movflags +cmaf), 3 s of 10 fps video and 8 kHz AAC: its
#     fragment index lists the AAC frames one frame (1024 ticks, 128 ms) before their decode time,
#     past the 100 ms of priming allowed otherwise. Honest, to be left clean
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=64x36:rate=10 -f lavfi -i sine=frequency=440:sample_rate=8000 \
  -t 3 -c:v libx264 -preset ultrafast -g 10 -bf 0 -pix_fmt yuv420p -c:a aac -b:a 16k \
  -flags +bitexact -fflags +bitexact -movflags +cmaf \
  -metadata creation_time=2023-06-01T14:00:00Z cmaf-aac-8khz.mp4
ls -l cmaf-aac-8khz.mp4

# 28. (session 18) ffmpeg's HLS muxer writing one fMP4 file (-hls_flags single_file), 4 s of 10 fps
#     video and 8 kHz AAC: the video's edit list opens with an empty edit of 128 ms, one AAC frame
#     at 8 kHz (the audio's priming), and runs to the end with a duration of 0. Honest
mkdir -p hls.tmp
ffmpeg "${common[@]}" -f lavfi -i testsrc=size=64x36:rate=10 -f lavfi -i sine=frequency=440:sample_rate=8000 \
  -t 4 -c:v libx264 -preset ultrafast -g 10 -bf 0 -pix_fmt yuv420p -c:a aac -b:a 16k \
  -flags +bitexact -fflags +bitexact -hls_time 2 -hls_segment_type fmp4 -hls_flags single_file \
  -f hls hls.tmp/p.m3u8
mv hls.tmp/p.m4s hls-single-file.mp4
rm -rf hls.tmp
ls -l hls-single-file.mp4
