package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.seal.RecordingMetadata;

/**
 * Whatever a seal's metadata says (markup, quotes, control characters, lone surrogates, formula
 * prefixes), both documents stay well-formed XHTML that shows it as text, and no document can be
 * made to run anything. Time-boxed: a pathological value must not make rendering slow.
 */
class HostileTextTest {
  private static final Instant START = Instant.parse("2023-06-01T14:10:00Z");

  @Property(tries = 200)
  void anyMetadataIsShownAsTextInWellFormedDocuments(
      @ForAll String device, @ForAll String officer, @ForAll String name) {
    String dev = "D" + device;
    String off = "P" + officer;
    String file = "F" + name + ".mp4";
    RecordingMetadata md =
        RecordingMetadata.builder()
            .deviceId(dev)
            .officerId(off)
            .addCaseId("<script>" + name.replace(',', ';')) // a case id holds no comma
            .recordingStart(START)
            .recordingEnd(START.plusSeconds(3))
            .originalFileName(file)
            .build();
    CatalogedRecording r = new CatalogedRecording("K/" + file, null, md, 0);
    r.number = 1;
    // destroyed under a plan whose executor and approver names carry markup
    CatalogedRecording destroyed = new CatalogedRecording("K/gone-" + file, null, md, -1);
    destroyed.number = 2;
    destroyed.disposal =
        new CatalogedRecording.Disposal(
            START.plusSeconds(86_400),
            "0".repeat(64),
            "<script>" + off,
            List.of("<script>" + dev),
            7);
    Selection s =
        new Selection(
            "/srv/\"evidence\"",
            CatalogQuery.all(),
            Clock.systemUTC().instant(),
            List.of(r),
            ContinuityAnalyzer.create().analyze(List.of(), List.of(), List.of()),
            1,
            "00",
            null,
            false,
            List.of(),
            List.of(destroyed));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (Presentation p :
              List.of(
                  Presentation.defaults(),
                  Presentation.of(Presentation.DEFAULT_ZONE, Locale.SIMPLIFIED_CHINESE))) {
            for (byte[] doc : List.of(SupervisorReport.html(s, p), RecordSheet.html(s, p))) {
              String raw = new String(doc, StandardCharsets.UTF_8);
              assertFalse(raw.contains("<script"), "markup escaped");
              String text = ReportTest.text(doc); // parses: well-formed
              assertTrue(text.contains(shown(dev)), "device shown as text");
              assertTrue(text.contains(shown(off)), "officer shown as text");
            }
            String csv = new String(RecordSheet.csv(s, p), StandardCharsets.UTF_8);
            assertTrue(csv.startsWith(String.join(",", RecordSheet.COLUMNS) + "\r\n"));
            String json = new String(RecordSheet.json(s, p), StandardCharsets.UTF_8);
            assertTrue(json.endsWith("}\n"), json);
          }
        });
  }

  /** What XML can hold of a value: characters XML 1.0 cannot carry become U+FFFD. */
  private static String shown(String v) {
    StringBuilder b = new StringBuilder();
    Xhtml.esc(b, v);
    String escaped = b.toString();
    return escaped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("\r", "\n");
  }
}
