package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The media probe on the corpus files the other fuzzers do not start from (GoPro GPMF, QuickTime
 * MOV, DJI, an M4A, fragmented and phone files, MP3), damaged where a hostile file would be: box
 * sizes set to 0, 1 (with a 64-bit size past any file), 7 or 2^32-1, table counts and fields set to
 * arithmetic edges, bytes flipped, cut, inserted and repeated. The probe returns a timeline or
 * throws {@link MediaFormatException}, quickly. And the file-name clock on hostile names and
 * patterns: a reading or nothing from a name, {@link IllegalArgumentException} from a pattern.
 */
class HostileInputProperties {
  static final Duration TIME_BOX = Duration.ofSeconds(10);

  static final List<String> FILES =
      List.of(
          "/corpus/GX020123.MP4",
          "/corpus/FILE0001.MOV",
          "/corpus/DJI_0001.MP4",
          "/corpus/VoiceMemo_20230601_140000.m4a",
          "/corpus/PXL_20230601_060000123.mp4",
          "/corpus/20230601_140000_EF.mp4",
          "/corpus/NO20230601-140000-000123F.MP4",
          "/corpus/full-0003.mp4",
          "/corpus/full-0007.mp4",
          "/corpus/xing-2s.mp3",
          "/fixtures/f05a_truncated_moov_at_end/DEVCAM7_20230601_140000_001.mp4",
          "/fixtures/f05b_truncated_faststart/DEVCAM7_20230601_140000_001.mp4");
  static final List<byte[]> SEEDS = load();

  static final List<String> BOX_TYPES =
      List.of(
          "ftyp", "moov", "mvhd", "trak", "tkhd", "edts", "elst", "mdia", "mdhd", "hdlr", "minf",
          "stbl", "stsd", "stts", "ctts", "stsc", "stsz", "stz2", "stco", "co64", "stss", "avcC",
          "hvcC", "udta", "meta", "GPMF", "gpmd", "moof", "mfhd", "traf", "tfhd", "tfdt", "trun",
          "mvex", "trex", "mdat", "free", "wide", "sidx", "mp4a", "esds", "avc1", "hvc1");
  static final int[] EDGES = {
    0, 1, 7, 8, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 0x10000, 1_000_000_000
  };

