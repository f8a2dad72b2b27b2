package org.evidencekit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-consistent seals first: an edit of the seal is blamed on the seal, INCONCLUSIVE,
 * never on the evidence; and without trust anchors a signed seal still shows whether it was changed
 * after signing, while saying plainly that the signer is unknown.
 */
class SealConsistencyTest {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;

  @TempDir Path dir;

  static byte[] content(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Seal seal(byte[] content, SealSuite suite) throws IOException {
    try (SealingChannel ch =
        Sealer.builder().suite(suite).segmentSize(SEG).build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(content));
      return ch.finish();
    }
  }

  static Seal edit(Seal seal, String from, String to) throws IOException {
    String json = new String(seal.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains(from), "edit target present: " + from);
    return Seal.parse(json.replace(from, to).getBytes(StandardCharsets.UTF_8));
  }

  private VerificationReport viaFile(byte[] content, Seal seal) throws IOException {
    Path f = dir.resolve("c" + System.nanoTime());
    Files.write(f, content);
    return Verifier.create().verify(f, seal);
  }

  private static VerificationReport viaChannel(byte[] content, Seal seal) throws IOException {
    return Verifier.create().verify(Channels.newChannel(new ByteArrayInputStream(content)), seal);
  }

  private static void assertBlamedOnTheSeal(VerificationReport r) {
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.SEAL_INCONSISTENT), r::toString);
    assertTrue(r.tamperedRanges().isEmpty(), r::toString);
    for (String c : FindingCode.CONTENT) {
      assertFalse(r.has(c), () -> c + " reported against an inconsistent seal: " + r);
    }
  }

  @Test
  void aSealLengthLoweredByOneByteIsTheSealsFaultNotTheRecordings() throws IOException {
    byte[] c = content(4 * SEG + 37_000, 1);
    Seal s = seal(c, SealSuite.SHA256_SM3);
    Seal edited = edit(s, "\"length\":" + c.length, "\"length\":" + (c.length - 1));
    assertBlamedOnTheSeal(viaFile(c, edited));
    assertBlamedOnTheSeal(viaChannel(c, edited));
  }

  @Test
  void aSealLengthRaisedIsTheSealsFaultToo() throws IOException {
    byte[] c = content(2 * SEG + 10, 2);
    Seal s = seal(c, SealSuite.SHA256);
    Seal edited = edit(s, "\"length\":" + c.length, "\"length\":" + (c.length + 500));
    assertBlamedOnTheSeal(viaFile(c, edited));
    assertBlamedOnTheSeal(viaChannel(c, edited));
  }

  @Test
  void aSealLengthLoweredBelowAFullLastSegmentIsTheSealsFault() throws IOException {
    byte[] c = content(3 * SEG, 3);
    Seal edited =
        edit(seal(c, SealSuite.SHA256), "\"length\":" + c.length, "\"length\":" + (c.length - 1));
    assertBlamedOnTheSeal(viaFile(c, edited));
    assertBlamedOnTheSeal(viaChannel(c, edited));
  }

  @Property(tries = 25)
  void lengthEditsAreBlamedOnTheSealAndContentEditsOnTheContent(
      @ForAll @IntRange(min = 1, max = 3 * SEG) int length,
      @ForAll @IntRange(min = -2000, max = 2000) int delta)
      throws IOException {
    if (delta == 0) {
      return;
    }
    byte[] c = content(length, length);
    Seal s = seal(c, SealSuite.SHA256);
    long edited = (long) length + delta;
    boolean sameCount = edited > 0 && (edited + SEG - 1) / SEG == (length + SEG - 1) / SEG;
    if (sameCount) {
      Seal e = edit(s, "\"length\":" + length, "\"length\":" + edited);
      assertBlamedOnTheSeal(viaChannel(c, e));
    }
    // the naive model: content cut or extended under an honest seal is TAMPERED at the end
    byte[] changed = delta < 0 ? Arrays.copyOf(c, Math.max(0, length + delta)) : grow(c, delta);
    VerificationReport r = viaChannel(changed, s);
    assertEquals(Verdict.TAMPERED, r.verdict(), r::toString);
    assertTrue(
        r.has(delta < 0 ? FindingCode.CONTENT_TRUNCATED : FindingCode.CONTENT_EXTENDED),
        r::toString);
    assertFalse(r.has(FindingCode.SEAL_INCONSISTENT), r::toString);
  }

  private static byte[] grow(byte[] c, int by) {
    byte[] out = Arrays.copyOf(c, c.length + by);
    Arrays.fill(out, c.length, out.length, (byte) 0x5a);
    return out;
  }

  @Test
  void aReFoldedLeafEditOfASignedSealIsAnInvalidSignatureEvenWithoutAnchors() throws IOException {
    byte[] c = content(3 * SEG + 5, 4);
    Seal honest = seal(c, SealSuite.SHA256);
    Seal signed = SealSigner.sign(honest, SigningKeys.generate(SignatureSuite.ED25519), null);
    // the attacker edits the content and re-seals it consistently, keeping the old signature
    byte[] forged = c.clone();
    forged[SEG + 7] ^= 1;
    Seal resealed = seal(forged, SealSuite.SHA256);
    String json = new String(signed.toJson(), StandardCharsets.UTF_8);
    String fresh = new String(resealed.toJson(), StandardCharsets.UTF_8);
    String edited = json;
    for (String member : List.of("\"leaves\":\\{[^}]*\\}", "\"roots\":\\{[^}]*\\}")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(member).matcher(fresh);
      assertTrue(m.find(), member);
      edited = edited.replaceFirst(member, java.util.regex.Matcher.quoteReplacement(m.group()));
    }
    assertFalse(edited.equals(json));
    VerificationReport r = viaFile(c, Seal.parse(edited.getBytes(StandardCharsets.UTF_8)));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.SIGNATURE_INVALID), r::toString);
    assertFalse(r.has(FindingCode.SIGNATURE_UNCHECKED), r::toString);
    assertFalse(r.has(FindingCode.SEGMENT_MODIFIED), r::toString);
    assertTrue(r.tamperedRanges().isEmpty(), r::toString);
  }

  @Test
  void anUncheckedSignatureSaysTheSignerIsUnknown() throws IOException {
    byte[] c = content(SEG + 1, 5);
    Seal signed =
        SealSigner.sign(
            seal(c, SealSuite.SHA256), SigningKeys.generate(SignatureSuite.SM2_SM3), null);
    VerificationReport r = viaFile(c, Seal.parse(signed.toJson()));
    assertEquals(Verdict.INTACT, r.verdict());
    List<Finding> f = r.findings(FindingCode.SIGNATURE_UNCHECKED);
    assertEquals(1, f.size(), r::toString);
    assertTrue(f.get(0).message().startsWith("NOT VERIFIED who signed"), f.get(0)::message);
  }
}
