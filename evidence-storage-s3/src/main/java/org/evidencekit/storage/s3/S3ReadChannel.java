package org.evidencekit.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads one committed data version with ranged GETs: sequential reads share one response stream, a
 * {@code position} elsewhere opens a new range. A record that carries its bytes hands over the
 * response of its own GET as the stream at position 0, so reading it from the start costs nothing
 * more. The first {@value #HEAD} bytes read from position 0 are kept: a reader that looks at a
 * header and goes back to the start (as verification does) reads them again without a new GET. Read
 * from the start to the end without seeking, the bytes are checked against the commit record's
 * SHA-256 and the last read fails if they differ.
 */
final class S3ReadChannel implements SeekableByteChannel {
  private final S3EvidenceStore store;
  private final ObjectKey key;
  private final String dataKey;
  private final String version;
  private final long size;
  private final byte @Nullable [] expectedSha256;
  static final int HEAD = 64 * 1024;
  private final byte[] chunk = new byte[64 * 1024];
  private byte[] head;
  private int headLength;
  private @Nullable MessageDigest digest;
  private long digested;
  private ResponseInputStream<GetObjectResponse> in;
  private long inPosition;
  private long position;
  private boolean open = true;

  S3ReadChannel(
      S3EvidenceStore store,
      ObjectKey key,
      String dataKey,
      String version,
      long size,
      byte @Nullable [] sha256,
      ResponseInputStream<GetObjectResponse> atStart) {
    this.store = store;
    this.key = key;
    this.dataKey = dataKey;
    this.version = version;
    this.size = size;
    this.expectedSha256 = sha256;
    try {
      // content written at positions has no whole-object digest to check
      this.digest = sha256 == null ? null : MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    this.in = atStart;
    this.inPosition = 0;
  }

  /** Closes a response: aborted (the connection dropped) unless its body is known to be read. */
  static void discard(ResponseInputStream<?> s, boolean abort) {
    try {
      if (abort) {
        s.abort();
      }
      s.close();
    } catch (IOException | RuntimeException ignored) {
      // the connection is discarded either way
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= size) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    int n;
    if (position < headLength) {
      n = (int) Math.min(Math.min(dst.remaining(), chunk.length), headLength - position);
      System.arraycopy(head, (int) position, chunk, 0, n);
    } else {
      n = readStream(dst);
    }
    dst.put(chunk, 0, n);
    if (digest != null && digested == position) {
      digest.update(chunk, 0, n);
      digested += n;
      if (digested == size) {
        checkDigest();
      }
    }
    position += n;
    return n;
  }

  /** Reads at {@code position} from the response stream into {@link #chunk}. */
  private int readStream(ByteBuffer dst) throws IOException {
    if (in == null || inPosition != position) {
      openRange();
    }
    int want = (int) Math.min(Math.min(dst.remaining(), chunk.length), size - position);
    int n;
    try {
      n = in.read(chunk, 0, want);
    } catch (IOException e) {
      closeStream();
      throw new StoreUnavailableException("reading " + key.value() + " failed: " + e, e);
    }
    if (n < 0) {
      closeStream();
      throw new StoreUnavailableException(
          key.value() + " ended at byte " + position + " of " + size + ": the data is short");
    }
    if (position == headLength && headLength < HEAD) {
      int keep = Math.min(n, HEAD - headLength);
      if (head == null) {
        head = new byte[(int) Math.min(HEAD, size)];
      }
      System.arraycopy(chunk, 0, head, headLength, keep);
      headLength += keep;
    }
    inPosition = position + n;
    return n;
  }

  private void checkDigest() throws StoreUnavailableException {
    byte[] got = digest.digest();
    digest = null;
    if (!MessageDigest.isEqual(got, expectedSha256)) {
      throw new StoreUnavailableException(
          "damaged: the bytes of "
              + key.value()
              + " have SHA-256 "
              + HexFormat.of().formatHex(got)
              + ", committed as "
              + HexFormat.of().formatHex(expectedSha256));
    }
  }

  private void openRange() throws IOException {
    closeStream();
    long from = position;
    try {
      in =
          store
              .client()
              .getObject(
                  g ->
                      g.bucket(store.bucket())
                          .key(dataKey)
                          .versionId(version)
                          .range("bytes=" + from + "-" + (size - 1)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchObjectException(key.value() + " does not exist (deleted)");
      }
      throw S3Errors.map(e, "read " + key.value());
    } catch (SdkException e) {
      throw S3Errors.map(e, "read " + key.value());
    }
    Long len = in.response().contentLength();
    if (len != null && len != size - from) {
      closeStream();
      throw new StoreUnavailableException(
          "damaged: the server sent "
              + len
              + " bytes of "
              + key.value()
              + " from "
              + from
              + ", expected "
              + (size - from));
    }
    inPosition = from;
  }

  private void closeStream() {
    if (in != null) {
      InputStream s = in;
      in = null;
      try {
        if (inPosition < size) {
          ((ResponseInputStream<?>) s).abort(); // do not drain the rest of a large object
        }
        s.close();
      } catch (IOException | RuntimeException ignored) {
        // the connection is discarded either way
      }
    }
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long s) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    closeStream();
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
