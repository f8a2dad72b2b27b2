package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.evidencekit.hash.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stored format: canonical, round-trips, and every malformed variant is refused. */
class SealJsonTest {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;

  @TempDir Path dir;

  static Seal sample() throws IOException {
    byte[] data = new byte[2 * SEG + 10];
    new Random(1).nextBytes(data);
    try (SealingChannel ch =
        Sealer.builder()
            .suite(SealSuite.SHA256_SM3)
            .segmentSize(SEG)
            .checkpointEvery(1, c -> {})
            .build()
            .newSealingChannel()) {
      ch.write(ByteBuffer.wrap(data));
      return ch.finish();
    }
  }

  static String json() throws IOException {
    return new String(sample().toJson(), StandardCharsets.UTF_8);
  }

  @Test
  void theStoredFormIsCanonicalAndRoundTrips() throws IOException {
    Seal s = sample();
    byte[] json = s.toJson();
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{\"checkpoints\":[{\"length\":65536,\"roots\":{\"sha256\":\""));
    assertTrue(text.contains("\"format\":\"evidencekit.seal/1\""));
    assertTrue(!text.contains(" ") && !text.contains("\n"));
    Seal back = Seal.parse(json);
    assertArrayEquals(json, back.toJson());
    assertEquals(s.roots(), back.roots());
    assertEquals(s.checkpoints(), back.checkpoints());
    assertEquals(
        s.leafHashes(org.evidencekit.hash.HashAlgorithm.SM3),
        back.leafHashes(org.evidencekit.hash.HashAlgorithm.SM3));
  }

  /** The stored form is made once and handed out as a copy: a caller cannot change the seal. */
  @Test
  void theStoredFormIsACopyAndTheDigestIsItsHash() throws IOException {
    Seal s = sample();
    byte[] first = s.toJson();
    byte[] kept = first.clone();
    java.util.Arrays.fill(first, (byte) 'x');
    assertArrayEquals(kept, s.toJson());
    assertEquals(HashAlgorithm.SHA256.hash(kept).hex(), s.digest().hex());
    assertEquals(s.digest(), Seal.parse(kept).digest());
  }

  /**
   * an overlong UTF-8 form (RFC 3629 forbids it) decodes to the same character, so a
   * seal so spelled was read as the signed one: the same seal under other bytes, which the
   * documented OpenSSL-and-Python check refuses. Refused, in values and in member names.
   */
  @Test
  void overlongUtf8IsRefused() throws IOException {
    byte[] json = sample().toJson();
    String text = new String(json, StandardCharsets.ISO_8859_1);
    for (String[] swap :
        new String[][] {
          {"evidencekit.seal/1", "evidencekit.seal\u00c0\u00af1"}, // '/' as C0 AF
          {"\"format\"", "\"form\u00c1\u00a1t\""}, // 'a' as C1 A1
          {"evidencekit.seal/1", "evidencekit.s\u00e0\u0081\u00a5al/1"}, // 'e' as E0 81 A5
          {"evidencekit.seal/1", "evidencekit.sea\u00f0\u0080\u0081\u00acl/1"}, // 'l', 4 bytes
        }) {
      String changed = text.replace(swap[0], swap[1]);
      byte[] bad = changed.getBytes(StandardCharsets.ISO_8859_1);
      SealFormatException e = assertThrows(SealFormatException.class, () -> Seal.parse(bad));
      assertTrue(e.getMessage().contains("overlong UTF-8"), e.getMessage());
    }
  }

  @Test
  void aSealFileIsReadBack() throws IOException {
    Path p = dir.resolve("x.seal.json");
    Files.write(p, sample().toJson());
    assertEquals(sample().roots(), Seal.read(p).roots());
  }

  /**
   * A case named twice is refused when metadata is built (another case mistyped would not hold the
   * recording, R-16), but a stored seal that holds one twice is read as it was signed.
   */
  @Test
  void aRepeatedCaseIsRefusedWhenBuiltAndReadAsStored() throws IOException {
    RecordingMetadata.Builder b = RecordingMetadata.builder().addCaseId("ZZ-1");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.addCaseId("ZZ-1"));
    assertTrue(e.getMessage().contains("case ZZ-1 is given twice"), e.getMessage());
    assertEquals(List.of("ZZ-1", "ZZ-2"), b.addCaseId("ZZ-2").build().caseIds());

    Seal one = sample().withMetadata(RecordingMetadata.builder().addCaseId("ZZ-1").build());
    String json = new String(one.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"caseIds\":[\"ZZ-1\"]"), json);
    Seal twice =
        Seal.parse(
            json.replace("\"caseIds\":[\"ZZ-1\"]", "\"caseIds\":[\"ZZ-1\",\"ZZ-1\"]")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("ZZ-1", "ZZ-1"), twice.metadata().orElseThrow().caseIds());
  }

  /** Mutations of a valid seal, each of which must be refused with a clear message. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty document|^.*$|",
        "not json|^\\{|[",
        "truncated|.{40}$|",
        "trailing garbage|$|{}",
        "unknown format|evidencekit.seal/1|evidencekit.seal/2",
        "unknown suite|\"suite\":\"sha256\\+sm3\"|\"suite\":\"md5\"",
        "unknown member|^\\{|{\"extra\":1,",
        "duplicate member|^\\{|{\"length\":1,",
        "float length|\"length\":131082|\"length\":131082.0",
        "negative length|\"length\":131082|\"length\":-1",
        "string length|\"length\":131082|\"length\":\"131082\"",
        "length disagrees with segments|\"length\":131082|\"length\":10",
        "segment size not a power of two|\"segmentSize\":65536|\"segmentSize\":65537",
        "segment size too small|\"segmentSize\":65536|\"segmentSize\":4096",
        "missing roots|\"roots\":\\{[^}]*\\},\"segmentSize\"|\"segmentSize\"",
        "uppercase hex root|(\"roots\":\\{\"sha256\":\")([0-9a-f]{8})|$1ABCDEF01",
        "short root|(\"roots\":\\{\"sha256\":\"[0-9a-f]{62})[0-9a-f]{2}|$1",
        "leaves not base64|(\"leaves\":\\{\"sha256\":\")|$1!!",
        "leaves one short|(\"leaves\":\\{\"sha256\":\")[A-Za-z0-9+/]{4}|$1",
        "checkpoints not growing|\"length\":131072,(\"roots\":\\{[^}]*\\}),\"segments\":2|\"length\":65536,$1,\"segments\":1",
        "checkpoint length wrong|\"length\":65536|\"length\":65535",
        "null suite|\"suite\":\"sha256\\+sm3\"|\"suite\":null",
        "array instead of object|^\\{.*\\}$|[]",
        "deep nesting|^\\{|{\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"
      })
  void malformedSealsAreRefused(String name, String regex, String replacement) throws IOException {
    String mutated = json().replaceFirst(regex, replacement == null ? "" : replacement);
    if (mutated.equals(json())) {
      throw new AssertionError("mutation '" + name + "' changed nothing");
    }
    SealFormatException e =
        assertThrows(
            SealFormatException.class,
            () -> Seal.parse(mutated.getBytes(StandardCharsets.UTF_8)),
            name);
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), name);
    assertTrue(e.getMessage().length() < 400, "one readable line: " + e.getMessage());
  }

  @Test
  void aHugeFileIsRefusedWithoutReadingItAll() throws IOException {
    Path p = dir.resolve("huge.json");
    try (java.nio.channels.FileChannel fc =
        java.nio.channels.FileChannel.open(
            p, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      fc.write(ByteBuffer.wrap(new byte[] {'{'}), Seal.DEFAULT_MAX_DOCUMENT_BYTES + 10);
    }
    assertThrows(SealFormatException.class, () -> Seal.read(p));
  }

  @Test
  void suitesAreLookedUpByFrozenNames() {
    assertEquals(SealSuite.SHA256_SM3, SealSuite.forName("sha256+sm3").orElseThrow());
    assertTrue(SealSuite.forName("SHA256").isEmpty());
  }
}
