package org.evidencekit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seal used on the wrong recording is named SEAL_NOT_FOR_CONTENT for any number of segments
 * a verifier must say what it found, not blame an edit that never happened); an empty
 * recording is a finding; a directory is refused.
 */
class OtherContentTest {
  private static final int SEGMENT = 65536;

  @TempDir Path dir;

  private Path file(String name, int length, long seed) throws IOException {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return Files.write(dir.resolve(name), b);
  }

  private static Seal seal(Path p, boolean withName) throws IOException {
    Seal s = Sealer.builder().segmentSize(SEGMENT).build().seal(p);
    return withName
        ? s.withMetadata(
            RecordingMetadata.builder().originalFileName(p.getFileName().toString()).build())
        : s;
  }

  private static List<String> codes(VerificationReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  @Test
  void anotherRecordingsSealIsNamedForAnyNumberOfSegments() throws IOException {
    // segments: 1 and 1, 2 and 2, 1 and 2, 3 and 3; lengths differ, names differ
    int[][] sizes = {
      {1000, 1500}, {SEGMENT + 10, SEGMENT + 99}, {5000, SEGMENT + 7}, {3 * SEGMENT, 3 * SEGMENT}
    };
    for (int[] s : sizes) {
      Path a = file("DEVCAM7_A_" + s[0] + ".mp4", s[0], s[0]);
      Path b = file("DEVCAM7_B_" + s[1] + ".mp4", s[1], s[1] + 1);
      for (boolean named : new boolean[] {true, false}) {
        if (!named && s[0] == s[1] && s[0] < 3 * SEGMENT) {
          continue; // same length, no name: nothing tells a wrong seal from an edit
        }
        VerificationReport r = Verifier.create().verify(b, seal(a, named));
        assertEquals(Verdict.TAMPERED, r.verdict());
        assertEquals(
            FindingCode.SEAL_NOT_FOR_CONTENT,
            codes(r).get(0),
            s[0] + "/" + s[1] + " named=" + named + ": " + r.findings());
      }
    }
  }

  /**
   * Another recording's seal on a shorter file that ends inside the first segment: nothing whole
   * can be compared, but the seal names another file and another length.
   */
  @Test
  void aShorterOtherFileInsideOneSegmentIsOtherContent() throws IOException {
    Path a = file("DEVCAM7_20230601_141003_002.mp4", 22463, 5);
    Path b = file("rec.mp4", 22417, 6);
    VerificationReport r = Verifier.create().verify(b, seal(a, true));
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertEquals(FindingCode.SEAL_NOT_FOR_CONTENT, codes(r).get(0), r.findings().toString());
    assertTrue(
        r.findings().get(0).message().startsWith("no whole segment could be compared"),
        r.findings().get(0).message());
    assertTrue(codes(r).contains(FindingCode.CONTENT_TRUNCATED), r.findings().toString());
    // without a sealed name, a cut of the same file cannot be told from another file
    r = Verifier.create().verify(b, seal(a, false));
    assertFalse(codes(r).contains(FindingCode.SEAL_NOT_FOR_CONTENT), r.findings().toString());
  }

  @Test
  void theSameLengthOtherNameIsOtherContent() throws IOException {
    Path a = file("DEVCAM7_20230601_141000_001.mp4", 4000, 1);
    Path b = file("DEVCAM7_20230601_141003_002.mp4", 4000, 2);
    VerificationReport r = Verifier.create().verify(b, seal(a, true));
    assertEquals(FindingCode.SEAL_NOT_FOR_CONTENT, codes(r).get(0), r.findings().toString());
    assertTrue(r.findings().get(0).message().contains("DEVCAM7_20230601_141000_001.mp4"));
  }

  @Test
  void anEditOfTheSameFileStaysAnEdit() throws IOException {
    Path a = file("rec.mp4", 5000, 3);
    Seal named = seal(a, true);
    byte[] b = Files.readAllBytes(a);
    b[100] ^= 1;
    Files.write(a, b);
    VerificationReport r = Verifier.create().verify(a, named);
    assertEquals(List.of(FindingCode.SEGMENT_MODIFIED), codes(r).subList(0, 1));
    assertFalse(codes(r).contains(FindingCode.SEAL_NOT_FOR_CONTENT), r.findings().toString());
    // bytes appended to a one-segment file: the sealed prefix still matches
    Path c = file("c.mp4", 3000, 4);
    Seal sc = seal(c, false);
    Files.write(c, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    r = Verifier.create().verify(c, sc);
    assertEquals(List.of(FindingCode.CONTENT_EXTENDED), codes(r), r.findings().toString());
    // the end cut off a one-segment file under its own name: a cut, not other content
    Path d = file("d.mp4", 3000, 7);
    Seal sd = seal(d, true);
    Files.write(d, java.util.Arrays.copyOf(Files.readAllBytes(d), 2000));
    r = Verifier.create().verify(d, sd);
    assertFalse(codes(r).contains(FindingCode.SEAL_NOT_FOR_CONTENT), r.findings().toString());
    assertTrue(codes(r).contains(FindingCode.CONTENT_TRUNCATED), r.findings().toString());
  }

  @Test
  void anEmptyRecordingIsAFinding() throws IOException {
    Path e = file("empty.mp4", 0, 0);
    VerificationReport r = Verifier.create().verify(e, seal(e, false));
    assertEquals(Verdict.INTACT, r.verdict());
    assertEquals(List.of(FindingCode.EMPTY_RECORDING), codes(r));
    r = Verifier.create().verify(file("full.mp4", 10, 5), seal(e, false));
    assertEquals(Verdict.TAMPERED, r.verdict(), "bytes where nothing was sealed");
    assertFalse(codes(r).contains(FindingCode.EMPTY_RECORDING));
  }

  @Test
  void aDirectoryIsRefused() throws IOException {
    Path a = file("a.mp4", 100, 6);
    Seal s = seal(a, false);
    IllegalArgumentException x =
        assertThrows(IllegalArgumentException.class, () -> Verifier.create().verify(dir, s));
    assertTrue(x.getMessage().contains("is a directory, not a recording"), x.getMessage());
  }
}
