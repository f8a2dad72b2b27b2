package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Container, GPS and name times compared: numbers in the finding, tolerance honoured. */
class NameTimeCheckTest {
  static RecordingTimeline gopro() throws IOException {
    return MediaProbe.create()
        .probe(
            Path.of(
                MadeFixturesTest.RealFilesTestPaths.real("gopro-gpmf-parser/max-heromode.mp4")));
  }

  @Test
  void gpsTimeShowsTheCameraClocksOffsetFromItsName() throws IOException {
    // the GoPro stored 15:45:32 local (UTC-8) as its creation time; its GPS says 23:45:14 UTC
    FileNameClock pacific =
        FileNameClock.standard(ZoneId.of("America/Los_Angeles"))
            .withPattern("HERO", "max-heromode-{yyyyMMddHHmmss}");
    FileNameReading name = pacific.read("max-heromode-20191118154532.mp4").orElseThrow();
    List<MediaFinding> f = NameTimeCheck.compare(gopro(), name, NameTimeCheck.DEFAULT_TOLERANCE);
    MediaFinding local = f.get(0);
    assertTrue(local.benign(), local.message());
    assertTrue(local.message().contains("local time as if it were UTC"), local.message());
    MediaFinding gps = f.get(1);
    assertFalse(gps.benign());
    assertTrue(gps.message().contains("GPS time 2019-11-18T23:45:14Z is 18.000 s"), gps.message());
    assertEquals(2, f.size());
    assertEquals(
        1,
        NameTimeCheck.compare(gopro(), name, Duration.ofSeconds(20)).size(),
        "within a 20 s tolerance only the benign local-time note is left");
  }

  /** A one-track movie created at {@code created} (UTC seconds) lasting {@code seconds}. */
  static RecordingTimeline movie(long created, int seconds) throws IOException {
    long t = created + MediaProbe.EPOCH_1904;
    byte[] mvhd =
        HostileInputTest.box(
            "mvhd", HostileInputTest.ints(0, t, t, 1000, seconds * 1000L), new byte[80]);
    byte[] moov = HostileInputTest.box("moov", mvhd);
    return MediaProbe.create()
        .probe(new ByteArrayChannel(HostileInputTest.cat(HostileInputTest.FTYP, moov)));
  }

  @Test
  void eachExplanationIsBenignAndNothingElseIs() throws IOException {
    FileNameReading name = FileNameClock.standard().read("VID_20230601_140000.mp4").orElseThrow();
    long utcOfName = 1_685_599_200L; // 2023-06-01T06:00:00Z, 14:00 in Shanghai
    long localAsUtc = utcOfName + 8 * 3600;
    String[][] cases = {
      // created, length, expected (empty: agrees; b: benign; w: warning), text
      {"" + (utcOfName + 1), "60", "", ""},
      {"" + localAsUtc, "60", "b", "local time as if it were UTC"},
      {"" + (utcOfName + 60), "60", "b", "when it closed it"},
      {"" + (localAsUtc + 60), "60", "b", "closed the file 60.000 s later"},
      {"" + (utcOfName + 30), "60", "w", "30.000 s (0.01 h) after"},
      {"" + (localAsUtc + 3600), "60", "w", "32400.000 s"},
      {"" + (utcOfName - 5), "60", "w", "5.000 s (0.00 h) before"},
    };
    for (String[] c : cases) {
      RecordingTimeline t = movie(Long.parseLong(c[0]), Integer.parseInt(c[1]));
      List<MediaFinding> f = NameTimeCheck.compare(t, name, NameTimeCheck.DEFAULT_TOLERANCE);
      if (c[2].isEmpty()) {
        assertEquals(List.of(), f, c[0]);
        continue;
      }
      assertEquals(1, f.size(), f.toString());
      assertEquals(c[2].equals("b"), f.get(0).benign(), f.get(0).message());
      assertTrue(f.get(0).message().contains(c[3]), f.get(0).message());
    }
  }

  @Test
  void argumentsAreChecked() throws IOException {
    FileNameReading name = FileNameClock.standard().read("VID_20230601_140000.mp4").orElseThrow();
    RecordingTimeline t = gopro();
    assertThrows(
        IllegalArgumentException.class,
        () -> NameTimeCheck.compare(t, name, Duration.ofSeconds(-1)));
    assertThrows(
        NullPointerException.class, () -> NameTimeCheck.compare(null, name, Duration.ZERO));
    assertThrows(NullPointerException.class, () -> NameTimeCheck.compare(t, null, Duration.ZERO));
    assertThrows(NullPointerException.class, () -> NameTimeCheck.compare(t, name, null));
  }
}
