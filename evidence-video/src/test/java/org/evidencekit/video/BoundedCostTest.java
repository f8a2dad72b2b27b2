package org.evidencekit.video;

import static org.evidencekit.video.HostileInputTest.FTYP;
import static org.evidencekit.video.HostileInputTest.box;
import static org.evidencekit.video.HostileInputTest.cat;
import static org.evidencekit.video.HostileInputTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work and memory are bounded by the file, not by the counts it declares: the crafted shapes that
 * once ran for seconds, flooded the report or exhausted the heap. The time boxes are hang guards,
 * not timing assertions; the heap bound is checked in a JVM with 64 MiB.
 */
class BoundedCostTest {
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  static byte[] trak(int id, byte[] stts, byte[] stsz) {
    byte[] tkhd = box("tkhd", ints(0, 0, 0, id, 0, 1000), new byte[60]);
    byte[] mdhd = box("mdhd", ints(0, 0, 0, 12800, 512), new byte[4]);
    byte[] hdlr = box("hdlr", ints(0, 0), "vide".getBytes(StandardCharsets.US_ASCII), new byte[13]);
    byte[] stbl =
        box(
            "stbl",
            HostileInputTest.stsd(),
            stts,
            box("stsc", ints(0, 1, 1, 1_000_000, 1)),
            stsz,
            box("stco", ints(0, 1, 16)));
    return box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", stbl)));
  }

  static byte[] movie(byte[]... traks) {
    byte[] mvhd = box("mvhd", ints(0, 0, 0, 1000, 1000), new byte[80]);
    return cat(FTYP, box("moov", cat(mvhd, cat(traks))));
  }

  /** 10^6 samples of 1 byte, the second half each 200 times too long: one hole, one finding. */
  static byte[] millionSamples(int id) {
    return trak(
        id,
        box("stts", ints(0, 2, 500_000, 512, 500_000, 102_400)),
        box("stsz", ints(0, 1, 1_000_000)));
  }

  /** Durations alternating nominal and 100x: every second sample is a separate gap. */
  static byte[] alternating(int samples) {
    long[] stts = new long[2 + 2 * samples];
    stts[1] = samples;
    for (int i = 0; i < samples; i++) {
      stts[2 + 2 * i] = 1;
      stts[3 + 2 * i] = i % 2 == 0 ? 512 : 51_200;
    }
    return movie(trak(1, box("stts", ints(stts)), box("stsz", ints(0, 1, samples))));
  }

  /** A fragmented file whose moov has 20 tracks sharing id 1 and fragments of 100,000 samples. */
  static byte[] twentyTracksOneId(int fragments) {
    ByteArrayOutputStream traks = new ByteArrayOutputStream();
    for (int i = 0; i < 20; i++) {
      byte[] t = trak(1, box("stts", ints(0, 0)), box("stsz", ints(0, 0, 0)));
      traks.write(t, 0, t.length);
    }
    byte[] mvex = box("mvex", box("trex", ints(0, 1, 1, 512, 1, 0)));
    byte[] mvhd = box("mvhd", ints(0, 0, 0, 1000, 0), new byte[80]);
    byte[] moov = box("moov", mvhd, traks.toByteArray(), mvex);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(FTYP, 0, FTYP.length);
    out.write(moov, 0, moov.length);
    for (int f = 0; f < fragments; f++) {
      byte[] moof =
          box(
              "moof",
              box("mfhd", ints(0, f + 1)),
              box("traf", box("tfhd", ints(0x000008, 1, 512)), box("trun", ints(0, 100_000))));
      out.write(moof, 0, moof.length);
    }
    return out.toByteArray();
  }

  /** A buffer of big-endian ints: a table of {@code n} entries, each {@code entry(i)}. */
  static byte[] table(String type, int n, int words, java.util.function.IntFunction<int[]> entry) {
    boolean stsz = type.equals("stsz");
    ByteBuffer b = ByteBuffer.allocate(8 + 8 + (stsz ? 4 : 0) + n * words * 4);
    b.putInt(b.capacity()).put(type.getBytes(StandardCharsets.US_ASCII)).putInt(0);
    if (stsz) {
      b.putInt(0); // no fixed size: a size per sample
    }
    b.putInt(n);
    for (int i = 0; i < n; i++) {
      for (int w : entry.apply(i)) {
        b.putInt(w);
      }
    }
    return b.array();
  }

  static final long TEN_HOURS_OF_MEDIA = 4_000_000_000L;

