package org.evidencekit.crypt;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.security.SecureRandom;
import java.util.Arrays;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;

/**
 * Seals and encrypts in one pass: plaintext written here is hashed into a seal and written
 * to the destination as segmented AEAD ciphertext under a fresh data key, wrapped by a {@link
 * KeyEncryptionKey}. {@link #finish()} seals the last segment together with the seal's roots and
 * returns the seal (over the plaintext). Memory: two segments. Not thread-safe.
 */
public final class EncryptingChannel implements WritableByteChannel {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WritableByteChannel destination;
  private final SealingChannel sealing;
  private final Header header;
  private final byte[] fixed;
  private final SegmentCipher cipher;
  private final byte[] plain;
  private final byte[] out;
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
      KeyEncryptionKey kek)
      throws IOException {
    this.destination = requireNonNull(destination, "destination");
    this.sealing = sealer.newSealingChannel();
    byte[] prefix = new byte[7];
    RANDOM.nextBytes(prefix);
    byte[] dataKey = new byte[suite.keyLength()];
    RANDOM.nextBytes(dataKey);
    Header h = new Header(suite, segmentSize, prefix, kek.keyId(), new byte[1]);
    this.fixed = h.fixed();
    this.header = h.withKey(kek.keyId(), kek.wrap(dataKey, fixed));
    this.cipher = SegmentCipher.of(suite, dataKey);
    Arrays.fill(dataKey, (byte) 0);
    this.plain = new byte[segmentSize];
    this.pending = new byte[segmentSize];
    this.out = new byte[segmentSize + SegmentCipher.TAG];
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
    requireNonNull(sealer, "sealer");
    requireNonNull(suite, "suite");
    requireNonNull(kek, "kek");
    if (segmentSize < Header.MIN_SEGMENT || segmentSize > Header.MAX_SEGMENT) {
      throw new IllegalArgumentException(
          "segment size must be 4 KiB to 64 MiB, not " + segmentSize);
    }
    return new EncryptingChannel(destination, sealer, suite, segmentSize, kek);
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
        byte[] t = pending;
        pending = Arrays.copyOf(plain, plain.length);
        pendingFull = true;
        filled = 0;
        Arrays.fill(t, (byte) 0);
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
      writeAll(ByteBuffer.wrap(header.encode()));
      headerWritten = true;
    }
    int c = cipher.encrypt(Header.nonce(header.noncePrefix, index++, last), aad, data, 0, len, out);
    writeAll(ByteBuffer.wrap(out, 0, c));
  }

  private void writeAll(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      destination.write(b);
    }
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
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(pending, (byte) 0);
    }
  }
}
