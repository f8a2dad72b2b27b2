package org.evidencekit.internal.seal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.evidencekit.internal.hash.Hasher;
import org.evidencekit.internal.hash.Sm3;
import org.evidencekit.internal.hash.Sm3Lanes;
import org.evidencekit.internal.seal.SegmentPipeline.Workspace;

/**
 * Hashes a run of equally long segments on the SM3 vector lanes for {@link SegmentPipeline} (SM3
 * has no CPU instructions, so hashing many segments at once is how it approaches SHA-256's speed):
 * the suite's other hashers see each segment's bytes in order, SM3's compression runs on all of
 * them at once, and the scalar {@link Sm3} of each lane does the partial blocks at both ends.
 */
final class LaneHashing {
  private final int width;

  /** Where SM3 is in the suite's algorithms. */
  private final int sm3;

  LaneHashing(int width, int sm3) {
    if (width < 1 || sm3 < 0) {
      throw new IllegalArgumentException("width " + width + ", SM3 at " + sm3);
    }
    this.width = width;
    this.sm3 = sm3;
  }

  /**
   * Hashes {@code count} segments of {@code length} bytes, segment i at {@code offsets[i]} of
   * {@code sources[i]} (a batch may take segments of several files). Each leaf is H(0x00 ||
   * segment), so SM3's blocks start one byte into the segment: lane i's scalar SM3 takes the prefix
   * byte and the segment's first 63 bytes (one block), the lanes compress whole blocks from there,
   * and the scalar SM3 takes the state back for the last partial block.
   */
  void hashFile(
      Workspace ws, RangeSource[] sources, long[] offsets, int length, int count, byte[][][] out)
      throws IOException {
    int chunk = ws.regions[0].capacity();
    int[] state = ws.laneState;
    int[] laneOffsets = ws.laneOffsets;
    // the lanes read the whole buffer at absolute indices, which must lie below its limit: a
    // segment of an earlier batch hashed alone through this buffer left the limit at its last read
    ws.direct.clear();
    for (int i = 0; i < width; i++) {
      // idle lanes compress lane 0's bytes again and are never read out
      laneOffsets[i] = i < count ? i * chunk : 0;
    }
    for (int i = 0; i < count; i++) {
      for (Hasher h : ws.laneHashers[i]) {
        h.reset();
        h.update((byte) 0);
      }
    }
    int pos = 0;
    int head = 63;
    readLanes(ws, sources, offsets, count, pos, head);
    for (int i = 0; i < count; i++) {
      updateAll(ws.laneHashers[i], ws.regions[i], head, -1);
      ((Sm3) ws.laneHashers[i][sm3]).exportState(state, width, i);
    }
    pos = head;
    while (length - pos >= 64) {
      int n = Math.min(chunk, (length - pos) & ~63);
      readLanes(ws, sources, offsets, count, pos, n);
      for (int i = 0; i < count; i++) {
        updateAll(ws.laneHashers[i], ws.regions[i], n, sm3);
      }
      ws.lanes.compress(state, ws.direct, laneOffsets, n >>> 6);
      Sm3Lanes.countBlocks(n >>> 6);
      pos += n;
    }
    int tail = length - pos;
    readLanes(ws, sources, offsets, count, pos, tail);
    for (int i = 0; i < count; i++) {
      ((Sm3) ws.laneHashers[i][sm3]).importState(state, width, i, 1L + pos);
      updateAll(ws.laneHashers[i], ws.regions[i], tail, -1);
      out[i] = SegmentPipeline.finish(ws.laneHashers[i]);
    }
  }

  /** {@link #hashFile} over {@code wss[i].buffer[0, length)}, {@code i < count}. */
  void hashBuffers(Workspace[] wss, int length, int count, byte[][][] out) {
    Workspace lead = wss[0];
    int[] state = lead.laneState;
    int[] offsets = lead.laneOffsets;
    byte[][] data = new byte[width][];
    for (int i = 0; i < width; i++) {
      data[i] = wss[i < count ? i : 0].buffer;
    }
    int head = 63;
    for (int i = 0; i < count; i++) {
      for (Hasher h : wss[i].hashers) {
        h.reset();
        h.update((byte) 0);
        h.update(data[i], 0, head);
      }
      ((Sm3) wss[i].hashers[sm3]).exportState(state, width, i);
    }
    int pos = head;
    while (length - pos >= 64) {
      int n = Math.min(SegmentPipeline.LANE_CHUNK, (length - pos) & ~63);
      for (int i = 0; i < count; i++) {
        Hasher[] hs = wss[i].hashers;
        for (int a = 0; a < hs.length; a++) {
          if (a != sm3) {
            hs[a].update(data[i], pos, n);
          }
        }
      }
      Arrays.fill(offsets, pos);
      lead.lanes.compress(state, data, offsets, n >>> 6);
      Sm3Lanes.countBlocks(n >>> 6);
      pos += n;
    }
    for (int i = 0; i < count; i++) {
      ((Sm3) wss[i].hashers[sm3]).importState(state, width, i, 1L + pos);
      for (Hasher h : wss[i].hashers) {
        h.update(data[i], pos, length - pos);
      }
      out[i] = SegmentPipeline.finish(wss[i].hashers);
    }
  }

  /** Reads {@code [pos, pos + n)} of each of the first {@code count} segments into its region. */
  private static void readLanes(
      Workspace ws, RangeSource[] sources, long[] offsets, int count, int pos, int n)
      throws IOException {
    for (int i = 0; i < count; i++) {
      ByteBuffer r = ws.regions[i];
      r.clear().limit(n);
      long at = offsets[i] + pos;
      while (r.hasRemaining()) {
        if (sources[i].read(r, at + r.position()) < 0) {
          throw new EOFException(
              "file ended at byte " + (at + r.position()) + " while sealing: it shrank");
        }
      }
    }
  }

  /** Gives {@code region[0, n)} to every hasher but {@code skip}. */
  private static void updateAll(Hasher[] hs, ByteBuffer region, int n, int skip) {
    for (int a = 0; a < hs.length; a++) {
      if (a != skip) {
        region.clear().limit(n);
        hs[a].update(region);
      }
    }
  }
}
