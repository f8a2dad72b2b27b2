package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cards as cameras we did not make write them, built file by file: a Chinese body camera (执法记录仪), a
 * GoPro, a Sony camcorder (XAVC) and an AVCHD camcorder. A records officer expects everything on
 * them that could be evidence to be sealed and kept: the videos, the stills and sound recordings,
 * and the sidecars (a log of the device's events, GPS tracks, clip metadata, the camera's settings
 * and its clock zone, AVCHD's playlists and clip information) that say when, where and how a video
 * was made. Nothing on these cards is operating system debris. What the probe does not
 * read is sealed as plain bytes ({@code NOT_MEDIA}, naming what it looks like); for the continuity
 * analysis a video or sound recording in a format the probe does not read (AVI, a transport stream)
 * is a recording left out, a still or a sidecar is not, and none is a recording that could not be
 * read (Art. 21(2)).
 *
 * <p>Stand-ins: real MP4s from the fixtures where a container must parse; for the rest a few bytes
 * laid out as the format's first bytes are (a JPEG's SOI and APP0, a WAV's RIFF header, a transport
 * stream's two packets, AVCHD's {@code INDX0100}...).
 */
class CameraCardLayoutsTest {
  static final Instant DOCKED = Instant.parse("2026-12-02T04:00:00Z");

  @TempDir Path dir;

  /** What the officer expects of one file. */
  enum Kind {
    /** A video the probe reads: sealed with its timeline. */
    VIDEO,
    /** A video or sound recording the probe does not read: sealed, left out of the analysis. */
    RECORDING_NOT_READ,
    /** A still, or a sidecar: sealed; no recording is missing for it. */
    STILL_OR_SIDECAR
  }

