package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad rows are reported and the rest planned; CSV is defused; 100,000 rows fit in 128 MiB. */
class PlanRobustnessTest {
  static final Instant AT = Instant.parse("2027-01-01T00:00:00Z");

  static String row(String id, String end) {
    return "{\"id\":\""
        + id
        + "\""
        + (end == null ? "" : ",\"recordingEnd\":\"" + end + "\"")
        + "}";
  }

  /**
   * A recording given where facts or a policy belong is named as what it is, not by the parser's
   * complaint about its size field read as UTF-32.
   */
  @Test
  void aRecordingGivenAsFactsOrPolicyIsNamedAsSuch() {
    byte[] mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0};
    for (org.junit.jupiter.api.function.Executable parse :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> RetentionFacts.parse(mp4),
            () -> RetentionPolicy.parse(mp4),
            () -> org.evidencekit.ledger.ProofBundle.parse(mp4))) {
      IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, parse);
      assertTrue(e.getMessage().contains("not JSON (it looks like an MP4 file)"), e.getMessage());
      assertTrue(!e.getMessage().contains("UTF-32"), e.getMessage());
    }
  }

  @Test
  void badRowsAreReportedByNumberAndTheRestIsPlanned() throws Exception {
    String json =
        "{\"format\":\"evidencekit.retention-facts/1\",\"cases\":[],\"recordings\":["
            + String.join(
                ",",
                row("good-1", "2024-06-01T00:00:00Z"),
                row("far-future", "+999999999-01-01T00:00:00Z"),
                row("no-end", null),
                "{\"id\":\"orphan\",\"recordingEnd\":\"2024-06-01T00:00:00Z\",\"caseIds\":[\"X\"]}",
                row("=HYPERLINK(\\\"http://evil\\\")", "2024-06-01T00:00:00Z"),
                row("good-1", "2020-01-01T00:00:00Z"))
            + "]}";
    RetentionFacts f = RetentionFacts.parse(json.getBytes(StandardCharsets.UTF_8));
    assertEquals(2, f.recordings().size());
    List<String> bad = f.rejectedRows();
    assertEquals(4, bad.size(), bad.toString());
    assertTrue(bad.get(0).startsWith("recording row 2 (far-future)"), bad.get(0));
    assertTrue(bad.get(0).contains("9999"), bad.get(0));
    assertTrue(bad.get(1).startsWith("recording row 3 (no-end)"), bad.get(1));
    assertTrue(bad.get(2).contains("unknown case X"), bad.get(2));
    assertTrue(bad.get(3).startsWith("recording row 6 (good-1)"), bad.get(3));

    Disposition.Plan plan =
        Disposition.plan(RetentionPolicy.regulationDefault(), f, RetentionHistory.empty(), AT);
    assertEquals(2, plan.decisions().size());
    assertEquals(4, plan.problems().size());
    String csv = plan.toCsv();
    assertTrue(csv.contains("\r\n\"'=HYPERLINK(\"\"http://evil\"\")\",DISPOSABLE,"), csv);
    for (String line : csv.split("\r\n")) {
      assertTrue(line.isEmpty() || "=+-@\t".indexOf(line.charAt(0)) < 0, line);
    }
    assertEquals(4, csv.split(",ERROR,", -1).length - 1, csv);
  }

  @Test
  void aRecordingBeyondTheCalendarIsAProblemNamingTheRuleNotAnInternalError() {
    RetentionFacts f =
        RetentionFacts.of(
            List.of(
                RetentionFacts.Recording.builder("ok")
                    .recordingEnd(Instant.parse("2024-06-01T00:00:00Z"))
                    .build(),
                RetentionFacts.Recording.builder("huge")
                    .recordingEnd(Instant.parse("+999999999-06-01T00:00:00Z"))
                    .build()),
            List.of());
    Disposition.Plan plan =
        Disposition.plan(RetentionPolicy.regulationDefault(), f, RetentionHistory.empty(), AT);
    assertEquals(1, plan.decisions().size());
    String p = plan.problems().get(0);
    assertTrue(p.startsWith("recording huge: rule art19-minimum-2y:"), p);
  }

  /** Builds a 100,000-recording facts document, parses and plans it; run in a 128 MiB heap. */
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    StringBuilder b =
        new StringBuilder(
            "{\"format\":\"evidencekit.retention-facts/1\",\"cases\":["
                + "{\"id\":\"CASE-1\",\"class\":\"10y\",\"archivedAt\":\"2025-03-01T00:00:00Z\"}],"
                + "\"recordings\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"id\":\"DEVCAM")
          .append(i % 97)
          .append('-')
          .append(i)
          .append("\",\"recordingEnd\":\"")
          .append(Instant.parse("2020-01-01T00:00:00Z").plusSeconds(i * 1800L))
          .append("\",\"mediaType\":\"video/mp4\",\"objectKey\":\"recordings/DEVCAM")
          .append(i % 97)
          .append('/')
          .append(i)
          .append(".mp4\",\"custodian\":\"officer-")
          .append(i % 50)
          .append('"')
          .append(i % 10 == 0 ? ",\"caseIds\":[\"CASE-1\"]" : "")
          .append('}');
    }
    b.append("]}");
    byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
    b = null;
    RetentionFacts f = RetentionFacts.parse(json);
    json = null;
    Disposition.Plan plan =
        Disposition.plan(RetentionPolicy.regulationDefault(), f, RetentionHistory.empty(), AT);
    long[] chars = {0};
    plan.writeCsv(
        new Writer() {
          @Override
          public void write(char[] c, int off, int len) {
            chars[0] += len;
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    String digest = plan.digest();
    System.out.println(
        "planned "
            + plan.decisions().size()
            + " disposable "
            + plan.disposable().size()
            + " csv "
            + chars[0]
            + " digest "
            + digest);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void oneHundredThousandRecordingsPlanIn128MiB() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                PlanRobustnessTest.class.getName(),
                "100000")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("planned 100000 disposable "), out);
  }
}
