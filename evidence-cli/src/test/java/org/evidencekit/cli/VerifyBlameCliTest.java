package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evidence verify blames an edited seal on the seal, and says when the signer is unknown. */
class VerifyBlameCliTest {
  @TempDir Path dir;

  private Path signedRecording() throws IOException {
    byte[] b = new byte[300_000];
    new Random(7).nextBytes(b);
    Path f = dir.resolve("rec.mp4");
    Files.write(f, b);
    Path key = dir.resolve("station.pem");
    assertEquals(0, run("keygen", "-o", key.toString()).code());
    CliTest.Run r = run("seal", f.toString(), "--key", key.toString(), "--device", "CAM-7");
    assertEquals(0, r.code(), r.err());
    return f;
  }

  @Test
  void aLoweredSealLengthIsInconclusiveAndNamesTheSealNotTheRecording() throws IOException {
    Path f = signedRecording();
    Path seal = dir.resolve("rec.mp4.seal.json");
    String json = Files.readString(seal, StandardCharsets.UTF_8);
    assertTrue(json.contains("\"length\":300000"));
    Files.writeString(seal, json.replace("\"length\":300000", "\"length\":299999"));
    CliTest.Run r = run("verify", f.toString());
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("INCONCLUSIVE"), r.out());
    assertTrue(r.out().contains("SIGNATURE_INVALID"), r.out());
    assertFalse(r.out().contains("SEGMENT_MODIFIED"), r.out());
    assertFalse(r.out().contains("CONTENT_EXTENDED"), r.out());
  }

  @Test
  void withoutTrustAnchorsTheOutputSaysTheSignerWasNotVerified() throws IOException {
    Path f = signedRecording();
    CliTest.Run r = run("verify", f.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("SIGNATURE_UNCHECKED"), r.out());
    assertTrue(r.out().contains("NOT VERIFIED who signed"), r.out());
    r = run("verify", f.toString(), "--trust", dir.resolve("station.pub.pem").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("SIGNATURE_VERIFIED"), r.out());
  }
}