  /**
   * A real-sized index: ten hours of 25 fps video and 48 kHz AAC (900,000 and 1,687,500 samples,
   * every sample its own chunk, a keyframe a second), a 21 MB moov after 4 GB of media data.
   */
  static ByteArrayChannel tenHours() {
    int video = 900_000;
    int audio = 1_687_500;
    byte[] v =
        trakOf(
            1,
            "vide",
            12800,
            box("stts", ints(0, 1, video, 512)),
            table("stsz", video, 1, i -> new int[] {4000}),
            table("stss", video / 25, 1, i -> new int[] {i * 25 + 1}),
            table("stco", video, 1, i -> new int[] {(int) (16 + (long) i * 4000)}),
            video);
    byte[] a =
        trakOf(
            2,
            "soun",
            48000,
            box("stts", ints(0, 1, audio, 1024)),
            table("stsz", audio, 1, i -> new int[] {300}),
            new byte[0],
            table("stco", audio, 1, i -> new int[] {(int) (16 + 3_600_000_000L + (long) i * 200)}),
            audio);
    long created = 1_685_599_200L + MediaProbe.EPOCH_1904;
    byte[] mvhd = box("mvhd", ints(0, created, created, 1000, 36_000_000), new byte[80]);
    byte[] moov = box("moov", mvhd, v, a);
    ByteBuffer head = ByteBuffer.allocate(FTYP.length + 16);
    head.put(FTYP).putInt(1).put("mdat".getBytes(StandardCharsets.US_ASCII));
    head.putLong(16 + TEN_HOURS_OF_MEDIA);
    return new ByteArrayChannel(head.array(), TEN_HOURS_OF_MEDIA, moov);
  }

