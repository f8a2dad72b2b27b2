package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evidence sweep with a damaged ledger: the ledger is reported and every recording still checked.
 */
class SweepCliTest {
  @TempDir Path dir;

  @Test
  void aDamagedBatchIsReportedAndTheRecordingsAreStillSwept() throws IOException {
    Path storeDir = dir.resolve("store");
    Files.createDirectories(storeDir);
    String store = storeDir.toString();
    for (String name : List.of("a.mp4", "b.mp4")) {
      byte[] b = new byte[100_000];
      new Random(name.hashCode()).nextBytes(b);
      Path f = dir.resolve(name);
      Files.write(f, b);
      assertEquals(0, run("seal", f.toString(), "--device", "CAM-7").code());
      CliTest.Run r =
          run(
              "ledger",
              "ingest",
              "--clock-mark",
              CliTest.mark(dir),
              store,
              f.toString(),
              "--as",
              "CAM-7/" + name,
              "--actor",
              "in");
      assertEquals(0, r.code(), r.err());
    }
    List<Path> batches;
    try (Stream<Path> s = Files.walk(storeDir)) {
      batches =
          s.filter(p -> p.toString().contains("batches") && Files.isRegularFile(p))
              .filter(p -> p.getFileName().toString().equals("content"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertEquals(2, batches.size(), batches.toString());
    Path first = batches.get(0);
    first.toFile().setWritable(true);
    String line = Files.readString(first, StandardCharsets.UTF_8);
    Files.writeString(first, "x" + line.substring(1), StandardCharsets.UTF_8);

    CliTest.Run r = run("sweep", store);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("DAMAGED ledger/batches/"), r.out());
    assertTrue(r.out().contains("UNLOGGED CAM-7/a.mp4"), r.out());
    assertTrue(r.out().contains("1 ok"), r.out());
    // not a terminal (a log, a pipe): the progress is one plain line, no carriage returns
    assertEquals("verified 2 of 2 recordings", r.err().strip(), r.err());
  }

  /**
   * the stored seal object rewritten with spaces (the same seal under other bytes, its
   * metadata's hash and size fixed as an insider at the disk would) was swept CLEAN.
   */
  @Test
  void aSealObjectRewrittenWithOtherBytesIsDamaged() throws IOException {
    Path storeDir = Files.createDirectories(dir.resolve("store"));
    Path f = dir.resolve("a.mp4");
    byte[] b = new byte[100_000];
    new Random(7).nextBytes(b);
    Files.write(f, b);
    assertEquals(0, run("seal", f.toString(), "--device", "CAM-7").code());
    CliTest.Run r =
        run(
            "ledger",
            "ingest",
            "--clock-mark",
            CliTest.mark(dir),
            storeDir.toString(),
            f.toString(),
            "--as",
            "CAM-7/a.mp4",
            "--actor",
            "in");
    assertEquals(0, r.code(), r.err());
    assertEquals(0, run("sweep", storeDir.toString()).code());
    Path seal = storeDir.resolve("objects/CAM-7.d/a.mp4.seal.json.o/content");
    byte[] stored = Files.readAllBytes(seal);
    byte[] altered =
        new String(stored, StandardCharsets.UTF_8)
            .replace(",\"", ", \"")
            .getBytes(StandardCharsets.UTF_8);
    seal.toFile().setWritable(true);
    Files.write(seal, altered);
    Path meta = seal.resolveSibling("meta.json");
    meta.toFile().setWritable(true);
    String m = Files.readString(meta, StandardCharsets.UTF_8);
    String oldHash = org.evidencekit.hash.HashAlgorithm.SHA256.hash(stored).hex();
    String newHash = org.evidencekit.hash.HashAlgorithm.SHA256.hash(altered).hex();
    assertTrue(m.contains(oldHash), m);
    Files.writeString(
        meta,
        m.replace(oldHash, newHash)
            .replace("\"size\":" + stored.length, "\"size\":" + altered.length),
        StandardCharsets.UTF_8);

    r = run("sweep", storeDir.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("DAMAGED CAM-7/a.mp4: seal object's bytes were altered"), r.out());
  }

  /** An empty store: nothing to verify, and no stray blank line on standard error. */
  @Test
  void anEmptyStoreSweepsCleanWithoutProgress() throws IOException {
    Path storeDir = Files.createDirectories(dir.resolve("empty"));
    CliTest.Run r = run("sweep", storeDir.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("CLEAN: 0 checked"), r.out());
    assertEquals("", r.err(), r.err());
  }
}
