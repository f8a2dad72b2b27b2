package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Samples of a moov track, decoded lazily from its sample tables (stts, ctts, stss, stsz/stz2,
 * stsc, stco/co64) held as validated slices of the moov: nothing is allocated per sample.
 */
final class TableSamples implements Iterable<Sample> {
  ByteBuffer stts;
  int sttsCount;
  ByteBuffer ctts;
  int cttsCount;
  ByteBuffer stss;
  int stssCount = -1; // -1: no stss, every sample is a sync sample
  ByteBuffer stsz;
  int fieldSize = 32; // stz2 may use 4, 8 or 16
  long fixedSize;
  long sampleCount;
  ByteBuffer stsc;
  int stscCount;
  ByteBuffer chunkOffsets;
  int chunkCount;
  boolean co64;

  long sttsSampleTotal() {
    long n = 0;
    ByteBuffer b = stts.duplicate();
    for (int i = 0; i < sttsCount; i++) {
      n += Integer.toUnsignedLong(b.getInt());
      b.getInt();
    }
    return n;
  }

  @Override
  public Iterator<Sample> iterator() {
    return new Cursor();
  }

  private final class Cursor implements Iterator<Sample> {
    private final ByteBuffer tts = stts.duplicate();
    private final ByteBuffer cts = ctts == null ? null : ctts.duplicate();
    private final ByteBuffer sync = stss == null ? null : stss.duplicate();
    private final ByteBuffer sizes = stsz == null ? null : stsz.duplicate();
    private final ByteBuffer sc = stsc.duplicate();
    private final ByteBuffer co = chunkOffsets.duplicate();
    private final long total = Math.min(sampleCount, sttsSampleTotal());
    private long index;
    private long dts;
    private int ttsLeft;
    private long ttsDelta;
    private int ttsEntries;
    private int ctsLeft;
    private long ctsOffset;
    private int ctsEntries;
    private int syncEntries;
    private long nextSync = -1;
    private int stscEntries;
    private long chunk; // 1-based, current chunk
    private long chunkSamplesLeft;
    private long samplesPerChunk;
    private long nextRunFirstChunk = -1;
    private long nextRunSamples;
    private long offset = -1;
    private int nibble = -1;

    Cursor() {
      if (sync != null && stssCount > 0) {
        nextSync = Integer.toUnsignedLong(sync.getInt());
        syncEntries = 1;
      }
      readStscRun();
    }

    private void readStscRun() {
      if (stscEntries < stscCount) {
        nextRunFirstChunk = Integer.toUnsignedLong(sc.getInt());
        nextRunSamples = Integer.toUnsignedLong(sc.getInt());
        sc.getInt();
        stscEntries++;
      } else {
        nextRunFirstChunk = -1;
      }
    }

    @Override
    public boolean hasNext() {
      return index < total;
    }

    @Override
    public Sample next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      while (ttsLeft == 0 && ttsEntries < sttsCount) {
        ttsLeft = tts.getInt();
        ttsDelta = Integer.toUnsignedLong(tts.getInt());
        ttsEntries++;
      }
      ttsLeft--;
      long compOffset = 0;
      if (cts != null) {
        while (ctsLeft == 0 && ctsEntries < cttsCount) {
          ctsLeft = cts.getInt();
          ctsOffset = cts.getInt();
          ctsEntries++;
        }
        if (ctsLeft > 0) {
          ctsLeft--;
          compOffset = ctsOffset;
        }
      }
      boolean isSync;
      if (sync == null) {
        isSync = true;
      } else {
        isSync = index + 1 == nextSync;
        if (isSync) {
          nextSync = syncEntries < stssCount ? Integer.toUnsignedLong(sync.getInt()) : -1;
          syncEntries++;
        }
      }
      long size = nextSize();
      long off = nextOffset(size);
      Sample s = new Sample(index, dts, compOffset, ttsDelta, off, size, isSync);
      dts += ttsDelta;
      index++;
      return s;
    }

    private long nextSize() {
      if (sizes == null) {
        return fixedSize;
      }
      switch (fieldSize) {
        case 4:
          if (nibble < 0) {
            int b = sizes.get() & 0xff;
            nibble = b & 0x0f;
            return b >>> 4;
          }
          int v = nibble;
          nibble = -1;
          return v;
        case 8:
          return sizes.get() & 0xff;
        case 16:
          return sizes.getShort() & 0xffff;
        default:
          return Integer.toUnsignedLong(sizes.getInt());
      }
    }

    private long nextOffset(long size) {
      if (chunkSamplesLeft == 0) {
        chunk++;
        while (nextRunFirstChunk != -1 && chunk >= nextRunFirstChunk) {
          samplesPerChunk = nextRunSamples;
          readStscRun();
        }
        if (chunk > chunkCount || samplesPerChunk == 0) {
          offset = -1;
          chunkSamplesLeft = Long.MAX_VALUE; // unknown from here on
        } else {
          int at = (int) ((chunk - 1) * (co64 ? 8 : 4));
          offset = co64 ? co.getLong(at) : Integer.toUnsignedLong(co.getInt(at));
          chunkSamplesLeft = samplesPerChunk;
        }
      }
      chunkSamplesLeft--;
      long here = offset;
      if (offset >= 0) {
        offset += size;
      }
      return here;
    }
  }
}
