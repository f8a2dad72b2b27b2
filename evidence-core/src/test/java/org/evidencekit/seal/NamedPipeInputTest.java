package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every library entry point that opens a file a caller names refuses a named pipe before any read,
 * checked through the path before the open and again after it: a pipe nobody writes to would block
 * the reader for ever (R-02: bad input is refused, never a hang).
 */
class NamedPipeInputTest {
  @TempDir Path dir;

  private Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    return p;
  }

  private static void refusedAtOnce(String what, Executable read) {
    FileSystemException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> assertThrows(FileSystemException.class, read), what);
    assertTrue(e.getMessage().contains("not a regular file"), what + ": " + e.getMessage());
  }

  @Test
  void aNamedPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path pipe = fifo("recording.mp4");
    Path real = Files.writeString(dir.resolve("real.mp4"), "bytes", StandardCharsets.UTF_8);
    Seal seal = Sealer.create().seal(real);
    refusedAtOnce("seal", () -> Sealer.create().seal(pipe));
    refusedAtOnce("verify", () -> Verifier.create().verify(pipe, seal));
    refusedAtOnce("seal file", () -> Seal.read(pipe));
    refusedAtOnce("PEM key", () -> SigningKeys.readPem(pipe, null));
    refusedAtOnce("trust anchors", () -> TrustAnchors.fromPem(List.of(pipe)));
    refusedAtOnce(
        "key-encryption key", () -> AesKeyEncryptionKey.readPkcs12(pipe, new char[] {'x'}, "k"));
    EvidenceArchive archive =
        EvidenceArchive.open(
            new InMemoryEvidenceStore(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    refusedAtOnce("archive ingest", () -> archive.ingest("rec/a.mp4", pipe, seal, "intake"));
    refusedAtOnce(
        "archive ingestOnce", () -> archive.ingestOnce("rec/a.mp4", pipe, seal, "intake"));
  }
}
