package org.evidencekit.crypt;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.seal.Seal;
import org.jspecify.annotations.Nullable;

/**
 * Reads a ciphertext made by {@link EncryptingChannel}: whole or any byte range, reading only the
 * segments needed, authenticating each before releasing a byte of it. Every read needs the seal the
 * ciphertext is bound to; the last segment fails against any other seal. Not thread-safe.
 */
public final class EncryptedRecording {
  private final SeekableByteChannel ch;
  private final Header header;
  private final SegmentCipher cipher;

  /** Ciphers for the segments {@link #newPlaintextChannel} decrypts ahead; empty: none ahead. */
  private final java.util.concurrent.BlockingQueue<SegmentCipher> spare;

  private final int lookahead;
  private final byte[] fixed;
  private final byte[] lastAad;
  private final long segments;
  private final long plaintextLength;
  private final int headerLength;

  /** Whether the last segment, which authenticates the seal, has checked out ({@link #read}). */
  private boolean bound;

  private EncryptedRecording(
      SeekableByteChannel ch,
      Header header,
      SegmentCipher cipher,
      List<SegmentCipher> spare,
      Seal seal)
      throws IOException {
    this.ch = ch;
    this.header = header;
    this.cipher = cipher;
    this.spare =
        new java.util.concurrent.ArrayBlockingQueue<>(Math.max(1, spare.size()), false, spare);
    this.lookahead = spare.size();
    this.fixed = header.fixed();
    this.lastAad = Header.concat(fixed, Header.binding(seal));
    this.headerLength = header.length();
    long size = ch.size();
    this.plaintextLength = plaintextLength(size, header, seal);
    long full = (long) header.segmentSize + SegmentCipher.TAG;
    this.segments = (size - headerLength + full - 1) / full;
  }

  /**
   * The plaintext a ciphertext of {@code size} bytes with this header holds, which must be the
   * seal's length.
   */
  private static long plaintextLength(long size, Header header, Seal seal)
      throws DecryptionException {
    long body = size - header.length();
    long full = (long) header.segmentSize + SegmentCipher.TAG;
    if (body < SegmentCipher.TAG) {
      throw new DecryptionException("ciphertext is truncated: no last segment");
    }
    long n = (body + full - 1) / full;
    long lastLen = body - (n - 1) * full;
    if (lastLen < SegmentCipher.TAG) {
      throw new DecryptionException(
          "ciphertext ends inside a segment tag: truncated or extended by " + lastLen + " bytes");
    }
    long plaintext = (n - 1) * header.segmentSize + (lastLen - SegmentCipher.TAG);
    if (plaintext != seal.length()) {
      throw new DecryptionException(
          "ciphertext holds "
              + plaintext
              + " bytes of plaintext, the seal "
              + seal.length()
              + ": truncated, extended or not this recording's");
    }
    return plaintext;
  }

  /**
   * Checks, without any key, that {@code ciphertext}'s header reads and its size is that of a
   * ciphertext of the seal's length: a cheap check that the stored copy is whole (an export's), not
   * that its bytes are the recording's (only decrypting and verifying says that).
   *
   * @throws DecryptionException for a damaged header, or a ciphertext truncated, extended or of
   *     another length than the seal's
   */
  public static void checkLength(SeekableByteChannel ciphertext, Seal seal) throws IOException {
    requireNonNull(ciphertext, "ciphertext");
    requireNonNull(seal, "seal");
    plaintextLength(ciphertext.size(), Header.read(ciphertext), seal);
  }

  /**
   * As {@link #checkLength}, and that the header names the suite and key id the recording was
   * stored with (as its ledger entry logged them): without the key, a header whose suite or key id
   * was rewritten would otherwise read as merely "no key for it", never as altered.
   * For a recording whose entry logged no nonce prefix (logged before it was); see {@link
   * #checkStored(SeekableByteChannel, Seal, AeadSuite, String, String)}.
   *
   * @throws DecryptionException for a damaged header, a ciphertext truncated, extended or of
   *     another length than the seal's, or a header naming another suite or key id
   */
  public static void checkStored(
      SeekableByteChannel ciphertext, Seal seal, AeadSuite suite, String keyId) throws IOException {
    requireNonNull(ciphertext, "ciphertext");
    requireNonNull(seal, "seal");
    requireNonNull(suite, "suite");
    requireNonNull(keyId, "keyId");
    check(ciphertext, seal, suite, keyId, null);
  }

