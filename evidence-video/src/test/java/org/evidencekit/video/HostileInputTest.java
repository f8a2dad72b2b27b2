package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile and damaged input: a precise MediaFormatException, fast, never an Error. */
@Timeout(value = 1, unit = TimeUnit.SECONDS)
class HostileInputTest {
  static byte[] box(String type, byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.write(p, 0, p.length);
    }
    ByteBuffer b = ByteBuffer.allocate(8 + body.size());
    b.putInt(8 + body.size())
        .put(type.getBytes(StandardCharsets.ISO_8859_1))
        .put(body.toByteArray());
    return b.array();
  }

  static byte[] ints(long... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length);
    for (long x : v) {
      b.putInt((int) x);
    }
    return b.array();
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.write(p, 0, p.length);
    }
    return o.toByteArray();
  }

  static final byte[] FTYP = box("ftyp", "isom".getBytes(StandardCharsets.US_ASCII), ints(0x200));

  /** A minimal valid one-track movie whose stbl is given. */
  static byte[] movie(byte[] stbl) {
    byte[] mvhd = box("mvhd", ints(0, 0, 0, 1000, 1000), new byte[80]);
    byte[] tkhd = box("tkhd", ints(0, 0, 0, 1, 0, 1000), new byte[60]);
    byte[] mdhd = box("mdhd", ints(0, 0, 0, 12800, 512), new byte[4]);
    byte[] hdlr = box("hdlr", ints(0, 0), "vide".getBytes(StandardCharsets.US_ASCII), new byte[13]);
    byte[] minf = box("minf", stbl);
    byte[] trak = box("trak", tkhd, box("mdia", mdhd, hdlr, minf));
    return cat(FTYP, box("moov", mvhd, trak));
  }

  static byte[] stsd() {
    return box("stsd", ints(0, 1), box("mp4a", new byte[28]));
  }

  static byte[] stbl(byte[] stts, byte[] stsz) {
    return box(
        "stbl", stsd(), stts, box("stsc", ints(0, 1, 1, 1, 1)), stsz, box("stco", ints(0, 1, 16)));
  }

  static RecordingTimeline probe(byte[] file) throws IOException {
    return MediaProbe.create().probe(new ByteArrayChannel(file));
  }

  /**
   * A movie box that cannot be read is a finding about a media file, with the precise reason, and
   * the media data is scanned instead: never a failed probe.
   */
  static RecordingTimeline indexDamaged(byte[] file, String containing) throws IOException {
    RecordingTimeline t = probe(file);
    MediaFinding f =
        t.findings().stream()
            .filter(x -> x.code().equals(MediaFindingCode.INDEX_DAMAGED))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no INDEX_DAMAGED in " + t.findings()));
    assertTrue(f.message().contains(containing), f.message());
    assertTrue(f.message().length() < 400, f.message());
    assertTrue(t.truncated());
    assertTrue(t.tracks().isEmpty());
    return t;
  }

  static MediaFormatException refused(byte[] file, String containing) {
    MediaFormatException e = assertThrows(MediaFormatException.class, () -> probe(file));
    assertTrue(e.getMessage().contains(containing), e.getMessage());
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    return e;
  }

  @Test
  void theMinimalMovieItselfParses() throws IOException {
    RecordingTimeline t =
        probe(movie(stbl(box("stts", ints(0, 1, 1, 512)), box("stsz", ints(0, 0, 1, 10)))));
    assertEquals(1, t.track("vide").get().sampleCount());
  }

  @Test
  void sizeAndTimeTablesThatDisagreeAreReported() throws IOException {
    RecordingTimeline t =
        probe(movie(stbl(box("stts", ints(0, 1, 3, 512)), box("stsz", ints(0, 0, 1, 10)))));
    assertEquals(1, t.track("vide").get().sampleCount());
    assertTrue(t.has(MediaFindingCode.SAMPLE_COUNT_MISMATCH), t.findings().toString());
  }

  @Test
  void randomBytesAreNotAMediaFile() {
    byte[] junk = new byte[4096];
    new Random(1).nextBytes(junk);
    MediaFormatException e = refused(junk, "not a media file this library reads");
    assertEquals("not a media file this library reads (MP4/MOV, WAV, AMR or MP3)", e.getMessage());
    refused(new byte[3], "not a media file");
  }

  /**
   * A file that is no media says so, naming what it looks like only when its signature is known: a
   * text file said "not an MP4/MOV file: the first box type is 'cer '" (session 15).
   */
  @Test
  void aFileThatIsNoMediaIsNamedForWhatItLooksLike() {
    String reads = "not a media file this library reads (MP4/MOV, WAV, AMR or MP3)";
    assertEquals(
        reads + ": it looks like text",
        refused("certificate of the scene\n".getBytes(StandardCharsets.UTF_8), reads).getMessage());
    assertEquals(
        reads + ": it looks like a PDF document",
        refused("%PDF-1.7\n%\u00e2\u00e3".getBytes(StandardCharsets.ISO_8859_1), reads)
            .getMessage());
    byte[] avi = "RIFF\0\0\0\0AVI LIST".getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        reads + ": it looks like an AVI video, which this library does not read",
        refused(avi, reads).getMessage());
    // a camera's .TS: known by the sync byte of its second packet, 188 bytes on
    byte[] ts = new byte[2 * 188];
    ts[0] = 0x47;
    ts[1] = 0x40;
    ts[188] = 0x47;
    assertEquals(
        reads + ": it looks like an MPEG transport stream, which this library does not read",
        refused(ts, reads).getMessage());
  }

  @Test
  void wavIsRecognisedAndHasNoTimeline() throws IOException {
    byte[] wav =
        cat(
            "RIFF".getBytes(StandardCharsets.US_ASCII),
            ints(36),
            "WAVEfmt ".getBytes(StandardCharsets.US_ASCII),
            new byte[32]);
    RecordingTimeline t = probe(wav);
    assertEquals(ContainerKind.WAV, t.container());
    assertTrue(t.has(MediaFindingCode.NO_TIMELINE));
  }

  @Test
  void anRf64WhoseDs64ChunkIsCutShortIsNotReadPastTheEnd() throws IOException {
    // found by MediaFuzzProperties: the ds64 sizes were read from beyond the end of the file
    byte[] rf64 =
        cat(
            "RF64".getBytes(StandardCharsets.US_ASCII),
            ints(0xffffffffL),
            "WAVEds64".getBytes(StandardCharsets.US_ASCII),
            new byte[] {28, 0, 0, 0},
            new byte[4]);
    RecordingTimeline t = probe(rf64);
    assertEquals(ContainerKind.WAV, t.container());
    assertTrue(t.has(MediaFindingCode.NO_TIMELINE), t.findings().toString());
  }

  @Test
  void oversizedSampleCountsAreRefusedBeforeAnyAllocation() throws IOException {
    indexDamaged(
        movie(stbl(box("stts", ints(0, 1, 1, 512)), box("stsz", ints(0, 0, 0x7fffffff)))),
        "stsz declares 2147483647 entries");
    // a fixed-size stsz costs nothing to declare: only the samples the time table also has are used
    RecordingTimeline t =
        probe(movie(stbl(box("stts", ints(0, 1, 1, 512)), box("stsz", ints(0, 7, 0xffffffffL)))));
    assertEquals(1, t.track("vide").get().sampleCount());
    assertTrue(t.has(MediaFindingCode.SAMPLE_COUNT_MISMATCH));
    indexDamaged(
        movie(
            stbl(box("stts", ints(0, 1, 0xffffffffL, 512)), box("stsz", ints(0, 7, 0xffffffffL)))),
        "more than a file of");
    indexDamaged(
        movie(stbl(box("stts", ints(0, 0x40000000)), box("stsz", ints(0, 0, 1, 10)))),
        "stts declares 1073741824 entries");
  }

  @Test
  void impossibleBoxSizesAreRefused() throws IOException {
    byte[] size4 = cat(FTYP, box("moov", ints(4), "trak".getBytes(StandardCharsets.US_ASCII)));
    indexDamaged(size4, "smaller than its header");
    byte[] size0 =
        cat(FTYP, box("moov", ints(0), "trak".getBytes(StandardCharsets.US_ASCII), new byte[8]));
    indexDamaged(size0, "size 0");
    byte[] overrun = cat(FTYP, box("moov", ints(1000), "trak".getBytes(StandardCharsets.US_ASCII)));
    indexDamaged(overrun, "overruns its parent");
  }

  @Test
  void aMoovDeclaringTwoGibibytesInASmallFileIsAnIncompleteIndex() throws IOException {
    byte[] file =
        cat(FTYP, ints(0x7ffffff0), "moov".getBytes(StandardCharsets.US_ASCII), new byte[100]);
    truncatedIndex(file);
    byte[] large =
        cat(
            FTYP,
            ints(1),
            "moov".getBytes(StandardCharsets.US_ASCII),
            ByteBuffer.allocate(8).putLong(1L << 40).array(),
            new byte[100]);
    truncatedIndex(large);
  }

  /** A moov cut short is a truncated recording with nothing recovered, never a failed probe. */
  static void truncatedIndex(byte[] file) throws IOException {
    RecordingTimeline t = probe(file);
    assertTrue(t.truncated());
    assertTrue(t.has(MediaFindingCode.INDEX_INCOMPLETE), t.findings().toString());
    assertTrue(t.findings().toString().contains("index is incomplete"));
    assertEquals(0, t.recoveredFrames().getAsLong());
    assertEquals(0.0, t.durationSeconds());
  }

  @Test
  void deepNestingAndBoxFloodsAreBounded() throws IOException {
    byte[] inner = box("free");
    for (int i = 0; i < 3000; i++) {
      inner = box("trak", inner);
    }
    indexDamaged(
        cat(FTYP, box("moov", box("mvhd", ints(0, 0, 0, 1000, 0), new byte[80]), inner)),
        "track header");
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    flood.write(FTYP, 0, FTYP.length);
    for (int i = 0; i < 2000; i++) {
      byte[] f = box("free");
      flood.write(f, 0, f.length);
    }
    MediaFormatException e =
        assertThrows(
            MediaFormatException.class,
            () ->
                MediaProbe.create(new ParseLimits(16, 1000, 1 << 20, 10), false)
                    .probe(new ByteArrayChannel(flood.toByteArray())));
    assertTrue(e.getMessage().contains("more than 1000 boxes"), e.getMessage());
  }

  @Test
  void anUnknownTopLevelBoxMidFileIsADamagedTail(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    byte[] good = movie(stbl(box("stts", ints(0, 1, 1, 512)), box("stsz", ints(0, 0, 1, 10))));
    byte[] file = cat(good, box("zzzz", new byte[10]));
    Path p = dir.resolve("x.mp4");
    Files.write(p, file);
    RecordingTimeline t = MediaProbe.create().probe(p);
    assertEquals(1, t.track("vide").get().sampleCount(), "what came before the damage is read");
    MediaFinding f =
        t.findings().stream()
            .filter(x -> x.code().equals(MediaFindingCode.DAMAGED_TAIL))
            .findFirst()
            .orElseThrow();
    assertEquals(good.length, f.byteOffset().getAsLong());
    assertTrue(f.message().contains("18 bytes are not read"), f.message());
    refused(cat(box("zzzz", new byte[10]), good), "not a media file this library reads");
    // a power-loss tail: a box header cut inside its 64-bit size, or declaring less than itself
    byte[] cut64 = cat(good, ints(1), "mdat".getBytes(StandardCharsets.US_ASCII), new byte[3]);
    RecordingTimeline c = probe(cut64);
    assertEquals(1, c.track("vide").get().sampleCount());
    assertTrue(c.findings().toString().contains("64-bit size cut off"), c.findings().toString());
    byte[] small = cat(good, ints(4), "mdat".getBytes(StandardCharsets.US_ASCII));
    assertTrue(probe(small).has(MediaFindingCode.DAMAGED_TAIL));
    refused(cat(ints(4), "ftyp".getBytes(StandardCharsets.US_ASCII)), "smaller than its header");
  }
}
