package org.evidencekit.crypt;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.SecureRandom;
import java.util.Arrays;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.jspecify.annotations.Nullable;

/**
 * Seals and encrypts in one pass: plaintext written here is hashed into a seal and written
 * to the destination as segmented AEAD ciphertext under a fresh data key, wrapped by a {@link
 * KeyEncryptionKey}. {@link #finish()} seals the last segment together with the seal's roots and
 * returns the seal (over the plaintext). Segments are encrypted in parallel on an executor (they
 * are independent: each has its own nonce) and written in order; memory is bounded by the segments
 * in flight. Not thread-safe.
 */
public final class EncryptingChannel implements WritableByteChannel {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WritableByteChannel destination;
  private final SealingChannel sealing;
  private final Header header;
  private final byte[] fixed;
  private final AeadSuite suite;
  private final byte[] dataKey;
  private final java.util.concurrent.Executor executor;
  private final int maxInFlight;
  private final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<byte[]>> inFlight =
      new java.util.ArrayDeque<>();
  private byte[] plain;
  private SegmentCipher inlineCipher;
  private byte[] inlineOut;
  private int filled;
  private boolean pendingFull;
  private byte[] pending;
  private long index;
  private boolean headerWritten;
  private boolean open = true;

  EncryptingChannel(
      WritableByteChannel destination,
      Sealer sealer,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      java.util.concurrent.Executor executor,
      int maxInFlight,
      long expectedLength,
      byte @Nullable [] noncePrefix)
      throws IOException {
    this.destination = requireNonNull(destination, "destination");
    this.executor = requireNonNull(executor, "executor");
    if (maxInFlight < 1 || maxInFlight > 1024) {
      throw new IllegalArgumentException("maxInFlight must be 1 to 1024, not " + maxInFlight);
    }
    requireNonNull(sealer, "sealer");
    this.suite = requireNonNull(suite, "suite");
    requireNonNull(kek, "kek");
    if (segmentSize < Header.MIN_SEGMENT || segmentSize > Header.MAX_SEGMENT) {
      throw new IllegalArgumentException(
          "segment size must be 4 KiB to 64 MiB, not " + segmentSize);
    }
    this.maxInFlight = maxInFlight;
    this.sealing = sealer.newSealingChannel(expectedLength); // checks the hint
    byte[] prefix = noncePrefix != null ? noncePrefix.clone() : new byte[7];
    if (noncePrefix == null) {
      RANDOM.nextBytes(prefix);
    }
    this.dataKey = new byte[suite.keyLength()];
    RANDOM.nextBytes(dataKey);
    Header h = new Header(suite, segmentSize, prefix, kek.keyId(), new byte[1]);
    this.fixed = h.fixed();
    this.header = h.withKey(kek.keyId(), kek.wrap(dataKey, fixed));
    this.plain = new byte[segmentSize];
    this.pending = new byte[segmentSize];
  }

  /**
   * Creates a channel that seals with {@code sealer} and encrypts with {@code suite} in segments of
   * {@code segmentSize} bytes (4 KiB to 64 MiB).
   */
  public static EncryptingChannel create(
      WritableByteChannel destination,
      Sealer sealer,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek)
      throws IOException {
    return create(destination, sealer, suite, segmentSize, kek, -1);
  }

  /**
   * As {@link #create(WritableByteChannel, Sealer, AeadSuite, int, KeyEncryptionKey)}, for a caller
   * that knows how many plaintext bytes it will write (say, the size of the file it encrypts). Only
   * a hint for the sealer ({@link Sealer#newSealingChannel(WritableByteChannel, long)}: while the
   * SM3 lanes are cold, a short input is hashed on the scalar code, which finishes it sooner); the
   * seal and what decrypts are the same whatever it says.
   *
   * @param expectedLength the plaintext bytes expected, or -1 if not known
   */
  public static EncryptingChannel create(
      WritableByteChannel destination,
      Sealer sealer,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      long expectedLength)
      throws IOException {
    return new EncryptingChannel(
        destination,
        sealer,
        suite,
        segmentSize,
        kek,
        CryptPool.EXECUTOR,
        defaultInFlight(suite),
        expectedLength,
        null);
  }

  /**
   * Segments encrypted at once by default: AES-GCM with AES-NI is cheaper than the hashing, so
   * handing its segments to other threads costs more in copies than it saves; software SM4 is the
   * slow part and gains from running beside the hashing.
   */
  private static int defaultInFlight(AeadSuite suite) {
    return suite == AeadSuite.AES_256_GCM ? 1 : 2 * Runtime.getRuntime().availableProcessors();
  }

  /**
   * As {@link #create(WritableByteChannel, Sealer, AeadSuite, int, KeyEncryptionKey, long)}, with
   * the header's nonce prefix {@code noncePrefix} instead of a random one, under a fresh data key:
   * for an archive that stores again, from the original, the content of a recording whose {@code
   * sealed} entry logged that prefix ({@link EncryptedRecording#checkStored(SeekableByteChannel,
   * Seal, AeadSuite, String, String)}), so the restored copy is in the form the entry names. A
   * nonce is never used twice under one key: the data key is new.
   *
   * @param noncePrefix 14 hex digits (case ignored)
   * @throws IllegalArgumentException if {@code noncePrefix} is not 14 hex digits
   */
  public static EncryptingChannel create(
      WritableByteChannel destination,
      Sealer sealer,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      long expectedLength,
      String noncePrefix)
      throws IOException {
    byte[] prefix = Header.parseNoncePrefix(requireNonNull(noncePrefix, "noncePrefix"));
    return new EncryptingChannel(
        destination,
        sealer,
        suite,
        segmentSize,
        kek,
        CryptPool.EXECUTOR,
        defaultInFlight(suite),
        expectedLength,
        prefix);
  }

