package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Round trips, range reads, and the Tink-style tamper matrix: every case fails closed. */
class StreamingEncryptionTest {
  static final int SEG = 4096;
  static final AesKeyEncryptionKey KEK = AesKeyEncryptionKey.generate("kek-1");

  record Sealed(byte[] ciphertext, Seal seal) {}

  static Sealed encrypt(AeadSuite suite, byte[] plain, int chunk) throws IOException {
    return encrypt(suite, plain, chunk, 1 + chunk % 4); // inline (1) and parallel (2-4) alike
  }

  static Sealed encrypt(AeadSuite suite, byte[] plain, int chunk, int inFlight) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    EncryptingChannel ch =
        EncryptingChannel.create(
            Channels.newChannel(bos),
            Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build(),
            suite,
            SEG,
            KEK,
            java.util.concurrent.ForkJoinPool.commonPool(),
            inFlight);
    for (int off = 0; off < plain.length; off += chunk) {
      ch.write(ByteBuffer.wrap(plain, off, Math.min(chunk, plain.length - off)));
    }
    Seal seal = ch.finish();
    return new Sealed(bos.toByteArray(), seal);
  }

  static byte[] decrypt(byte[] ct, Seal seal) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    EncryptedRecording.open(channel(ct), seal, List.of(KEK)).decryptTo(Channels.newChannel(bos));
    return bos.toByteArray();
  }

  static SeekableByteChannel channel(byte[] b) {
    return new org.evidencekit.InMemoryChannel(b);
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Property(tries = 60)
  void decryptOfEncryptIsIdentityForAnyLengthAndChunking(
      @ForAll @IntRange(min = 0, max = 5 * SEG + 7) int length,
      @ForAll @IntRange(min = 1, max = 3 * SEG) int chunk,
      @ForAll boolean sm4)
      throws IOException {
    AeadSuite suite = sm4 ? AeadSuite.SM4_GCM : AeadSuite.AES_256_GCM;
    byte[] plain = random(length, length);
    Sealed s = encrypt(suite, plain, chunk);
    assertArrayEquals(plain, decrypt(s.ciphertext(), s.seal()));
    // The seal is over the plaintext: the ordinary verifier accepts the plaintext.
    assertTrue(
        Verifier.create()
            .verify(Channels.newChannel(new java.io.ByteArrayInputStream(plain)), s.seal())
            .isIntact());
  }

  /**
   * The caller's executor decrypts ahead in place of the shared pool, and the plaintext is the
   * same.
   */
  @Test
  void segmentsAreDecryptedAheadOnTheExecutorGiven() throws IOException {
    byte[] plain = random(9 * SEG + 5, 91);
    Sealed s = encrypt(AeadSuite.SM4_GCM, plain, 7000, 1);
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      EncryptedRecording r =
          EncryptedRecording.open(channel(s.ciphertext()), s.seal(), List.of(KEK));
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try (java.nio.channels.ReadableByteChannel ch =
          r.newPlaintextChannel(
              task -> {
                ran.incrementAndGet();
                pool.execute(task);
              })) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (ch.read(buf.clear()) >= 0) {
          got.write(buf.array(), 0, buf.position());
        }
      }
      assertArrayEquals(plain, got.toByteArray());
      // SM4-GCM decrypts ahead only with more than one core
      assertEquals(
          Runtime.getRuntime().availableProcessors() > 1 ? 10 : 0, ran.get(), "segments ahead");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * However far ahead segments are decrypted (SM4-GCM on other cores), the plaintext channel
   * releases exactly the segments before a damaged one, in order, then fails, and keeps failing.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void thePlaintextChannelStopsExactlyAtTheDamagedSegment(AeadSuite suite) throws IOException {
    byte[] plain = random(12 * SEG + 100, 77);
    Sealed s = encrypt(suite, plain, 5000, 1);
    int headerLength = s.ciphertext().length - (13 * (SEG + 16) - (SEG - 100));
    byte[] ct = s.ciphertext().clone();
    ct[headerLength + 7 * (SEG + 16) + 3] ^= 1; // inside segment 7
    EncryptedRecording r = EncryptedRecording.open(channel(ct), s.seal(), List.of(KEK));
    try (java.nio.channels.ReadableByteChannel ch = r.newPlaintextChannel()) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(1000);
      DecryptionException e =
          assertThrows(
              DecryptionException.class,
              () -> {
                while (ch.read(buf.clear()) >= 0) {
                  got.write(buf.array(), 0, buf.position());
                }
              });
      assertTrue(e.getMessage().startsWith("segment 7 of 13"), e.getMessage());
      assertArrayEquals(Arrays.copyOf(plain, 7 * SEG), got.toByteArray());
      assertThrows(DecryptionException.class, () -> ch.read(buf.clear()), "and stays failed");
    }
    // the undamaged ciphertext reads whole through the same path
    EncryptedRecording whole =
        EncryptedRecording.open(channel(s.ciphertext()), s.seal(), List.of(KEK));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    whole.decryptTo(Channels.newChannel(all));
    assertArrayEquals(plain, all.toByteArray());
  }

  @org.junit.jupiter.api.Test
  void refusesArgumentsItCannotHonour() {
    java.nio.channels.WritableByteChannel out = Channels.newChannel(new ByteArrayOutputStream());
    Sealer sealer = Sealer.create();
    java.util.concurrent.Executor pool = java.util.concurrent.ForkJoinPool.commonPool();
    AeadSuite aes = AeadSuite.AES_256_GCM;
    assertThrows(
        IllegalArgumentException.class,
        () -> EncryptingChannel.create(out, sealer, aes, SEG, KEK, pool, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> EncryptingChannel.create(out, sealer, aes, SEG, KEK, pool, 1025));
    assertThrows(
        IllegalArgumentException.class,
        () -> EncryptingChannel.create(out, sealer, aes, 4095, KEK, pool, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> EncryptingChannel.create(out, sealer, aes, (64 << 20) + 1, KEK));
    assertThrows(
        NullPointerException.class,
        () -> EncryptingChannel.create(out, sealer, aes, SEG, KEK, null, 1));
    assertThrows(
        NullPointerException.class, () -> EncryptingChannel.create(null, sealer, aes, SEG, KEK));
    assertThrows(
        NullPointerException.class, () -> EncryptingChannel.create(out, sealer, null, SEG, KEK));
    assertThrows(
        NullPointerException.class, () -> EncryptingChannel.create(out, sealer, aes, SEG, null));
  }

  /** The length hint only tunes the sealer: right, wrong or unknown, the same seal decrypts. */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void theLengthHintChangesNothingThatIsWritten(AeadSuite suite) throws IOException {
    byte[] plain = random(3 * SEG + 5, 11);
    Sealer sealer =
        Sealer.builder()
            .segmentSize(Sealer.MIN_SEGMENT_SIZE)
            .suite(org.evidencekit.seal.SealSuite.SHA256_SM3)
            .build();
    byte[] expected = null;
    for (long hint : new long[] {plain.length, 1, 10L << 30, -1}) {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      Seal seal;
      try (EncryptingChannel ch =
          EncryptingChannel.create(Channels.newChannel(bos), sealer, suite, SEG, KEK, hint)) {
        ch.write(ByteBuffer.wrap(plain));
        seal = ch.finish();
      }
      if (expected == null) {
        expected = seal.toJson();
      }
      assertArrayEquals(expected, seal.toJson(), "hint " + hint);
      assertArrayEquals(plain, decrypt(bos.toByteArray(), seal), "hint " + hint);
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            EncryptingChannel.create(
                Channels.newChannel(new ByteArrayOutputStream()), sealer, suite, SEG, KEK, -2));
  }

  @Property(tries = 60)
  void anyRangeReadEqualsThePlaintextSlice(
      @ForAll @IntRange(min = 1, max = 4 * SEG + 100) int length,
      @ForAll @IntRange(min = 0, max = 100_000) int a,
      @ForAll @IntRange(min = 0, max = 100_000) int b)
      throws IOException {
    byte[] plain = random(length, 7);
    Sealed s = encrypt(AeadSuite.AES_256_GCM, plain, 1000);
    int from = a % length;
    int len = b % (length - from + 1);
    EncryptedRecording r = EncryptedRecording.open(channel(s.ciphertext()), s.seal(), List.of(KEK));
    assertArrayEquals(Arrays.copyOfRange(plain, from, from + len), r.read(from, len));
  }

  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void theTamperMatrixFailsClosed(AeadSuite suite) throws IOException {
    byte[] plain = random(3 * SEG + 100, 3); // four segments, the last short
    Sealed s = encrypt(suite, plain, 999);
    byte[] ct = s.ciphertext();
    int header = Header.read(channel(ct)).length();
    int full = SEG + 16;
    // Truncate at every segment boundary and inside the last one; append bytes.
    for (int cut : new int[] {header, header + full, header + 2 * full, header + 3 * full}) {
      assertFails(Arrays.copyOf(ct, cut), s.seal(), "truncated at " + cut);
    }
    assertFails(Arrays.copyOf(ct, ct.length - 1), s.seal(), "last byte cut");
    assertFails(Arrays.copyOf(ct, ct.length + 16), s.seal(), "extended");
    // Flip a bit in every header byte and in every segment.
    for (int i = 0; i < header; i++) {
      byte[] t = ct.clone();
      t[i] ^= 1;
      assertFails(t, s.seal(), "header byte " + i);
    }
    for (int seg = 0; seg < 4; seg++) {
      byte[] t = ct.clone();
      t[header + seg * full + 5] ^= (byte) 0x80;
      assertFails(t, s.seal(), "segment " + seg);
    }
    // Swap, duplicate and drop segments.
    byte[] swapped = ct.clone();
    System.arraycopy(ct, header, swapped, header + full, full);
    System.arraycopy(ct, header + full, swapped, header, full);
    assertFails(swapped, s.seal(), "swapped 0 and 1");
    byte[] dup = ct.clone();
    System.arraycopy(ct, header, dup, header + full, full);
    assertFails(dup, s.seal(), "segment 0 duplicated over 1");
    byte[] dropped = new byte[ct.length - full];
    System.arraycopy(ct, 0, dropped, 0, header + full);
    System.arraycopy(ct, header + 2 * full, dropped, header + full, ct.length - header - 2 * full);
    assertFails(dropped, s.seal(), "segment 1 dropped");
    // Splicing a segment from another ciphertext of the same key.
    Sealed other = encrypt(suite, random(3 * SEG + 100, 4), 999);
    byte[] spliced = ct.clone();
    int oh = Header.read(channel(other.ciphertext())).length();
    System.arraycopy(other.ciphertext(), oh + full, spliced, header + full, full);
    assertFails(spliced, s.seal(), "spliced");
    // Another seal, another key, another key id.
    assertFails(ct, other.seal(), "other seal");
    DecryptionException e =
        assertThrows(
            DecryptionException.class,
            () ->
                EncryptedRecording.open(
                    channel(ct), s.seal(), List.of(AesKeyEncryptionKey.generate("kek-1"))));
    assertTrue(e.getMessage().contains("does not unwrap"), e.getMessage());
    NoMatchingKeyException missing =
        assertThrows(
            NoMatchingKeyException.class,
            () ->
                EncryptedRecording.open(
                    channel(ct), s.seal(), List.of(AesKeyEncryptionKey.generate("kek-2"))));
    assertEquals("kek-1", missing.keyId());
    assertTrue(
        missing.getMessage().contains("no key-encryption key with id 'kek-1'"),
        missing.getMessage());
    // Untouched, it decrypts.
    assertArrayEquals(plain, decrypt(ct, s.seal()));
  }

  /**
   * a range read of one recording's ciphertext opened with another recording's seal of
   * the same length (same key) returned the first recording's bytes as the second's: only the last
   * segment authenticates the seal, and a range before it never read that segment.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aRangeReadAgainstAnotherSealFailsBeforeReleasingAByte(AeadSuite suite) throws IOException {
    byte[] plainA = random(3 * SEG + 100, 5);
    byte[] plainB = random(3 * SEG + 100, 6);
    Sealed a = encrypt(suite, plainA, 4096);
    Sealed b = encrypt(suite, plainB, 4096);
    assertArrayEquals(
        Arrays.copyOfRange(plainA, 10, 1010),
        EncryptedRecording.open(channel(a.ciphertext()), a.seal(), List.of(KEK)).read(10, 1000));
    for (long offset : new long[] {0, SEG + 7, 2L * SEG}) {
      EncryptedRecording wrong =
          EncryptedRecording.open(channel(a.ciphertext()), b.seal(), List.of(KEK));
      DecryptionException e =
          assertThrows(DecryptionException.class, () -> wrong.read(offset, 1000), "at " + offset);
      assertTrue(e.getMessage().contains("not bound to this seal"), e.getMessage());
    }
  }

  private static void assertFails(byte[] ct, Seal seal, String what) {
    assertThrows(DecryptionException.class, () -> decrypt(ct, seal), what);
  }

  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void rotationRewrapsTheKeyWithoutTouchingSegments(AeadSuite suite) throws IOException {
    byte[] plain = random(2 * SEG + 5, 9);
    Sealed s = encrypt(suite, plain, 4096);
    AesKeyEncryptionKey next = AesKeyEncryptionKey.generate("kek-2");
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    EncryptedRecording.rewrap(channel(s.ciphertext()), Channels.newChannel(bos), KEK, next);
    byte[] rotated = bos.toByteArray();
    EncryptedRecording r = EncryptedRecording.open(channel(rotated), s.seal(), List.of(next));
    assertEquals("kek-2", r.keyId());
    assertArrayEquals(Arrays.copyOfRange(plain, 10, 5000), r.read(10, 4990));
    int oldHeader = Header.read(channel(s.ciphertext())).length();
    int newHeader = Header.read(channel(rotated)).length();
    assertArrayEquals(
        Arrays.copyOfRange(s.ciphertext(), oldHeader, s.ciphertext().length),
        Arrays.copyOfRange(rotated, newHeader, rotated.length),
        "segments unchanged");
    assertThrows(
        DecryptionException.class,
        () -> EncryptedRecording.open(channel(rotated), s.seal(), List.of(KEK)));
  }

  /**
   * The nonce prefix names one encryption of a plaintext: another encryption of it under the same
   * key id decrypts against the same seal but has another prefix, which {@code checkStored} tells
   * apart without the key; rotation under the same key id keeps it.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void checkStoredTellsTheStoredCiphertextFromAnotherEncryption(AeadSuite suite)
      throws IOException {
    byte[] plain = random(2 * SEG + 5, 11);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    Seal seal;
    String prefix;
    try (EncryptingChannel ch =
        EncryptingChannel.create(
            Channels.newChannel(bos),
            Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build(),
            suite,
            SEG,
            KEK)) {
      ch.write(ByteBuffer.wrap(plain));
      seal = ch.finish();
      prefix = ch.noncePrefix();
    }
    byte[] stored = bos.toByteArray();
    // the fixed header: "EVKENC", version, suite, segment size (4), then the 7-byte prefix
    assertEquals(HexFormat.of().formatHex(stored, 12, 19), prefix);
    EncryptedRecording.checkStored(channel(stored), seal, suite, "kek-1", prefix);
    EncryptedRecording.checkStored(
        channel(stored), seal, suite, "kek-1", prefix.toUpperCase(Locale.ROOT));

    Sealed again = encrypt(suite, plain, 1000);
    assertArrayEquals(plain, decrypt(again.ciphertext(), seal), "bound to the same seal");
    EncryptedRecording.checkStored(channel(again.ciphertext()), seal, suite, "kek-1");
    DecryptionException e =
        assertThrows(
            DecryptionException.class,
            () ->
                EncryptedRecording.checkStored(
                    channel(again.ciphertext()), seal, suite, "kek-1", prefix));
    assertTrue(e.getMessage().contains("not the one stored at ingest"), e.getMessage());

    ByteArrayOutputStream rotated = new ByteArrayOutputStream();
    EncryptedRecording.rewrap(
        channel(stored),
        Channels.newChannel(rotated),
        KEK,
        AesKeyEncryptionKey.generate(KEK.keyId()));
    EncryptedRecording.checkStored(channel(rotated.toByteArray()), seal, suite, "kek-1", prefix);

    for (String bad : List.of("", "0123456789abc", "0123456789abcdef", "0123456789abcg")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> EncryptedRecording.checkStored(channel(stored), seal, suite, "kek-1", bad),
          bad);
    }
  }

  /**
   * Content restored for a logged recording is encrypted under a fresh data key with the prefix its
   * entry logged, so {@code checkStored} with that prefix holds and it decrypts against the seal; a
   * malformed prefix is refused, and an entry's 60 KiB prefix is not quoted whole.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aCiphertextRestoredWithTheLoggedPrefixChecksAsStored(AeadSuite suite) throws IOException {
    byte[] plain = random(2 * SEG + 5, 12);
    Sealed first = encrypt(suite, plain, 1000);
    String prefix = HexFormat.of().formatHex(first.ciphertext(), 12, 19);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (EncryptingChannel ch =
        EncryptingChannel.create(
            Channels.newChannel(bos),
            Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build(),
            suite,
            SEG,
            KEK,
            plain.length,
            prefix.toUpperCase(Locale.ROOT))) {
      ch.write(ByteBuffer.wrap(plain));
      assertEquals(first.seal().roots(), ch.finish().roots());
      assertEquals(prefix, ch.noncePrefix());
    }
    byte[] restored = bos.toByteArray();
    assertFalse(Arrays.equals(first.ciphertext(), restored), "a fresh data key");
    EncryptedRecording.checkStored(channel(restored), first.seal(), suite, "kek-1", prefix);
    assertArrayEquals(plain, decrypt(restored, first.seal()));
    String huge = "ab".repeat(30_000);
    for (String bad : List.of("0123456789abc", huge)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  EncryptingChannel.create(
                      Channels.newChannel(new ByteArrayOutputStream()),
                      Sealer.create(),
                      suite,
                      SEG,
                      KEK,
                      -1,
                      bad));
      assertTrue(e.getMessage().length() < 200, "quoted in part: " + e.getMessage().length());
      IllegalArgumentException c =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  EncryptedRecording.checkStored(
                      channel(restored), first.seal(), suite, "kek-1", bad));
      assertTrue(c.getMessage().length() < 200, "quoted in part: " + c.getMessage().length());
    }
  }
}