  /** The same ten hours as a sparse file: the media data is a hole. */
  static void writeTenHours(Path file) throws IOException {
    ByteArrayChannel c = tenHours();
    try (java.nio.channels.FileChannel out =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.SPARSE)) {
      long size = c.size();
      ByteBuffer head = ByteBuffer.allocate(FTYP.length + 16);
      c.position(0);
      c.read(head);
      head.flip();
      out.write(head, 0);
      long moovAt = FTYP.length + 16 + TEN_HOURS_OF_MEDIA;
      ByteBuffer moov = ByteBuffer.allocate((int) (size - moovAt));
      c.position(moovAt);
      while (moov.hasRemaining() && c.read(moov) > 0) {
        // read the whole moov
      }
      moov.flip();
      out.write(moov, moovAt);
    }
  }

  static byte[] trakOf(
      int id,
      String handler,
      long timescale,
      byte[] stts,
      byte[] stsz,
      byte[] stss,
      byte[] stco,
      int samples) {
    byte[] stbl =
        box(
            "stbl",
            HostileInputTest.stsd(),
            stts,
            box("stsc", ints(0, 1, 1, 1, 1)),
            stsz,
            stss,
            stco);
    return box(
        "trak",
        box("tkhd", ints(0, 0, 0, id, 0, 1000), new byte[60]),
        box(
            "mdia",
            box("mdhd", ints(0, 0, 0, timescale, 0), new byte[4]),
            box("hdlr", ints(0, 0), handler.getBytes(StandardCharsets.US_ASCII), new byte[13]),
            box("minf", stbl)));
  }

  @Test
  void aTenHourIndexIsReadWholeAndCheaply() {
    RecordingTimeline t =
        assertTimeoutPreemptively(HANG_GUARD, () -> MediaProbe.create().probe(tenHours()));
    assertEquals(900_000, t.track("vide").orElseThrow().sampleCount());
    assertEquals(36_000, t.track("vide").orElseThrow().syncSampleCount());
    assertEquals(36_000.0, t.track("vide").orElseThrow().durationSeconds(), 1e-6);
    assertEquals(1_687_500, t.track("soun").orElseThrow().sampleCount());
    assertTrue(t.findings().isEmpty(), t.findings().toString());
  }

  static RecordingTimeline probe(byte[] file) throws IOException {
    return MediaProbe.create(ParseLimits.DEFAULTS, true).probe(new ByteArrayChannel(file));
  }

  @Test
  void aMillionDeclaredSamplesInASmallFileGiveOneMergedGap() {
    byte[] file = movie(millionSamples(1));
    assertTrue(file.length < 700, file.length + " bytes");
    RecordingTimeline t = assertTimeoutPreemptively(HANG_GUARD, () -> probe(file));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(1_000_000, v.sampleCount());
    assertEquals(1, v.gapCount(), "500,000 consecutive long samples are one hole");
    TimelineGap g = v.gaps().get(0);
    assertEquals(500_000, g.afterSample());
    assertEquals(500_000 * 512 / 12800.0 + 512 / 12800.0, g.fromSeconds(), 1e-6);
    assertEquals((500_000 * 512 + 500_000 * 102_400L) / 12800.0, g.toSeconds(), 1e-6);
    assertTrue(t.findings().size() < 20, t.findings().toString());
    assertTrue(t.truncated(), "the declared samples lie beyond the end of the file");
  }

  @Test
  void alternatingDurationsAreCappedWithACountOfTheRest() {
    RecordingTimeline t = assertTimeoutPreemptively(HANG_GUARD, () -> probe(alternating(2000)));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(1000, v.gapCount());
    assertEquals(FindingList.PER_CODE, v.gaps().size());
    long listed =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.TIMESTAMP_GAP)).count();
    assertEquals(FindingList.PER_CODE, listed);
    MediaFinding more =
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.MORE_GAPS))
            .findFirst()
            .orElseThrow();
    double each = (51_200 - 512) / 12800.0;
    assertTrue(
        more.message()
            .contains(String.format(java.util.Locale.ROOT, "900 more gaps, %.3f s", 900 * each)),
        more.message());
  }

  @Test
  void eightSuchTracksAreRefusedBeforeTheWorkIsDone() {
    byte[][] traks = new byte[8][];
    for (int i = 0; i < 8; i++) {
      traks[i] = millionSamples(i + 1);
    }
    byte[] file = movie(traks);
    assertTrue(file.length < 4096, file.length + " bytes");
    RecordingTimeline t = assertTimeoutPreemptively(HANG_GUARD, () -> probe(file));
    assertTrue(t.tracks().isEmpty(), "the index is given up, not walked");
    MediaFinding f =
        t.findings().stream()
            .filter(x -> x.code().equals(MediaFindingCode.INDEX_DAMAGED))
            .findFirst()
            .orElseThrow();
    assertTrue(f.message().contains("more than a file of"), f.message());
    assertEquals(1, t.findings().size(), "the first track's findings went with the index");
  }

  @Test
  void twentyTracksSharingAnIdReadTheFragmentsOnce() {
    byte[] file = twentyTracksOneId(9);
    RecordingTimeline t = assertTimeoutPreemptively(HANG_GUARD, () -> probe(file));
    assertEquals(20, t.tracks().size());
    assertEquals(900_000, t.tracks().get(0).sampleCount());
    for (TrackTimeline tr : t.tracks().subList(1, 20)) {
      assertEquals(0, tr.sampleCount());
    }
    assertEquals(
        19,
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.DUPLICATE_TRACK_ID))
            .count());
    assertEquals(900_000 * 512 / 12800.0, t.tracks().get(0).durationSeconds(), 1e-6);
    assertTrue(t.truncated(), "1-byte samples from each moof run past the end of the file");
    byte[] more = twentyTracksOneId(11);
    RecordingTimeline over = assertTimeoutPreemptively(HANG_GUARD, () -> probe(more));
    assertTrue(over.has(MediaFindingCode.INDEX_DAMAGED), "1.1 million samples in a small file");
  }

  /** Probes the files named in its arguments: run with -Xmx64m by the test below. */
  static final class SmallHeap {
    public static void main(String[] args) throws IOException {
      for (String f : args) {
        try {
          RecordingTimeline t = MediaProbe.create().probe(Path.of(f));
          System.out.println(
              "ok "
                  + t.tracks().stream().mapToLong(TrackTimeline::sampleCount).sum()
                  + " samples, "
                  + t.findings().size()
                  + " findings");
        } catch (MediaFormatException e) {
          System.out.println("refused " + e.getMessage());
        }
      }
    }
  }

  @Test
  void theCraftedShapesProbeInA64MiBHeap(@TempDir Path dir) throws Exception {
    byte[][] traks = new byte[8][];
    for (int i = 0; i < 8; i++) {
      traks[i] = millionSamples(i + 1);
    }
    List<byte[]> shapes =
        List.of(
            movie(millionSamples(1)),
            alternating(20_000),
            movie(traks),
            twentyTracksOneId(9),
            twentyTracksOneId(200));
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SmallHeap.class.getName());
    for (int i = 0; i < shapes.size(); i++) {
      Path f = dir.resolve("shape" + i + ".mp4");
      Files.write(f, shapes.get(i));
      command.add(f.toString());
    }
    Path tenHours = dir.resolve("ten-hours.mp4");
    writeTenHours(tenHours);
    command.add(tenHours.toString());
    Path log = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "hang guard");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    List<String> lines =
        out.lines().filter(l -> l.startsWith("ok ") || l.startsWith("refused ")).toList();
    assertEquals(6, lines.size(), out);
    assertEquals("ok 0 samples, 1 findings", lines.get(2), "eight tracks: the index given up");
    assertEquals("ok 2587500 samples, 0 findings", lines.get(5), out);
  }
}
