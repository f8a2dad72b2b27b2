package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.NaiveMerkle;
import org.evidencekit.PseudoRandomChannel;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;

/**
 * Multi-GB behaviour with generated content (nothing stored): offsets past 2^31 and 2^32, a
 * thousand-odd segments, a flipped byte past 4 GiB located exactly.
 */
class LargeContentTest {
  private static final long LENGTH = (5L << 30) + 12345; // 5 GiB and change
  private static final int SEG = 4 << 20;

  @Test
  void fiveGibibytesSealAndVerifyAndATamperPastFourGibIsLocated() throws Exception {
    Sealer sealer = Sealer.builder().segmentSize(SEG).build();
    Seal seal = sealer.seal(new PseudoRandomChannel(LENGTH, 42));
    assertEquals(LENGTH, seal.length());
    assertEquals((int) ((LENGTH + SEG - 1) / SEG), seal.segmentCount());

    // independent reference: leaves hashed straight with MessageDigest, tree by the naive model
    List<byte[]> leaves = new ArrayList<>();
    try (PseudoRandomChannel ch = new PseudoRandomChannel(LENGTH, 42)) {
      ByteBuffer buf = ByteBuffer.allocate(SEG);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      while (true) {
        buf.clear();
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
          // fill
        }
        if (buf.position() == 0) {
          break;
        }
        md.update((byte) 0);
        md.update(buf.array(), 0, buf.position());
        leaves.add(md.digest());
      }
    }
    assertArrayEquals(
        NaiveMerkle.mth("sha256", leaves), seal.root(HashAlgorithm.SHA256).toByteArray());

    long flip = (4L << 30) + 777;
    VerificationReport r =
        Verifier.create().verify(new PseudoRandomChannel(LENGTH, 42, flip), seal);
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertEquals(List.of(seal.segmentRange((int) (flip / SEG))), r.tamperedRanges());
  }
}