  /**
   * As {@link #checkStored(SeekableByteChannel, Seal, AeadSuite, String)}, and that the header's
   * random nonce prefix is {@code noncePrefix}, the one the ciphertext had when it was stored
   * ({@link EncryptingChannel#noncePrefix()}). Every encryption draws a new one, and the header
   * that holds it is authenticated with every segment, so without any key this tells the ciphertext
   * stored at ingest from another encryption of the same plaintext put in its place: an older copy,
   * or a re-encryption under a fresh data key, either of which would decrypt and verify against the
   * seal as before. Key rotation ({@link #rewrap}) keeps it.
   *
   * @param noncePrefix 14 hex digits (case ignored)
   * @throws DecryptionException as the other form, or for a header with another nonce prefix
   * @throws IllegalArgumentException if {@code noncePrefix} is not 14 hex digits
   */
  public static void checkStored(
      SeekableByteChannel ciphertext, Seal seal, AeadSuite suite, String keyId, String noncePrefix)
      throws IOException {
    requireNonNull(ciphertext, "ciphertext");
    requireNonNull(seal, "seal");
    requireNonNull(suite, "suite");
    requireNonNull(keyId, "keyId");
    requireNonNull(noncePrefix, "noncePrefix");
    Header.parseNoncePrefix(noncePrefix);
    check(ciphertext, seal, suite, keyId, noncePrefix.toLowerCase(Locale.ROOT));
  }

  private static void check(
      SeekableByteChannel ciphertext,
      Seal seal,
      AeadSuite suite,
      String keyId,
      @Nullable String noncePrefix)
      throws IOException {
    Header h = Header.read(ciphertext);
    if (h.suite != suite) {
      throw new DecryptionException(
          "ciphertext header names suite "
              + h.suite.id()
              + ", the recording was stored with "
              + suite.id()
              + ": header altered");
    }
    if (!h.keyId.equals(keyId)) {
      throw new DecryptionException(
          "ciphertext header names key '"
              + h.keyId
              + "', the recording was stored under '"
              + keyId
              + "': header altered or re-wrapped without a ledger entry");
    }
    if (noncePrefix != null && !h.noncePrefixHex().equals(noncePrefix)) {
      throw new DecryptionException(
          "ciphertext is not the one stored at ingest: its header's nonce prefix is "
              + h.noncePrefixHex()
              + ", the stored one's "
              + noncePrefix
              + " (another encryption of the recording put in its place: an older copy or a"
              + " re-encryption)");
    }
    plaintextLength(ciphertext.size(), h, seal);
  }

  /**
   * Opens a ciphertext with whichever of {@code keks} has the header's key id.
   *
   * @throws NoMatchingKeyException if none of {@code keks} has the header's key id
   * @throws DecryptionException for a damaged header or a key that does not unwrap the data key
   */
  public static EncryptedRecording open(
      SeekableByteChannel ciphertext, Seal seal, List<? extends KeyEncryptionKey> keks)
      throws IOException {
    requireNonNull(ciphertext, "ciphertext");
    requireNonNull(seal, "seal");
    requireNonNull(keks, "keks");
    Header h = Header.read(ciphertext);
    KeyEncryptionKey kek =
        keks.stream()
            .filter(k -> k.keyId().equals(h.keyId))
            .findFirst()
            .orElseThrow(() -> new NoMatchingKeyException(h.keyId));
    byte[] dataKey = kek.unwrap(h.wrappedKey, h.fixed());
    if (dataKey.length != h.suite.keyLength()) {
      throw new DecryptionException("unwrapped data key has the wrong length");
    }
    SegmentCipher c = SegmentCipher.of(h.suite, dataKey);
    List<SegmentCipher> spare = new java.util.ArrayList<>();
    for (int i = lookahead(h.suite, h.segmentSize); i > 0; i--) {
      spare.add(SegmentCipher.of(h.suite, dataKey));
    }
    Arrays.fill(dataKey, (byte) 0);
    return new EncryptedRecording(ciphertext, h, c, spare, seal);
  }

