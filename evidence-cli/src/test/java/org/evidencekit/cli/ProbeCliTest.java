package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.evidencekit.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evidence probe} on recordings made elsewhere (copies of evidence-video's corpus): a
 * power-loss file is a truncated timeline placed by its name, a re-stamped file shows the clocks'
 * disagreement, names are read with the zone and patterns given.
 */
class ProbeCliTest {
  @TempDir Path dir;

  Path copy(String name) throws IOException {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("probe/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void aPowerLossFileIsATruncatedTimelineNotAFailure() throws IOException {
    Path f = copy("J0012345_010086_20230601140010_0004.mp4");
    Run r = CliTest.run("probe", f.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out()).get("files").get(0);
    assertTrue(j.get("truncated").asBoolean());
    assertTrue(j.get("durationEstimated").asBoolean());
    assertTrue(j.get("creationTime").isNull());
    assertTrue(j.get("recoveredFrames").asLong() > 0);
    JsonNode name = j.get("name");
    assertEquals("GA/T 947 body camera", name.get("convention").asText());
    assertEquals("2023-06-01T06:00:10Z", name.get("time").asText());
    assertEquals(4, name.get("sequence").asInt());
    assertEquals("010086", name.get("officer").asText());
    Run text = CliTest.run("probe", f.toString());
    assertTrue(text.out().contains("(truncated), about "), text.out());
    assertTrue(text.out().contains("MOOV_MISSING"), text.out());
  }

  @Test
  void aReStampedFileShowsTheClocksDisagreement() throws IOException {
    Path f = copy("VID_20230601_140000.mp4");
    Run r = CliTest.run("probe", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("NAME_TIME_MISMATCH"), r.out());
    assertTrue(r.out().contains("259200.000 s (72.00 h) after"), r.out());
    // read in UTC the name is eight hours later, and three days less eight hours apart
    Run utc = CliTest.run("probe", f.toString(), "--zone", "UTC", "--json");
    JsonNode j = new ObjectMapper().readTree(utc.out()).get("files").get(0);
    assertEquals("2023-06-01T14:00:00Z", j.get("name").get("time").asText());
    assertTrue(utc.out().contains("230400.000 s"), utc.out());
  }

  @Test
  void aUserPatternReadsAModelsNames() throws IOException {
    Path f = copy("REC_20230601_140000.wav");
    Run r =
        CliTest.run(
            "probe", f.toString(), "--name-pattern", "ZOOM-H1=REC_{yyyyMMdd}_{HHmmss}", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out()).get("files").get(0);
    assertEquals("WAV", j.get("container").asText());
    assertEquals(3.0, j.get("durationSeconds").asDouble(), 1e-9);
    assertEquals("2023-06-01T14:00", j.get("localCreationTime").asText());
    assertEquals("user pattern for ZOOM-H1", j.get("name").get("convention").asText());
    assertFalse(r.out().contains("NAME_TIME_MISMATCH"), "bext time and name agree");
  }

  @Test
  void badZonesAndPatternsAreOneLineUsageErrors() throws IOException {
    Path f = copy("VID_20230601_140000.mp4");
    for (String[] args :
        new String[][] {
          {"--zone", "Mars/Olympus"},
          {"--name-pattern", "nomodel"},
          {"--name-pattern", "X={nonsense}"},
          {"--name-pattern", "X={seq}", "--name-pattern", "X={seq}_{seq2}"},
        }) {
      String[] all = new String[args.length + 2];
      all[0] = "probe";
      all[1] = f.toString();
      System.arraycopy(args, 0, all, 2, args.length);
      Run r = CliTest.run(all);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.out().isEmpty(), r.out());
    }
  }
}