  static List<byte[]> load() {
    List<byte[]> out = new ArrayList<>();
    for (String f : FILES) {
      try (InputStream in = HostileInputProperties.class.getResourceAsStream(f)) {
        if (in == null) {
          throw new AssertionError("missing test resource " + f);
        }
        out.add(in.readAllBytes());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  @Provide
  Arbitrary<byte[]> damagedFiles() {
    return Arbitraries.randoms()
        .map(
            r -> {
              byte[] b = SEEDS.get(r.nextInt(SEEDS.size())).clone();
              int n = 1 + r.nextInt(4);
              for (int i = 0; i < n; i++) {
                b = r.nextInt(3) == 0 ? bytewise(b, r) : boxwise(b, r);
              }
              return b;
            });
  }

  /** One damage at a box: its size, or a 32-bit field of its header or table. */
  static byte[] boxwise(byte[] b, Random r) {
    List<Integer> at = new ArrayList<>();
    String type = BOX_TYPES.get(r.nextInt(BOX_TYPES.size()));
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    for (int i = 4; i + 4 <= b.length; i++) {
      if (b[i] == t[0] && b[i + 1] == t[1] && b[i + 2] == t[2] && b[i + 3] == t[3]) {
        at.add(i - 4);
      }
    }
    if (at.isEmpty()) {
      return bytewise(b, r);
    }
    int box = at.get(r.nextInt(at.size()));
    switch (r.nextInt(5)) {
      case 0, 1:
        putInt(b, box, EDGES[r.nextInt(EDGES.length)]);
        return b;
      case 2:
        {
          // size 1: a 64-bit size follows the type, here one past any file or overflowing
          putInt(b, box, 1);
          long[] large = {-1L, Long.MAX_VALUE, 1L << 32, 16, 0};
          long v = large[r.nextInt(large.length)];
          byte[] l = new byte[8];
          for (int k = 0; k < 8; k++) {
            l[k] = (byte) (v >>> (56 - 8 * k));
          }
          return splice(b, box + 8, l);
        }
      default:
        {
          // a field of the full-box header or the first table entries: version/flags, counts
          int field = box + 8 + 4 * r.nextInt(6);
          putInt(b, field, EDGES[r.nextInt(EDGES.length)]);
          return b;
        }
    }
  }

  static byte[] bytewise(byte[] b, Random r) {
    if (b.length == 0) {
      return b;
    }
    int at = r.nextInt(b.length);
    switch (r.nextInt(5)) {
      case 0:
        b[at] ^= (byte) (1 << r.nextInt(8));
        return b;
      case 1:
        return Arrays.copyOf(b, at);
      case 2:
        {
          int len = 1 + r.nextInt(Math.min(b.length - at, 4096));
          return splice(b, at + len, Arrays.copyOfRange(b, at, at + len));
        }
      case 3:
        {
          byte[] ins = new byte[1 + r.nextInt(32)];
          r.nextBytes(ins);
          return splice(b, at, ins);
        }
      default:
        b[at] = (byte) r.nextInt(256);
        return b;
    }
  }

  static void putInt(byte[] b, int at, int v) {
    for (int k = 0; k < 4 && at + k < b.length; k++) {
      b[at + k] = (byte) (v >>> (24 - 8 * k));
    }
  }

  static byte[] splice(byte[] b, int at, byte[] insert) {
    at = Math.min(at, b.length);
    byte[] out = new byte[b.length + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at, out, at + insert.length, b.length - at);
    return out;
  }

  @Property(tries = 700)
  void damagedCorpusFilesGiveATimelineOrAPreciseError(@ForAll("damagedFiles") byte[] file) {
    assertTimeoutPreemptively(
        TIME_BOX,
        () -> {
          try {
            MediaProbe.create(ParseLimits.DEFAULTS, true).probe(new ByteArrayChannel(file));
          } catch (MediaFormatException refused) {
            // a precise refusal is a correct answer
          } catch (Throwable t) {
            fail(
                "the probe threw "
                    + t
                    + " for a file of "
                    + file.length
                    + " bytes starting "
                    + HexFormat.of().formatHex(file, 0, Math.min(file.length, 256)),
                t);
          }
        });
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30),
            Arbitraries.strings().alpha().numeric().ofMaxLength(60),
            Arbitraries.of(
                "_",
                "-",
                ".",
                " at ",
                "DEVCAM7",
                "police0042",
                "20230601",
                "140000",
                "2023-06-01",
                "99999999999999999999",
                "\u0000",
                "\ud800",
                "\udfff",
                "\u0663\u0664",
                "IMP",
                "..",
                "/",
                "\\",
                ".mp4",
                ".MP4",
                "(1)",
                "1999.99."));
    return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.of(
            "{device}",
            "{officer}",
            "{seq}",
            "{chapter}",
            "{event}",
            "{*}",
            "{yyyyMMddHHmmss}",
            "{yyyy}-{MM}-{dd}",
            "{HH}{mm}{ss}",
            "{SSS}",
            "{yy}",
            "_",
            "-",
            "X",
            "{",
            "}",
            "{}",
            "{device",
            "(?<y>",
            "\\",
            "\ud800",
            "{yyyyMMdd}",
            "{HHmmss}")
        .list()
        .ofMaxSize(8)
        .map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void aHostileNameIsReadOrNotReadQuickly(
      @ForAll("names") String name, @ForAll("patterns") String pattern) {
    FileNameClock standard = FileNameClock.standard();
    Optional<FileNameClock> user;
    try {
      user = Optional.of(standard.withPattern("model", pattern));
    } catch (IllegalArgumentException refused) {
      user = Optional.empty();
    }
    FileNameClock clock = user.orElse(standard);
    String longName = name.repeat(Math.max(1, 250 / Math.max(1, name.length())));
    assertTimeoutPreemptively(
        TIME_BOX,
        () -> {
          clock.read(name);
          clock.read(longName);
          clock.read(longName.substring(0, Math.min(longName.length(), 240)) + ".mp4");
        },
        () -> "pattern " + pattern + ", name " + name);
  }

  /**
   * Four lazy variable-width fields of an accepted user pattern (two {@code {*}}, {@code {device}},
   * {@code {officer}}) let a name that nearly matches cost some 400 million character reads:
   * seconds for one 244-character name, where a folder of such names stalls an ingest station.
   */
  @Example
  void aNameThatNearlyMatchesAPatternOfManyVariableFieldsIsNotReadInsteadOfHanging() {
    FileNameClock clock =
        FileNameClock.standard().withPattern("model", "{*}{device}{*}{officer}{seq}{chapter}X");
    String name = "a1".repeat(120) + ".mp4";
    Optional<FileNameReading> r =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> clock.read(name));
    assertEquals(Optional.empty(), r);
    // the bound leaves real names alone
    assertTrue(clock.read("xDEVCAM7-police0042-12345X.mp4").isPresent());
    assertTrue(
        FileNameClock.standard().read("20231341".repeat(30) + "_20230601140000.mp4").isEmpty(),
        "over 255 characters: not read at all");
    Optional<FileNameReading> dated =
        FileNameClock.standard().read("20231341".repeat(28) + "_20230601140000.mp4");
    assertTrue(dated.flatMap(FileNameReading::time).isPresent(), dated::toString);
  }

  @Example
  void aPatternWithMoreThanTwoWildcardsIsStillRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FileNameClock.standard().withPattern("m", "{*}_{*}_{*}_{seq}"));
  }
}
