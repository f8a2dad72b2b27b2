package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over every media file committed as a test resource (the fixtures, the
 * made files, the peer corpus copies and the real files under 100 KiB): each file's boxes are
 * walked, and each mutation a hostile box file can carry is applied to boxes picked by a fixed
 * {@link Random} (sizes 0, 1 with a 64-bit size, 7, 2^31, 2^32-1, one too large or small; a cut at
 * the box's start, inside its header and inside its body; the box removed, duplicated or swapped
 * with its next sibling; its entry count set to a huge value), plus bytes flipped anywhere, box
 * nesting bombs, and the chunk sizes of WAV and RF64 files set to the same edges (AMR and MP3
 * frames get the byte damage). The probe returns a timeline whose every accessor answers, or throws
 * {@link MediaFormatException}, never anything else. Its work is bounded by the
 * file: the bytes it reads, counted by {@link ByteArrayChannel}, stay under six times the file (the
 * index, keyframe heads that together never exceed the file, media data scanned twice when the
 * index is lost), which keeps a probe of 64 KiB to milliseconds whatever the index declares. The
 * seed is fixed, so a failure reproduces; each kind of failure is reported once, with its input in
 * hex.
 */
class MutationFuzzTest {
  /** A hang guard only: a few KiB probe in milliseconds; this catches a loop that never ends. */
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  static final long SEED = 0x5EED_16F0L;
  static final int MUTANTS_PER_FILE = 120;
  static final int MAX_SEED_BYTES = 100 * 1024;

  static final Set<String> CONTAINERS =
      Set.of(
          "moov", "trak", "mdia", "minf", "stbl", "edts", "moof", "traf", "mvex", "udta", "dinf",
          "meta", "ilst", "mfra", "sinf", "schi", "tref", "gmhd", "wave");

  /** Full boxes whose first field after version and flags is an entry count. */
  static final Set<String> COUNTED =
      Set.of(
          "stts", "ctts", "stsc", "stco", "co64", "stss", "elst", "stsd", "trun", "sbgp", "sdtp");

  static final long[] SIZES = {0, 1, 7, 8, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0xfffffff0L};
  static final long[] LARGE_SIZES = {
    -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 1L << 40, 15, 16, 0
  };
  static final long[] COUNTS = {0xffffffffL, 0x7fffffffL, 0x80000000L, 0x40000000L, 0x10000000L};

  /** A refusal that is a JDK exception's message: it names no box ("Index 3 out of bounds"). */
  static final Pattern JDK_MESSAGE =
      Pattern.compile(
          "^(?:For input string|Index -?[0-9]+ out of bounds|Cannot invoke|null$|"
              + "newPosition|newLimit|capacity < 0)");

  record Seed(String name, byte[] bytes) {}

  record BoxAt(int offset, int size, String type, int depth) {}