  private static Path write(Path p, byte[] bytes) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A JPEG's start of image and its JFIF APP0 segment, then its end. */
  private static byte[] jpeg() {
    ByteBuffer b = ByteBuffer.allocate(24);
    b.put(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16});
    b.put(text("JFIF\0")).put(new byte[] {1, 1, 0, 0, 1, 0, 1, 0, 0});
    b.put(new byte[] {(byte) 0xff, (byte) 0xd9});
    return b.array();
  }

  /** An AVI's RIFF header and the start of its header list. */
  private static byte[] avi() {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.put(text("RIFF")).putInt(56).put(text("AVI LIST")).putInt(44).put(text("hdrlavih"));
    return b.array();
  }

  /** Two transport stream packets (the programme table), each after {@code timeCode} bytes. */
  private static byte[] transportStream(int timeCode) {
    byte[] b = new byte[2 * (188 + timeCode)];
    for (int packet = 0; packet < 2; packet++) {
      int at = packet * (188 + timeCode) + timeCode;
      b[at] = 0x47;
      b[at + 1] = 0x40;
      b[at + 3] = 0x10;
    }
    return b;
  }

  /** An AVCHD/Blu-ray navigation file: its type and version, then offsets. */
  private static byte[] avchd(String type, int n) {
    ByteBuffer b = ByteBuffer.allocate(8 + n);
    b.put(text(type + "0100")).putInt(0x78);
    return b.array();
  }

  private Path mp4(int i, Path to) throws IOException {
    return Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[i], to);
  }

  @Test
  void aChineseBodyCameraCard() throws Exception {
    Path card = dir.resolve("XX123456");
    Map<Path, Kind> expected = new TreeMap<>();
    String day = "XX123456_20261201_";
    expected.put(mp4(0, card.resolve("DCIM/100MEDIA/" + day + "083000_0001.MP4")), Kind.VIDEO);
    expected.put(mp4(1, card.resolve("2026-12-01/" + day + "090000_0002.MP4")), Kind.VIDEO);
    expected.put(mp4(2, card.resolve("2026-12-01/" + day + "094500_0005.MOV")), Kind.VIDEO);
    expected.put(
        write(card.resolve("2026-12-01/" + day + "091500_0003.AVI"), avi()),
        Kind.RECORDING_NOT_READ);
    expected.put(
        write(card.resolve("2026-12-01/" + day + "093000_0004.TS"), transportStream(0)),
        Kind.RECORDING_NOT_READ);
    expected.put(
        write(card.resolve("DCIM/100MEDIA/" + day + "083000_0001.JPG"), jpeg()),
        Kind.STILL_OR_SIDECAR);
    expected.put(
        write(card.resolve("LOG/XX123456_20261201.LOG"), text("2026-12-01 08:30:00 REC\r\n")),
        Kind.STILL_OR_SIDECAR);
    expected.put(
        write(
            card.resolve("GPS/" + day + "083000_0001.GPS"),
            text("$GPRMC,003000.00,A,3113.82,N,12128.42,E,0.0,0.0,011226,,,A*6C\r\n")),
        Kind.STILL_OR_SIDECAR);
    expected.put(
        write(card.resolve("DCIM/100MEDIA/" + day + "083000_0001.TXT"), text("police 010086\r\n")),
        Kind.STILL_OR_SIDECAR);
    expected.put(
        write(card.resolve("config.ini"), text("[device]\r\nid=XX123456\r\nzone=+8\r\n")),
        Kind.STILL_OR_SIDECAR);
    checkCard(card, expected);
  }

  @Test
  void aGoProCard() throws Exception {
    Path card = dir.resolve("gopro");
    Map<Path, Kind> expected = new TreeMap<>();
    expected.put(mp4(0, card.resolve("DCIM/100GOPRO/GX010001.MP4")), Kind.VIDEO);
    // the low-resolution proxy is an MP4 too
    expected.put(mp4(1, card.resolve("DCIM/100GOPRO/GL010001.LRV")), Kind.VIDEO);
    expected.put(write(card.resolve("DCIM/100GOPRO/GX010001.THM"), jpeg()), Kind.STILL_OR_SIDECAR);
    expected.put(
        write(card.resolve("MISC/version.txt"), text("{\"info version\":\"2.0\"}\n")),
        Kind.STILL_OR_SIDECAR);
    checkCard(card, expected);
  }

  @Test
  void aSonyXavcCard() throws Exception {
    Path card = dir.resolve("sony");
    Path m4 = card.resolve("PRIVATE/M4ROOT");
    Map<Path, Kind> expected = new TreeMap<>();
    expected.put(mp4(0, m4.resolve("CLIP/C0001.MP4")), Kind.VIDEO);
    expected.put(
        write(m4.resolve("CLIP/C0001M01.XML"), text("<?xml version=\"1.0\"?>\n<NonRealTimeMeta/>")),
        Kind.STILL_OR_SIDECAR);
    expected.put(
        write(m4.resolve("MEDIAPRO.XML"), text("<?xml version=\"1.0\"?>\n<MediaProfile/>")),
        Kind.STILL_OR_SIDECAR);
    expected.put(write(m4.resolve("THMBNL/C0001T01.JPG"), jpeg()), Kind.STILL_OR_SIDECAR);
    expected.put(
        write(m4.resolve("STATUS.BIN"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8}),
        Kind.STILL_OR_SIDECAR);
    checkCard(card, expected);
  }

  /** AVCHD keeps a copy of its navigation files in BACKUP/: the same names, the same bytes. */
  @Test
  void anAvchdCard() throws Exception {
    Path bdmv = dir.resolve("avchd/PRIVATE/AVCHD/BDMV");
    Map<Path, Kind> expected = new TreeMap<>();
    expected.put(
        write(bdmv.resolve("STREAM/00000.MTS"), transportStream(4)), Kind.RECORDING_NOT_READ);
    for (Path at : new Path[] {bdmv, bdmv.resolve("BACKUP")}) {
      expected.put(write(at.resolve("INDEX.BDM"), avchd("INDX", 24)), Kind.STILL_OR_SIDECAR);
      expected.put(write(at.resolve("MOVIEOBJ.BDM"), avchd("MOBJ", 24)), Kind.STILL_OR_SIDECAR);
      expected.put(
          write(at.resolve("PLAYLIST/00000.MPL"), avchd("MPLS", 40)), Kind.STILL_OR_SIDECAR);
      expected.put(
          write(at.resolve("CLIPINF/00000.CPI"), avchd("HDMV", 40)), Kind.STILL_OR_SIDECAR);
    }
    checkCard(dir.resolve("avchd"), expected);
  }

  private void checkCard(Path card, Map<Path, Kind> expected) throws Exception {
    try (Stream<Path> all = Files.walk(card)) {
      assertEquals(
          expected.keySet(), Set.copyOf(all.filter(Files::isRegularFile).toList()), "the card");
    }
    FolderSearch search = FolderSearch.of(List.of(card), List.of());
    assertEquals(List.of(), search.skipped(), "nothing on the card is debris");
    assertEquals(expected.keySet(), Set.copyOf(search.files()));

    IngestRequest request = IngestRequest.builder("CAM1", "police-0042").add(card).build();
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(
            dir.resolve("store-" + card.getFileName()), Clock.systemUTC())) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
              .build()
              .ingest(request);
      assertEquals(List.of(), r.skipped());
      Map<Path, IngestedRecording> ingested = new TreeMap<>();
      r.recordings().forEach(x -> ingested.put(x.source().file().orElseThrow(), x));
      assertEquals(expected.keySet(), ingested.keySet(), "every file is sealed");
      for (var e : expected.entrySet()) {
        IngestedRecording x = ingested.get(e.getKey());
        // AVCHD's backup copies are the same bytes under the same name: kept once, not in conflict
        assertTrue(
            x.status() == IngestStatus.INGESTED || x.status() == IngestStatus.ALREADY,
            e.getKey() + ": " + x);
        boolean notMedia =
            x.findings().stream().anyMatch(f -> f.code().equals(IngestCodes.NOT_MEDIA));
        assertEquals(e.getValue() != Kind.VIDEO, notMedia, e.getKey() + ": " + x.findings());
        assertFalse(
            x.findings().stream().anyMatch(f -> f.code().equals(IngestCodes.FOUND_IN_TRASH)),
            e.getKey() + ": " + x.findings());
      }
    }

    // the judgement analyze makes of what the probe refuses
    MediaProbe probe = MediaProbe.create();
    for (var e : expected.entrySet()) {
      Path f = e.getKey();
      try {
        probe.probe(f);
        assertEquals(Kind.VIDEO, e.getValue(), f + " was read");
      } catch (MediaFormatException refused) {
        ProbeRefusal judged = ProbeRefusal.of(f, refused);
        assertFalse(judged.damagedRecording(), f + ": " + judged.reason());
        assertEquals(
            e.getValue() == Kind.RECORDING_NOT_READ,
            judged.recordingNotAnalysed(),
            f + ": " + judged.reason());
        if (e.getValue() == Kind.RECORDING_NOT_READ) {
          // named for what it is, so the officer knows a video was sealed that nothing analysed
          assertTrue(
              judged.reason().contains("it looks like an AVI video")
                  || judged.reason().contains("it looks like an MPEG transport stream"),
              f + ": " + judged.reason());
        }
      }
    }
  }
}