  /**
   * As {@link #create(WritableByteChannel, Sealer, AeadSuite, int, KeyEncryptionKey)}, encrypting
   * on {@code executor} with at most {@code maxInFlight} segments queued or running (memory: about
   * two segments each). {@code maxInFlight = 1} encrypts on the writing thread, without copies.
   */
  public static EncryptingChannel create(
      WritableByteChannel destination,
      Sealer sealer,
      AeadSuite suite,
      int segmentSize,
      KeyEncryptionKey kek,
      java.util.concurrent.Executor executor,
      int maxInFlight)
      throws IOException {
    return new EncryptingChannel(
        destination, sealer, suite, segmentSize, kek, executor, maxInFlight, -1, null);
  }

  /**
   * The random nonce prefix of the ciphertext's authenticated header, as lowercase hex: what an
   * archive logs so that another encryption of the same plaintext stored in this one's place (an
   * older copy, or a re-encryption under a fresh data key) is told apart without any key ({@link
   * EncryptedRecording#checkStored}). Key rotation ({@link EncryptedRecording#rewrap}) keeps it.
   */
  public String noncePrefix() {
    return header.noncePrefixHex();
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int n = src.remaining();
    ByteBuffer dup = src.duplicate();
    while (dup.hasRemaining()) {
      sealing.write(dup);
    }
    while (src.hasRemaining()) {
      if (filled == plain.length) {
        flushPending();
        // Hold the full segment back (the last one is sealed differently) by swapping buffers.
        byte[] t = pending;
        pending = plain;
        plain = t;
        pendingFull = true;
        filled = 0;
      }
      int k = Math.min(src.remaining(), plain.length - filled);
      src.get(plain, filled, k);
      filled += k;
    }
    return n;
  }

  /** Emits the held-back full segment: more data followed it, so it is not the last. */
  private void flushPending() throws IOException {
    if (pendingFull) {
      emit(pending, plain.length, false, fixed);
      pendingFull = false;
    }
  }

  private void emit(byte[] data, int len, boolean last, byte[] aad) throws IOException {
    if (!headerWritten) {
      ChannelIo.writeFully(destination, header.encode());
      headerWritten = true;
    }
    byte[] nonce = Header.nonce(header.noncePrefix, index++, last);
    if (maxInFlight == 1) {
      if (inlineCipher == null) {
        inlineCipher = SegmentCipher.of(suite, dataKey);
        inlineOut = new byte[plain.length + SegmentCipher.TAG];
      }
      int c = inlineCipher.encrypt(nonce, aad, data, 0, len, inlineOut);
      ChannelIo.writeFully(destination, ByteBuffer.wrap(inlineOut, 0, c));
      return;
    }
    byte[] segment = Arrays.copyOf(data, len);
    inFlight.add(
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              byte[] out = new byte[len + SegmentCipher.TAG];
              try {
                SegmentCipher.of(suite, dataKey).encrypt(nonce, aad, segment, 0, len, out);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              } finally {
                Arrays.fill(segment, (byte) 0);
              }
              return out;
            },
            executor));
    while (inFlight.size() >= maxInFlight || (last && !inFlight.isEmpty())) {
      writeNext();
    }
  }

  /** Waits for the oldest segment in flight and writes it. */
  private void writeNext() throws IOException {
    byte[] ct;
    try {
      ct = inFlight.removeFirst().join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable c =
          e.getCause() instanceof java.io.UncheckedIOException
              ? e.getCause().getCause()
              : e.getCause();
      throw c instanceof IOException ? (IOException) c : new IOException("encryption failed", c);
    }
    ChannelIo.writeFully(destination, ct);
  }

  /**
   * Writes the last segment, bound to the seal, and returns the seal of the plaintext. The
   * destination is not closed.
   */
  public Seal finish() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    open = false;
    Seal seal = sealing.finish();
    byte[] aad = Header.concat(fixed, Header.binding(seal));
    if (filled == 0 && pendingFull) {
      emit(pending, plain.length, true, aad);
    } else {
      flushPending();
      emit(plain, filled, true, aad);
    }
    Arrays.fill(plain, (byte) 0);
    Arrays.fill(pending, (byte) 0);
    Arrays.fill(dataKey, (byte) 0);
    return seal;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Abandons the encryption unless finished; the destination holds an unusable prefix. */
  @Override
  public void close() throws IOException {
    if (open) {
      open = false;
      sealing.close();
      for (java.util.concurrent.CompletableFuture<byte[]> f : inFlight) {
        f.cancel(false);
      }
      inFlight.clear();
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(pending, (byte) 0);
      Arrays.fill(dataKey, (byte) 0);
    }
  }
}
