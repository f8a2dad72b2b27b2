package org.evidencekit.crypt;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealRun;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts plaintext written at positions into a destination that takes positional writes, in the
 * ciphertext format {@link EncryptedRecording} reads (the same as {@link EncryptingChannel}'s: a
 * header, then segments with their own nonces, the last one bound to the seal). Give it to {@link
 * Sealer#sealInto} or {@link SealRun#submitInto} as their destination: the hash
 * workers then write each stretch they read here, and the thread that completes a segment encrypts
 * it and writes its ciphertext at its place ({@code header + i x (segment + 16)}), so the content
 * is read once and encrypted in parallel, with no thread copying in order. The last segment
 * authenticates the seal's roots, so it is held back until {@link #finish(Seal)}; then {@link
 * #commit()}.
 *
 * <pre>{@code
 * try (EncryptingObject enc =
 *     EncryptingObject.create(store.create(key), suite, 1 << 20, kek, in.size())) {
 *   Seal seal = sealer.sealInto(in, enc, progress);
 *   enc.finish(seal);
 *   enc.commit();
 * }
 * }</pre>
 *
 * <p>Memory: one buffer of a segment and its tag for each segment being written (as many as the
 * hash workers read at once, a lane batch's worth each with SM3's lanes), plus the held-back last
 * segment. Positional writes may come from several threads at once, each segment's from one or
 * several; {@link #finish} and {@link #commit} come after all of them returned. The destination
 * belongs to this object from {@link #create} on: committing, aborting or closing this one does the
 * same to it.
 */
public final class EncryptingObject implements WritableObject {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WritableObject destination;
  private final AeadSuite suite;
  private final int segmentSize;
  private final long plaintextLength;
  private final long lastIndex;
  private final int headerLength;
  private final byte[] noncePrefix;
  private final byte[] fixed;
  private final byte[] dataKey;

  /** Segments begun and not yet encrypted, by index. */
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

  /** Ciphers of this data key not in use; each thread that completes a segment takes one. */
  private final ConcurrentLinkedQueue<SegmentCipher> ciphers = new ConcurrentLinkedQueue<>();

  /**
   * Whole-segment buffers whose ciphertext is written, for segments not begun yet: at most as many
   * as were ever in use at once, none once every segment has begun.
   */
  private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();

  /** Segments other than the last that have begun to arrive. */
  private final AtomicLong begun = new AtomicLong();

  private final AtomicLong segmentsWritten = new AtomicLong();
  private volatile @Nullable IOException failure;
  private volatile boolean finished;
  private volatile boolean open = true;

  /** A segment's plaintext as it arrives, encrypted in place once complete. */
  private static final class Pending {
    final byte[] buffer;
    final AtomicInteger filled = new AtomicInteger();

    Pending(byte[] buffer) {
      this.buffer = buffer;
    }
  }

  private EncryptingObject(
      WritableObject destination,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      long plaintextLength,
      byte @Nullable [] givenPrefix)
      throws IOException {
    this.destination = destination;
    this.suite = suite;
    this.segmentSize = segmentSize;
    this.plaintextLength = plaintextLength;
    this.lastIndex = plaintextLength == 0 ? 0 : (plaintextLength - 1) / segmentSize;
    if (lastIndex > 0xffffffffL) {
      throw new IllegalArgumentException("more than 2^32 segments");
    }
    if (givenPrefix != null) {
      this.noncePrefix = givenPrefix.clone();
    } else {
      this.noncePrefix = new byte[7];
      RANDOM.nextBytes(this.noncePrefix);
    }
    this.dataKey = new byte[suite.keyLength()];
    RANDOM.nextBytes(dataKey);
    Header h = new Header(suite, segmentSize, noncePrefix, kek.keyId(), new byte[1]);
    this.fixed = h.fixed();
    Header header = h.withKey(kek.keyId(), kek.wrap(dataKey, fixed));
    byte[] encoded = header.encode();
    this.headerLength = encoded.length;
    writeFully(ByteBuffer.wrap(encoded), 0);
  }

  /**
   * Starts the ciphertext of {@code plaintextLength} bytes in {@code destination} under a fresh
   * data key wrapped by {@code kek}, in segments of {@code segmentSize} bytes (4 KiB to 64 MiB; a
   * divisor of the sealer's segment size keeps each segment with the hash worker that reads it).
   * The header is written at once. If this throws, the caller still owns {@code destination}.
   *
   * @throws UnsupportedOperationException if {@code destination} does not take positional writes
   *     (encrypt through {@link EncryptingChannel} then)
   */
  public static EncryptingObject create(
      WritableObject destination,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      long plaintextLength)
      throws IOException {
    return start(destination, suite, segmentSize, kek, plaintextLength, null);
  }

  private static EncryptingObject start(
      WritableObject destination,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      long plaintextLength,
      byte @Nullable [] noncePrefix)
      throws IOException {
    requireNonNull(destination, "destination");
    requireNonNull(suite, "suite");
    requireNonNull(kek, "kek");
    if (segmentSize < Header.MIN_SEGMENT || segmentSize > Header.MAX_SEGMENT) {
      throw new IllegalArgumentException(
          "segment size must be 4 KiB to 64 MiB, not " + segmentSize);
    }
    if (plaintextLength < 0) {
      throw new IllegalArgumentException("plaintextLength must not be negative");
    }
    if (!destination.supportsPositionalWrites()) {
      throw new UnsupportedOperationException(
          destination.key() + " does not take positional writes; use EncryptingChannel");
    }
    return new EncryptingObject(destination, suite, segmentSize, kek, plaintextLength, noncePrefix);
  }

  /**
   * As {@link #create(WritableObject, AeadSuite, int, KeyEncryptionKey, long)}, with the header's
   * nonce prefix {@code noncePrefix} instead of a random one, under a fresh data key: as {@link
   * EncryptingChannel#create(java.nio.channels.WritableByteChannel, org.evidencekit.seal.Sealer,
   * AeadSuite, int, KeyEncryptionKey, long, String)}, for content restored in the form its {@code
   * sealed} entry logged.
   *
   * @param noncePrefix 14 hex digits (case ignored)
   * @throws IllegalArgumentException if {@code noncePrefix} is not 14 hex digits
   */
  public static EncryptingObject create(
      WritableObject destination,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      long plaintextLength,
      String noncePrefix)
      throws IOException {
    byte[] prefix = Header.parseNoncePrefix(requireNonNull(noncePrefix, "noncePrefix"));
    return start(destination, suite, segmentSize, kek, plaintextLength, prefix);
  }

  /**
   * The random nonce prefix of the ciphertext's authenticated header, as lowercase hex: as {@link
   * EncryptingChannel#noncePrefix()}.
   */
  public String noncePrefix() {
    return HexFormat.of().formatHex(noncePrefix);
  }

  @Override
  public ObjectKey key() {
    return destination.key();
  }

  @Override
  public boolean supportsPositionalWrites() {
    return true;
  }

  /** The ciphertext object is what is retained: passed on to it. */
  @Override
  public boolean retainOnCommit(java.time.Instant retainUntil) {
    return destination.retainOnCommit(retainUntil);
  }

  /** Plaintext comes at positions only: {@link #write(ByteBuffer, long)}. */
  @Override
  public int write(ByteBuffer src) {
    throw new IllegalStateException(
        "an encrypting object takes plaintext at positions; use EncryptingChannel to write in order");
  }

  /**
   * Takes plaintext {@code src} at plaintext {@code position}; a segment whose every byte has come
   * (other than the last) is encrypted and written by the calling thread.
   *
   * @throws IOException if the bytes reach past the plaintext length given to {@link #create}, or
   *     arrive twice, or the destination failed
   */
  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    checkWritable();
    int n = src.remaining();
    if (position < 0 || position > plaintextLength - n) {
      throw fail(
          new IOException(
              "plaintext ["
                  + position
                  + ", "
                  + (position + n)
                  + ") is beyond the "
                  + plaintextLength
                  + " bytes declared: the file grew"));
    }
    long pos = position;
    while (src.hasRemaining()) {
      long index = pos / segmentSize;
      int off = (int) (pos - index * segmentSize);
      int length = segmentLength(index);
      int k = Math.min(src.remaining(), length - off);
      Pending p = pending.computeIfAbsent(index, this::begin);
      src.get(p.buffer, off, k);
      int filled = p.filled.addAndGet(k);
      if (filled > length) {
        throw fail(new IOException("segment " + index + " was written twice"));
      }
      if (filled == length && index != lastIndex) {
        pending.remove(index);
        seal(index, p, length, fixed);
      }
      pos += k;
    }
    return n;
  }

  /**
   * Encrypts the last segment, bound to {@code seal} (the seal of exactly the plaintext written
   * here), once every other segment is written. Then {@link #commit()}.
   *
   * @throws IOException if some plaintext never came, the seal is of another length, or the
   *     destination failed
   */
  public void finish(Seal seal) throws IOException {
    requireNonNull(seal, "seal");
    checkWritable();
    if (finished) {
      throw new IllegalStateException("already finished");
    }
    if (seal.length() != plaintextLength) {
      throw fail(
          new IOException(
              "the seal covers "
                  + seal.length()
                  + " bytes, the plaintext is "
                  + plaintextLength
                  + " bytes"));
    }
    int length = segmentLength(lastIndex);
    Pending last = pending.remove(lastIndex);
    spare.clear();
    if (last == null && length == 0) {
      last = new Pending(new byte[SegmentCipher.TAG]);
    }
    if (last == null
        || last.filled.get() != length
        || !pending.isEmpty()
        || segmentsWritten.get() != lastIndex) {
      throw fail(new IOException("plaintext is missing: not every byte was written"));
    }
    seal(lastIndex, last, length, Header.concat(fixed, Header.binding(seal)));
    finished = true;
    Arrays.fill(dataKey, (byte) 0);
  }

  /** Encrypts segment {@code index} in place and writes it at its place in the ciphertext. */
  private void seal(long index, Pending p, int length, byte[] aad) throws IOException {
    SegmentCipher cipher = ciphers.poll();
    if (cipher == null) {
      cipher = SegmentCipher.of(suite, dataKey);
    }
    int c;
    try {
      c =
          cipher.encrypt(
              Header.nonce(noncePrefix, index, index == lastIndex),
              aad,
              p.buffer,
              0,
              length,
              p.buffer);
    } catch (IOException | RuntimeException e) {
      throw fail(e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e));
    }
    ciphers.offer(cipher);
    writeFully(
        ByteBuffer.wrap(p.buffer, 0, c),
        headerLength + index * ((long) segmentSize + SegmentCipher.TAG));
    if (index != lastIndex) {
      segmentsWritten.incrementAndGet();
      if (begun.get() < lastIndex) {
        spare.offer(p.buffer); // else no segment is left to take it: let it go now
      }
    }
  }

  private Pending begin(long index) {
    int length = segmentLength(index);
    if (index == lastIndex) {
      return new Pending(new byte[length + SegmentCipher.TAG]);
    }
    begun.incrementAndGet();
    byte[] b = spare.poll();
    return new Pending(b != null ? b : new byte[segmentSize + SegmentCipher.TAG]);
  }

  private void writeFully(ByteBuffer b, long at) throws IOException {
    try {
      long pos = at;
      while (b.hasRemaining()) {
        pos += destination.write(b, pos);
      }
    } catch (IOException e) {
      throw fail(e);
    }
  }

  private int segmentLength(long index) {
    return (int) Math.min(segmentSize, plaintextLength - index * segmentSize);
  }

  private IOException fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  private void checkWritable() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    IOException f = failure;
    if (f != null) {
      throw new IOException("the encryption failed earlier: " + f.getMessage(), f);
    }
  }

  /**
   * Makes the ciphertext visible, as {@link WritableObject#commit()}.
   *
   * @throws IllegalStateException unless {@link #finish(Seal)} succeeded
   */
  @Override
  public ObjectInfo commit() throws IOException {
    if (!finished || failure != null) {
      throw new IllegalStateException("finish(seal) must succeed before commit");
    }
    open = false;
    return destination.commit();
  }

  @Override
  public void abort() throws IOException {
    discard();
    destination.abort();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Aborts unless committed; the plaintext held and the data key are wiped. */
  @Override
  public void close() throws IOException {
    discard();
    destination.close();
  }

  private void discard() {
    open = false;
    for (Pending p : pending.values()) {
      Arrays.fill(p.buffer, (byte) 0);
    }
    pending.clear();
    spare.clear();
    Arrays.fill(dataKey, (byte) 0);
  }
}