  /**
   * How many segments {@link #newPlaintextChannel} decrypts ahead, on other cores. SM4-GCM is
   * slower than the hashing that usually consumes the plaintext (a sweep verifies it against its
   * seal), so with more than one core its segments are decrypted in parallel: two per core, at most
   * a quarter of the heap for their ciphertext and plaintext. AES-GCM with AES-NI is faster than
   * any consumer: it stays on the reading thread, as it is encrypted on the writing one.
   */
  private static int lookahead(AeadSuite suite, int segmentSize) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (suite != AeadSuite.SM4_GCM || cores < 2) {
      return 0;
    }
    long fit = Runtime.getRuntime().maxMemory() / 4 / (2L * (segmentSize + SegmentCipher.TAG));
    return (int) Math.min(2L * cores, fit);
  }

  public AeadSuite suite() {
    return header.suite;
  }

  public String keyId() {
    return header.keyId;
  }

  /**
   * The header's random nonce prefix, 14 lowercase hex digits: what a {@code sealed} entry logs to
   * name this one ciphertext ({@link EncryptingChannel#noncePrefix()}).
   */
  public String noncePrefix() {
    return header.noncePrefixHex();
  }

  public long plaintextLength() {
    return plaintextLength;
  }

  public int segmentSize() {
    return header.segmentSize;
  }

  /** Authenticates and decrypts segment {@code i}; returns its plaintext. */
  private byte[] segment(long i) throws IOException {
    return decrypt(cipher, i, ciphertext(i));
  }

  /** Reads segment {@code i}'s ciphertext and tag. */
  private byte[] ciphertext(long i) throws IOException {
    boolean last = i == segments - 1;
    long full = (long) header.segmentSize + SegmentCipher.TAG;
    int len = last ? (int) (ch.size() - headerLength - i * full) : (int) full;
    ch.position(headerLength + i * full);
    return Header.readFully(ch, len, "segment " + i).array();
  }

  /** Authenticates and decrypts segment {@code i} from its ciphertext {@code b} with {@code c}. */
  private byte[] decrypt(SegmentCipher c, long i, byte[] b) throws IOException {
    boolean last = i == segments - 1;
    int len = b.length;
    byte[] scratch = new byte[len];
    int n =
        c.decrypt(
            Header.nonce(header.noncePrefix, i, last), last ? lastAad : fixed, b, 0, len, scratch);
    if (n < 0) {
      throw new DecryptionException(
          "segment "
              + i
              + " of "
              + segments
              + " fails authentication"
              + (last
                  ? ": altered, truncated, reordered, or not bound to this seal"
                  : ": altered, moved or from another ciphertext"));
    }
    return Arrays.copyOf(scratch, n);
  }

  /**
   * A channel of the plaintext, one authenticated segment at a time: a byte is released only after
   * its whole segment checked out; a failed segment ends the stream with a {@link
   * DecryptionException}, and every read after it fails the same way. SM4-GCM segments are
   * decrypted a few ahead on other cores (see {@link #lookahead}); the ciphertext is still read in
   * order on the calling thread, and a segment's plaintext is released only in order. The segments
   * decrypted ahead run on a pool of daemon threads shared by the JVM (one per core, idle ones
   * exit); {@link #newPlaintextChannel(Executor)} names another.
   */
  public java.nio.channels.ReadableByteChannel newPlaintextChannel() {
    return newPlaintextChannel(CryptPool.EXECUTOR);
  }

  /**
   * As {@link #newPlaintextChannel()}, decrypting SM4-GCM segments ahead on {@code decryptAhead},
   * which is never shut down by this channel (closing the channel cancels what has not started).
   */
  public java.nio.channels.ReadableByteChannel newPlaintextChannel(Executor decryptAhead) {
    requireNonNull(decryptAhead, "decryptAhead");
    return new java.nio.channels.ReadableByteChannel() {
      private long next; // the next segment released
      private long read; // the next segment whose ciphertext is read (decrypting ahead)
      private final java.util.ArrayDeque<java.util.concurrent.Future<byte[]>> ahead =
          new java.util.ArrayDeque<>();
      private ByteBuffer current = ByteBuffer.allocate(0);
      private IOException failure;
      private boolean open = true;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        if (!open) {
          throw new java.nio.channels.ClosedChannelException();
        }
        if (failure != null) {
          throw failure;
        }
        try {
          while (!current.hasRemaining()) {
            if (next >= segments) {
              return -1;
            }
            current = ByteBuffer.wrap(lookahead == 0 ? segment(next) : ahead());
            next++;
          }
        } catch (IOException e) {
          failure = e; // every later read fails the same way
          cancelAhead();
          throw e;
        }
        int n = Math.min(dst.remaining(), current.remaining());
        ByteBuffer slice = current.slice();
        slice.limit(n);
        dst.put(slice);
        current.position(current.position() + n);
        return n;
      }

      /** Segment {@code next}, decrypted ahead; tops the queue up to the look-ahead first. */
      private byte[] ahead() throws IOException {
        while (ahead.size() < lookahead && read < segments) {
          long i = read++;
          byte[] ct = ciphertext(i);
          FutureTask<byte[]> task =
              new FutureTask<>(
                  () -> {
                    SegmentCipher c = spare.take();
                    try {
                      return decrypt(c, i, ct);
                    } finally {
                      spare.add(c);
                    }
                  });
          decryptAhead.execute(task);
          ahead.add(task);
        }
        try {
          return ahead.remove().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof IOException) {
            throw (IOException) e.getCause();
          }
          throw new IllegalStateException("decrypting segment " + next + " failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while decrypting");
        }
      }

      @Override
      public boolean isOpen() {
        return open;
      }

      private void cancelAhead() {
        for (java.util.concurrent.Future<byte[]> f : ahead) {
          f.cancel(false); // a running one finishes and hands its cipher back
        }
        ahead.clear();
      }

      @Override
      public void close() {
        open = false;
        cancelAhead();
      }
    };
  }

  /** Whether {@code ch} starts like a ciphertext of this format (a sniff, not a check). */
  public static boolean looksEncrypted(SeekableByteChannel ch) throws IOException {
    if (ch.size() < Header.FIXED) {
      return false;
    }
    ch.position(0);
    ByteBuffer b = Header.readFully(ch, Header.MAGIC.length, "magic");
    return Arrays.equals(b.array(), Header.MAGIC);
  }

  /**
   * Decrypts everything to {@code out}, in order, through {@link #newPlaintextChannel} (so SM4-GCM
   * segments are decrypted ahead on other cores); a segment that fails stops it before any of its
   * bytes are written.
   */
  public void decryptTo(WritableByteChannel out) throws IOException {
    requireNonNull(out, "out");
    try (java.nio.channels.ReadableByteChannel plain = newPlaintextChannel()) {
      ChannelIo.copy(plain, out);
    }
  }

  /**
   * Decrypts plaintext bytes {@code [offset, offset + length)}, reading only their segments and,
   * once per recording, the last segment: it alone authenticates the seal, and every segment shares
   * its data key and nonce prefix, so a range of another recording's ciphertext is refused as not
   * bound to this seal before a byte is released.
   */
  public byte[] read(long offset, int length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > plaintextLength) {
      throw new IllegalArgumentException(
          "range [" + offset + ", " + (offset + length) + ") is outside " + plaintextLength);
    }
    if (!bound) {
      segment(segments - 1); // bound to this seal, or a DecryptionException
      bound = true;
    }
    byte[] result = new byte[length];
    int done = 0;
    while (done < length) {
      long p = offset + done;
      long i = p / header.segmentSize;
      byte[] s = segment(i);
      int from = (int) (p - i * header.segmentSize);
      int k = Math.min(length - done, s.length - from);
      System.arraycopy(s, from, result, done, k);
      done += k;
    }
    return result;
  }

  /**
   * Key rotation: writes the same ciphertext with the data key re-wrapped under {@code newKek};
   * segments are copied unchanged, nothing is decrypted.
   */
  public static void rewrap(
      SeekableByteChannel in,
      WritableByteChannel out,
      KeyEncryptionKey oldKek,
      KeyEncryptionKey newKek)
      throws IOException {
    Header h = Header.read(in);
    if (!h.keyId.equals(oldKek.keyId())) {
      throw new DecryptionException(
          "ciphertext is wrapped by '" + h.keyId + "', not '" + oldKek.keyId() + "'");
    }
    byte[] dataKey = oldKek.unwrap(h.wrappedKey, h.fixed());
    Header moved = h.withKey(newKek.keyId(), newKek.wrap(dataKey, h.fixed()));
    Arrays.fill(dataKey, (byte) 0);
    ChannelIo.writeFully(out, moved.encode());
    in.position(h.length());
    ChannelIo.copy(in, out);
  }
}
