package org.evidencekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.EvidenceStores;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStoreProvider;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's code example, compiled and run; the README must quote it exactly. */
class ReadmeExampleTest {
  @TempDir Path dir;

  private final List<String> printed = new ArrayList<>();

  @Test
  void theReadmeExampleWorksAndIsQuotedVerbatim() throws IOException {
    Path recording = dir.resolve("recording.mp4");
    Path sealFile = dir.resolve("recording.mp4.seal.json");
    Files.write(recording, new byte[3 * 1024 * 1024 + 17]);
    example(recording, sealFile);
    assertTrue(printed.isEmpty());

    byte[] b = Files.readAllBytes(recording);
    b[1024 * 1024 + 5] = 1;
    Files.write(recording, b);
    example(recording, sealFile.resolveSibling("second.seal.json"));
    assertTrue(printed.isEmpty(), "sealed again after the change: intact");
    Files.write(recording, new byte[3 * 1024 * 1024 + 17]);
    VerificationReport r =
        Verifier.create().verify(recording, Seal.read(sealFile.resolveSibling("second.seal.json")));
    assertEquals(Verdict.TAMPERED, r.verdict());

    String readme = Files.readString(Path.of("..", "README.md"));
    String source =
        Files.readString(Path.of("src/test/java/org/evidencekit/ReadmeExampleTest.java"));
    assertTrue(readme.contains(snippet(source)), "README.md quotes the example verbatim");
  }

  private static String snippet(String source) {
    // the markers' last occurrences are the comments in example(), not the literals here
    String begin = "// README-BEGIN";
    int start = source.indexOf('\n', source.lastIndexOf(begin)) + 1;
    int end = source.lastIndexOf("    // README-END");
    StringBuilder sb = new StringBuilder();
    for (String line : source.substring(start, end).split("\n", -1)) {
      sb.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }
    return sb.toString().strip();
  }

  private void example(Path recording, Path sealFile) throws IOException {
    // README-BEGIN
    Sealer sealer = Sealer.builder().suite(SealSuite.SHA256_SM3).build();
    Seal seal = sealer.seal(recording); // one pass, both trees
    Files.write(sealFile, seal.toJson()); // RFC 8785 canonical JSON

    Seal stored = Seal.read(sealFile);
    VerificationReport report = Verifier.create().verify(recording, stored);
    if (report.verdict() != Verdict.INTACT) {
      report.tamperedRanges().forEach(r -> println("changed bytes " + r));
      report.findings().forEach(f -> println(f.code() + ": " + f.message()));
    }
    // README-END
  }

  @Test
  void theReadmeStorageExampleWorksAndIsQuotedVerbatim() throws Exception {
    Path recording = dir.resolve("rec.mp4");
    Files.write(recording, new byte[2_000_000]);
    Path storeRoot = dir.resolve("store");
    java.time.Clock clock =
        java.time.Clock.fixed(
            java.time.Instant.parse("2023-06-01T15:00:00Z"), java.time.ZoneOffset.UTC);
    storageExample(recording, storeRoot, clock);
    try (org.evidencekit.storage.EvidenceStore store =
        org.evidencekit.store.FileSystemEvidenceStore.open(storeRoot, clock)) {
      org.evidencekit.storage.ObjectKey key =
          org.evidencekit.storage.ObjectKey.of(
              "DEVCAM7/2023-06-01/DEVCAM7_20230601_141000_001.mp4");
      assertEquals(2_000_000, store.stat(key).size());
      assertTrue(store.stat(key).retainUntil().isPresent());
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    String source =
        Files.readString(Path.of("src/test/java/org/evidencekit/ReadmeExampleTest.java"));
    assertTrue(readme.contains(snippet(source, "STORE")), "README.md quotes the storage example");
  }

  private static String snippet(String source, String name) {
    String begin = "// README-" + name + "-BEGIN";
    int start = source.indexOf('\n', source.lastIndexOf(begin)) + 1;
    int end = source.lastIndexOf("    // README-" + name + "-END");
    StringBuilder sb = new StringBuilder();
    for (String line : source.substring(start, end).split("\n", -1)) {
      sb.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }
    return sb.toString().strip();
  }

  @SuppressWarnings("try")
  private void storageExample(Path recording, Path storeRoot, java.time.Clock clock)
      throws Exception {
    // README-STORE-BEGIN
    EvidenceStores stores =
        EvidenceStores.builder().register(new FileSystemEvidenceStoreProvider(clock)).build();
    ObjectKey key = ObjectKey.of("DEVCAM7/2023-06-01/DEVCAM7_20230601_141000_001.mp4");
    try (EvidenceStore store = stores.open(storeRoot.toUri());
        WritableObject out = store.create(key);
        SealingChannel sealing = Sealer.create().newSealingChannel(out);
        FileChannel in = FileChannel.open(recording)) {
      in.transferTo(0, in.size(), sealing); // stored and sealed in one pass
      Seal seal = sealing.finish();
      out.commit(); // visible now, never before, never overwritten
      store.setRetention(key, Instant.parse("2025-06-01T00:00:00Z")); // only ever extends
      store.create(key.resolve("seal.json")).close(); // (store the seal the same way)
    }
    // README-STORE-END
  }

  private void println(String s) {
    printed.add(s);
  }
}
