package org.evidencekit.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.TreeHasher;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.Seal;
import org.jspecify.annotations.Nullable;

/** Releases each segment only after it checked out against the seal; fails for good otherwise. */
final class VerifyingChannel implements ReadableByteChannel {
  private final ReadableByteChannel source;
  private final Seal seal;
  private final List<HashAlgorithm> algorithms;
  private final TreeHasher[] hashers;
  private final byte[] buffer;
  private int segment;
  private int available;
  private int position;
  private boolean endChecked;
  private @Nullable IntegrityException failure;

  VerifyingChannel(ReadableByteChannel source, Seal seal) {
    this.source = source;
    this.seal = seal;
    this.algorithms = seal.suite().algorithms();
    this.hashers = new TreeHasher[algorithms.size()];
    for (int i = 0; i < hashers.length; i++) {
      hashers[i] = new TreeHasher(algorithms.get(i));
    }
    this.buffer = new byte[(int) Math.min(seal.segmentSize(), Math.max(1, seal.length()))];
    for (HashAlgorithm a : algorithms) {
      if (!seal.computeRoot(a).equals(seal.root(a))) {
        fail(
            FindingCode.SEAL_ROOT_MISMATCH,
            "the seal's " + a + " leaf hashes do not fold to its stored root",
            null);
        break;
      }
      // a checkpoint that is not a prefix of the tree: the seal was altered, as for verify
      List<Finding> cp = new java.util.ArrayList<>();
      Verifier.checkpointMismatches(seal, a, cp);
      if (!cp.isEmpty()) {
        fail(cp.get(0).code(), cp.get(0).message(), null);
        break;
      }
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!source.isOpen()) {
      throw new ClosedChannelException();
    }
    if (failure != null) {
      throw failure;
    }
    if (position == available) {
      if (segment == seal.segmentCount()) {
        checkEnd();
        return -1;
      }
      loadSegment();
    }
    int n = Math.min(dst.remaining(), available - position);
    dst.put(buffer, position, n);
    position += n;
    return n;
  }

  private void loadSegment() throws IOException {
    ByteRange r = seal.segmentRange(segment);
    int want = (int) r.length();
    int got = Verifier.readFully(source, buffer, want);
    if (got < want) {
      throw fail(
          FindingCode.CONTENT_TRUNCATED,
          "content ends at byte " + (r.offset() + got) + ", sealed " + seal.length() + " bytes",
          new ByteRange(r.offset() + got, seal.length() - r.offset() - got));
    }
    for (int a = 0; a < hashers.length; a++) {
      Digest leaf = Digest.of(hashers[a].leaf(buffer, 0, want));
      if (!leaf.equals(seal.leafHash(algorithms.get(a), segment))) {
        throw fail(
            FindingCode.SEGMENT_MODIFIED,
            "segment " + segment + " " + r + " differs from the seal (" + algorithms.get(a) + ")",
            r);
      }
    }
    segment++;
    available = want;
    position = 0;
  }

  private void checkEnd() throws IOException {
    if (endChecked) {
      return;
    }
    ByteBuffer one = ByteBuffer.allocate(1);
    int r;
    do {
      r = source.read(one);
    } while (r == 0);
    if (r > 0) {
      throw fail(
          FindingCode.CONTENT_EXTENDED,
          "content continues after the sealed " + seal.length() + " bytes",
          new ByteRange(seal.length(), 1));
    }
    endChecked = true;
  }

  private IntegrityException fail(String code, String message, @Nullable ByteRange range) {
    failure = new IntegrityException(code, message, range);
    available = 0;
    position = 0;
    return failure;
  }

  @Override
  public boolean isOpen() {
    return source.isOpen();
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
