package org.evidencekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
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

  private void println(String s) {
    printed.add(s);
  }
}