  static List<Seed> seeds() {
    try {
      Path root = Path.of(MutationFuzzTest.class.getResource("/corpus").toURI()).getParent();
      List<Seed> out = new ArrayList<>();
      for (String dir : List.of("fixtures", "made", "corpus", "real")) {
        try (Stream<Path> files = Files.walk(root.resolve(dir))) {
          for (Path p : files.sorted().toList()) {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (Files.isRegularFile(p)
                && Files.size(p) <= MAX_SEED_BYTES
                && n.matches(".*\\.(mp4|mov|m4a|wav|mp3|amr)")) {
              out.add(new Seed(root.relativize(p).toString(), Files.readAllBytes(p)));
            }
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every box header in a file, walking the containers; lenient: stops where sizes stop fitting.
   */
  static List<BoxAt> boxes(byte[] d) {
    List<BoxAt> out = new ArrayList<>();
    walk(d, 0, d.length, 0, out);
    return out;
  }

  private static void walk(byte[] d, int from, int to, int depth, List<BoxAt> out) {
    int p = from;
    while (p + 8 <= to && depth < 12 && out.size() < 20_000) {
      long size = ByteBuffer.wrap(d, p, 4).getInt() & 0xffffffffL;
      String type = new String(d, p + 4, 4, StandardCharsets.ISO_8859_1);
      if (size == 0 && depth == 0) {
        size = to - p;
      }
      if (size < 8 || p + size > to) {
        return;
      }
      out.add(new BoxAt(p, (int) size, type, depth));
      if (CONTAINERS.contains(type)) {
        // meta is a full box in MP4 (4 bytes of version and flags before its children)
        int skip = type.equals("meta") && p + 12 <= to && d[p + 8] == 0 ? 4 : 0;
        walk(d, p + 8 + skip, (int) (p + size), depth + 1, out);
      }
      p += (int) size;
    }
  }

  /** Offsets of the chunk headers of a RIFF or RF64 file (the file's own header first). */
  static List<Integer> riffChunks(byte[] d) {
    List<Integer> out = new ArrayList<>();
    if (d.length < 12
        || !(new String(d, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
            || new String(d, 0, 4, StandardCharsets.ISO_8859_1).equals("RF64"))) {
      return out;
    }
    out.add(0);
    ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
    long p = 12;
    while (p + 8 <= d.length && out.size() < 64) {
      out.add((int) p);
      p += 8 + ((b.getInt((int) p + 4) & 0xffffffffL) + 1 & ~1L);
    }
    return out;
  }

  static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }

  static void putU32(byte[] b, int at, long v) {
    if (at + 4 <= b.length) {
      ByteBuffer.wrap(b).putInt(at, (int) v);
    }
  }

  /** Adds {@code delta} to the size fields of every box enclosing [at, at+1). */
  static void growParents(byte[] d, List<BoxAt> all, BoxAt child, int delta) {
    for (BoxAt p : all) {
      if (p.offset() < child.offset()
          && p.offset() + p.size() >= child.offset() + child.size()
          && p.depth() < child.depth()) {
        putU32(d, p.offset(), p.size() + delta);
      }
    }
  }

  /** One mutation of one box, described for the failure message. */
  static String mutate(byte[][] file, Random r) {
    byte[] d = file[0];
    if (d.length == 0) {
      return "nothing left to mutate";
    }
    List<Integer> chunks = riffChunks(d);
    if (!chunks.isEmpty() && r.nextInt(3) > 0) {
      // a WAV/RF64 chunk's little-endian size: zero, odd, past the file, 2^32-1 (RF64's "see ds64")
      int at = chunks.get(r.nextInt(chunks.size())) + 4;
      long v = SIZES[r.nextInt(SIZES.length)] ^ (r.nextBoolean() ? 1 : 0);
      ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) v);
      return "RIFF chunk size at " + at + " set to " + v;
    }
    List<BoxAt> all = boxes(d);
    if (all.isEmpty() || r.nextInt(6) == 0) {
      int at = r.nextInt(Math.max(1, d.length));
      switch (r.nextInt(3)) {
        case 0:
          d[at] ^= (byte) (1 << r.nextInt(8));
          return "bit flipped at " + at;
        case 1:
          putU32(d, at, SIZES[r.nextInt(SIZES.length)]);
          return "word set at " + at;
        default:
          file[0] = Arrays.copyOf(d, at);
          return "cut at " + at;
      }
    }
    BoxAt b = all.get(r.nextInt(all.size()));
    String where = b.type() + " at " + b.offset();
    switch (r.nextInt(11)) {
      case 0:
        {
          long v = SIZES[r.nextInt(SIZES.length)];
          putU32(d, b.offset(), v);
          return where + ": size " + v;
        }
      case 1:
        {
          long v = LARGE_SIZES[r.nextInt(LARGE_SIZES.length)];
          putU32(d, b.offset(), 1);
          byte[] large = ByteBuffer.allocate(8).putLong(v).array();
          // the 64-bit size goes in place of the body's first 8 bytes or is inserted
          if (r.nextBoolean()) {
            file[0] = splice(d, b.offset() + 8, 0, large);
          } else {
            System.arraycopy(large, 0, d, b.offset() + 8, Math.min(8, d.length - b.offset() - 8));
          }
          return where + ": size 1, 64-bit size " + v;
        }
      case 2:
        putU32(d, b.offset(), b.size() + 1 + r.nextInt(16));
        return where + ": size a little too large";
      case 3:
        putU32(d, b.offset(), Math.max(0, b.size() - 1 - r.nextInt(16)));
        return where + ": size a little too small";
      case 4:
        {
          int[] cuts = {b.offset(), b.offset() + 4, b.offset() + 8, b.offset() + 12};
          int at = r.nextInt(5) == 0 ? b.offset() + r.nextInt(b.size()) : cuts[r.nextInt(4)];
          file[0] = Arrays.copyOf(d, Math.min(at, d.length));
          return where + ": cut at " + at;
        }
      case 5:
        {
          byte[] out = splice(d, b.offset(), b.size(), new byte[0]);
          if (r.nextBoolean()) {
            growParents(out, all, b, -b.size());
          }
          file[0] = out;
          return where + ": removed";
        }
      case 6:
        {
          byte[] copy = Arrays.copyOfRange(d, b.offset(), b.offset() + b.size());
          byte[] out = splice(d, b.offset() + b.size(), 0, copy);
          growParents(out, all, b, b.size());
          file[0] = out;
          return where + ": duplicated";
        }
      case 7:
        {
          BoxAt next = null;
          for (BoxAt o : all) {
            if (o.offset() == b.offset() + b.size() && o.depth() == b.depth()) {
              next = o;
            }
          }
          if (next == null) {
            d[b.offset() + (b.size() > 8 ? 8 + r.nextInt(b.size() - 8) : 7)] ^= (byte) 0x80;
            return where + ": a body byte flipped";
          }
          byte[] first = Arrays.copyOfRange(d, b.offset(), b.offset() + b.size());
          byte[] second = Arrays.copyOfRange(d, next.offset(), next.offset() + next.size());
          System.arraycopy(second, 0, d, b.offset(), second.length);
          System.arraycopy(first, 0, d, b.offset() + second.length, first.length);
          return where + ": swapped with the next " + next.type();
        }
      case 8:
        {
          long v = COUNTS[r.nextInt(COUNTS.length)];
          // the entry count of a table, the sample count of stsz (after the fixed sample size)
          int at = b.offset() + (b.type().equals("stsz") || b.type().equals("stz2") ? 16 : 12);
          if (!COUNTED.contains(b.type()) && !b.type().startsWith("stz")) {
            at = b.offset() + 8 + 4 * r.nextInt(Math.max(1, (b.size() - 8) / 4));
          }
          if (at + 4 <= b.offset() + b.size()) {
            putU32(d, at, v);
          }
          return where + ": count at " + at + " set to " + v;
        }
      case 9:
        {
          // a nesting bomb in place of the box's body: moov/trak/... thousands deep
          int depth = 1000 + r.nextInt(4000);
          String[] kinds = {"trak", "mdia", "minf", "stbl", "moov", "udta", "edts", "meta"};
          String kind = kinds[r.nextInt(kinds.length)];
          byte[] bomb = new byte[8 * depth];
          ByteBuffer w = ByteBuffer.wrap(bomb);
          for (int i = 0; i < depth; i++) {
            w.putInt(8 * (depth - i)).put(kind.getBytes(StandardCharsets.US_ASCII));
          }
          byte[] out = splice(d, b.offset() + 8, b.size() - 8, bomb);
          putU32(out, b.offset(), 8 + bomb.length);
          growParents(out, all, b, bomb.length - (b.size() - 8));
          file[0] = out;
          return where + ": body replaced by " + depth + " nested " + kind;
        }
      default:
        {
          int at = b.offset() + 8 + r.nextInt(Math.max(1, b.size() - 8));
          putU32(d, at, COUNTS[r.nextInt(COUNTS.length)] ^ r.nextInt(3));
          return where + ": body word at " + at + " set";
        }
    }
  }

  /**
   * Probes and touches every accessor; anything but a timeline or the refusal is a defect, recorded
   * in {@code failures} under its exception type and the frame that threw it (one input per kind).
   */
  static void probeAll(String what, byte[] file, Map<String, String> failures) {
    ByteArrayChannel ch = new ByteArrayChannel(file);
    try {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () -> {
            try {
              touch(MediaProbe.create(ParseLimits.DEFAULTS, true).probe(ch));
            } catch (MediaFormatException refused) {
              assertTrue(
                  refused.getMessage() != null
                      && !refused.getMessage().isBlank()
                      && !JDK_MESSAGE.matcher(refused.getMessage()).find(),
                  () -> "a refusal names its reason: " + refused.getMessage());
            }
          },
          () -> what + " hung");
    } catch (Throwable t) {
      StackTraceElement[] st = t.getStackTrace();
      String kind = t.getClass().getName() + (st.length > 0 ? " at " + st[0] : "");
      failures.putIfAbsent(kind, what + ": " + t + "; input " + hex(file));
      return;
    }
    // the operation counter: the top-level headers, the index, keyframe heads up to the file's
    // size, the media data scanned twice when the index is lost; nothing grows with a count
    long bound = 6L * file.length + 65_536;
    if (ch.bytesRead > bound) {
      failures.putIfAbsent(
          "read too much",
          what + " read " + ch.bytesRead + " bytes of a " + file.length + "-byte file");
    }
  }

  static void assertNoFailures(Map<String, String> failures) {
    assertTrue(
        failures.isEmpty(),
        () -> failures.size() + " kinds of failure:\n" + String.join("\n\n", failures.values()));
  }

  static void touch(RecordingTimeline t) {
    String s =
        t.fileSize()
            + " "
            + t.container()
            + t.majorBrand()
            + t.creationTime()
            + t.modificationTime()
            + t.localCreationTime()
            + t.durationSeconds()
            + t.truncated()
            + t.durationEstimated()
            + t.timecode().map(c -> c.timeOfDay() + c.secondsOfDay())
            + t.gpsTime()
            + t.gpsPosition()
            + t.encoder()
            + t.location()
            + t.metadata()
            + t.recoveredFrames()
            + t.recoveredKeyframes()
            + t.findings();
    for (TrackTimeline tr : t.tracks()) {
      s +=
          tr.toString()
              + tr.editList()
              + tr.gaps()
              + tr.gopLength()
              + tr.nominalSampleDuration()
              + tr.presentedStartSeconds()
              + tr.codecConfigDigest()
              + tr.completeSamples();
      Iterator<Sample> it = tr.samples();
      for (int i = 0; i < 100_000 && it.hasNext(); i++) {
        it.next();
      }
    }
    assertTrue(!s.isEmpty());
  }

  static String hex(byte[] b) {
    return b.length
        + " bytes, the first 4,096: "
        + HexFormat.of().formatHex(b, 0, Math.min(b.length, 4096));
  }

  @Test
  void mutatedBoxesOfEveryCommittedFileGiveATimelineOrAPreciseRefusal() {
    Random r = new Random(SEED);
    Map<String, String> failures = new LinkedHashMap<>();
    List<Seed> seeds = seeds();
    assertTrue(seeds.size() >= 40, "the seeds are the committed media files: " + seeds.size());
    for (Seed s : seeds) {
      for (int i = 0; i < MUTANTS_PER_FILE; i++) {
        byte[][] file = {s.bytes().clone()};
        int n = 1 + r.nextInt(3);
        StringBuilder what = new StringBuilder(s.name());
        for (int k = 0; k < n; k++) {
          what.append("; ").append(mutate(file, r));
        }
        probeAll(what.toString(), file[0], failures);
      }
    }
    assertNoFailures(failures);
  }

  @Test
  void everyCommittedFileCutAtEachBoxBoundaryGivesATimelineOrAPreciseRefusal() {
    Map<String, String> failures = new LinkedHashMap<>();
    for (Seed s : seeds()) {
      for (BoxAt b : boxes(s.bytes())) {
        for (int at : new int[] {b.offset(), b.offset() + 8, b.offset() + b.size()}) {
          if (at > 0 && at < s.bytes().length) {
            probeAll(
                s.name() + " cut at " + at + " (" + b.type() + ")",
                Arrays.copyOf(s.bytes(), at),
                failures);
          }
        }
      }
    }
    assertNoFailures(failures);
  }
}
