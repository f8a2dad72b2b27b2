package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.continuity.ContinuityInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input file larger than the command reads is a one-line usage error (exit 2), never an {@code
 * OutOfMemoryError}: the bound holds for the read itself, so a file that holds more than it
 * reported when it was checked (one that grew, or a procfs file reporting 0 bytes) is refused one
 * byte past the bound. The large files are sparse: nothing of their size is written.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OversizedInputCliTest {
  @TempDir Path dir;

  private Path sparse(String name, long length) throws IOException {
    Path p = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(length);
    }
    return p;
  }

  private static void assertOneLineError(CliTest.Run r, String containing) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("evidence: "), r.err());
    assertTrue(r.err().contains(containing), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }

  private Path recording() throws IOException {
    Path p = dir.resolve("DEVCAM7_20230601_141000_001.mp4");
    try (var in =
        getClass().getResourceAsStream("/fixtures/f02_split3/DEVCAM7_20230601_141000_001.mp4")) {
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
    }
    return p;
  }

  @Test
  void aRetentionPolicyOrFactsFileOverTheBoundIsAUsageError() throws IOException {
    Path big = sparse("policy.json", RetentionCommand.MAX_INPUT_BYTES + 1);
    assertOneLineError(
        CliTest.run("retention", "plan", "--policy", big.toString(), "--facts", big.toString()),
        "policy " + big + " is larger than 512 MiB");
  }

  @Test
  void anAnalyzeInputOverTheBoundIsAUsageError() throws IOException {
    Path big = sparse("devices.json", ContinuityInputs.MAX_INPUT_BYTES + 1);
    assertOneLineError(
        CliTest.run("analyze", recording().toString(), "--devices", big.toString()),
        "devices " + big + " is larger than 64 MiB");
  }

  @Test
  void aWitnessStateOverTheBoundIsAUsageError() throws IOException {
    Path key = dir.resolve("legal.pem");
    Path log = dir.resolve("log.pem");
    assertEquals(0, CliTest.run("keygen", "-o", key.toString()).code());
    assertEquals(0, CliTest.run("keygen", "-o", log.toString()).code());
    Path big = sparse("legal.state.note", LedgerCommand.MAX_INPUT_BYTES + 1);
    assertOneLineError(
        CliTest.run(
            "ledger",
            "witness",
            dir.resolve("store").toString(),
            "--key",
            key.toString(),
            "--name",
            "legal.bureau.example/w1",
            "--trust",
            dir.resolve("log.pub.pem").toString(),
            "--state",
            big.toString()),
        "witness state " + big + " is larger than 256 MiB");
  }

  /**
   * A regular file that reports 0 bytes and holds gigabytes (Linux's page map of the reading
   * process): a size checked before the read lets it through, and read whole it was an {@code
   * OutOfMemoryError}. The bounded read stops one byte past 64 MiB.
   */
  @Test
  void aFileHoldingMoreThanItReportsIsRefusedAtTheBound() throws IOException {
    Path pagemap = Path.of("/proc/self/pagemap");
    assumeTrue(
        Files.isRegularFile(pagemap) && Files.isReadable(pagemap) && Files.size(pagemap) == 0,
        "a procfs file that reports no size");
    assertOneLineError(
        CliTest.run("analyze", recording().toString(), "--devices", pagemap.toString()),
        "devices " + pagemap + " is larger than 64 MiB");
  }

  /**
   * A named pipe given as an input file, read whole by the command (analyze's inputs through the
   * library, a retention policy through the command line's own bounded read): refused, never a
   * command waiting for a writer.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aNamedPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("devices.json");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    assertOneLineError(
        CliTest.run("analyze", recording().toString(), "--devices", fifo.toString()),
        "devices is not a regular file (a pipe, socket or device): " + fifo);
    assertOneLineError(
        CliTest.run("retention", "plan", "--policy", fifo.toString(), "--facts", fifo.toString()),
        "is not a regular file (a pipe, socket or device): " + fifo);
  }

  /** Commands that stream a recording refuse a pipe given as it, at once and in one line. */
  @Test
  void aNamedPipeGivenAsARecordingIsRefusedWithoutWaiting() throws Exception {
    Path fifo = dir.resolve("pipe.mp4");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    for (String[] args :
        new String[][] {
          {"seal", fifo.toString()},
          {"verify", fifo.toString()},
          {"probe", fifo.toString()},
        }) {
      assertOneLineError(
          CliTest.run(args), "file is not a regular file (a pipe, socket or device): " + fifo);
    }
  }

  /**
   * The real main in a JVM of its own with a 64 MiB heap and the launcher's serial collector (its
   * old generation, where such an array goes, is two thirds of the heap): exit code and stderr.
   */
  private CliTest.Run runInSmallHeap(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                EvidenceCommand.class.getName()));
    command.addAll(List.of(args));
    Path err = dir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(err.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
    return new CliTest.Run(p.exitValue(), "", Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * An input within its bound that the heap cannot hold (50 MiB of "[" in a 64 MiB heap, against
   * bounds of 256 and 512 MiB) is a one-line usage error naming the file and its size, whether the
   * command line reads it (retention facts, a proof bundle) or the library (a seal): each was an
   * {@code OutOfMemoryError} with its stack trace and exit 1.
   */
  @Test
  void anInputWithinItsBoundThatTheHeapCannotHoldIsAUsageError() throws Exception {
    Path big = dir.resolve("nested.json");
    byte[] brackets = new byte[50 << 20];
    Arrays.fill(brackets, (byte) '[');
    Files.write(big, brackets);
    String tooMany = big + " has " + brackets.length + " bytes, too many to read into memory";
    assertOneLineError(
        runInSmallHeap("retention", "plan", "--facts", big.toString()), "facts " + tooMany);
    Path key = dir.resolve("log.pem");
    assertEquals(0, CliTest.run("keygen", "-o", key.toString()).code());
    assertOneLineError(
        runInSmallHeap(
            "ledger",
            "check-bundle",
            big.toString(),
            "--content",
            big.toString(),
            "--trust",
            dir.resolve("log.pub.pem").toString()),
        tooMany);
    assertOneLineError(runInSmallHeap("verify", recording().toString(), big.toString()), tooMany);
  }
}
