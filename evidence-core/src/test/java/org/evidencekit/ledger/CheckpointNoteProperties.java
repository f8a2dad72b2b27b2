package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.evidencekit.hash.Digest;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;

/** C2SP checkpoints against a naive model: the text is exactly the three lines, nothing else. */
class CheckpointNoteProperties {
  static final SigningKeys.LocalSigningKey KEY = SigningKeys.generate(SignatureSuite.ED25519);

  @Property(tries = 60)
  void aSignedCheckpointIsItsThreeLinesAndReadsBack(
      @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String name,
      @ForAll @LongRange(min = 0, max = (1L << 53) - 1) long size,
      @ForAll @Size(32) List<Byte> rootBytes)
      throws IOException {
    byte[] root = new byte[32];
    for (int i = 0; i < 32; i++) {
      root[i] = rootBytes.get(i);
    }
    String origin = "log.example/" + name;
    LogCheckpoint cp = LogCheckpoint.sign(origin, size, Digest.of(root), KEY);
    String model = origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    assertArrayEquals(model.getBytes(StandardCharsets.UTF_8), cp.text());
    String encoded = new String(cp.encoded(), StandardCharsets.UTF_8);
    assertTrue(encoded.startsWith(model + "\n\u2014 " + origin + " "), encoded);
    LogCheckpoint back = LogCheckpoint.parse(cp.encoded());
    assertEquals(origin, back.origin());
    assertEquals(size, back.size());
    assertArrayEquals(root, back.root().toByteArray());
    TrustAnchors trusted = TrustAnchors.ofPublicKeys(List.of(KEY.publicKeyDer()));
    assertTrue(back.verify(trusted));
    // the same statement about another size is not what was signed
    String other =
        encoded.replaceFirst("\n" + size + "\n", "\n" + (size == 0 ? 1 : size - 1) + "\n");
    assertFalse(LogCheckpoint.parse(other.getBytes(StandardCharsets.UTF_8)).verify(trusted));
  }
}
