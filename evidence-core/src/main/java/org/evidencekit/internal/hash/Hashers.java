package org.evidencekit.internal.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * Creates {@link Hasher}s: the JDK for SHA-256 (its SHA-NI intrinsic is the fastest there is on the
 * JVM) and our own {@link Sm3} for SM3, whose unrolled compression on locals is faster than
 * BouncyCastle's array-based one ({@code SegmentHashBenchmark}).
 */
public final class Hashers {
  private Hashers() {}

  /**
   * A hasher for the algorithm stored as {@code name} ({@code sha256}, {@code sm3}). Takes the
   * name, not {@code HashAlgorithm}, so that this package does not depend back on the public one.
   */
  public static Hasher create(String name) {
    switch (name) {
      case "sha256":
        return new JdkHasher("SHA-256", 32);
      case "sm3":
        return new Sm3();
      default:
        throw new IllegalArgumentException("no hasher for " + name);
    }
  }

  /** BouncyCastle's SM3, kept as the reference our {@link Sm3} is measured and tested against. */
  public static Hasher bouncyCastleSm3() {
    return new BouncyCastleSm3Hasher();
  }

  private static final class JdkHasher implements Hasher {
    private final MessageDigest md;
    private final int length;

    JdkHasher(String name, int length) {
      try {
        this.md = MessageDigest.getInstance(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(name + " is required by the Java platform", e);
      }
      this.length = length;
    }

    @Override
    public void update(byte b) {
      md.update(b);
    }

    @Override
    public void update(byte[] data, int offset, int len) {
      md.update(data, offset, len);
    }

    @Override
    public void update(java.nio.ByteBuffer data) {
      md.update(data);
    }

    @Override
    public boolean prefersDirectBuffers() {
      return true;
    }

    @Override
    public void finish(byte[] out, int offset) {
      try {
        md.digest(out, offset, length);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void reset() {
      md.reset();
    }

    @Override
    public int digestLength() {
      return length;
    }
  }

  private static final class BouncyCastleSm3Hasher implements Hasher {
    private final SM3Digest d = new SM3Digest();

    @Override
    public void update(byte b) {
      d.update(b);
    }

    @Override
    public void update(byte[] data, int offset, int len) {
      d.update(data, offset, len);
    }

    @Override
    public void update(java.nio.ByteBuffer data) {
      if (data.hasArray()) {
        d.update(data.array(), data.arrayOffset() + data.position(), data.remaining());
        data.position(data.limit());
      } else {
        byte[] tmp = new byte[Math.min(data.remaining(), 8192)];
        while (data.hasRemaining()) {
          int n = Math.min(tmp.length, data.remaining());
          data.get(tmp, 0, n);
          d.update(tmp, 0, n);
        }
      }
    }

    @Override
    public boolean prefersDirectBuffers() {
      return false;
    }

    @Override
    public void finish(byte[] out, int offset) {
      d.doFinal(out, offset);
    }

    @Override
    public void reset() {
      d.reset();
    }

    @Override
    public int digestLength() {
      return 32;
    }
  }
}
