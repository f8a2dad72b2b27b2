package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the box reader and the NAL scanner with jqwik generators (no coverage-guided fuzzer is in
 * the build): random box trees of the types the probe reads, with edge-value payloads; the crafted
 * cost shapes and the corpus files as seeds, mutated box by box (sizes, counts, duplication,
 * removal, truncation); and random length-prefixed NAL streams in files without a moov. The probe
 * returns a timeline or throws {@link MediaFormatException}, never anything else, and never hangs.
 */
class BoxTreeFuzzProperties {
  static final Duration HANG_GUARD = Duration.ofSeconds(5);

  static final List<String> CONTAINERS =
      List.of("moov", "trak", "mdia", "minf", "stbl", "edts", "moof", "traf", "mvex", "udta");
  static final List<String> LEAVES =
      List.of(
          "mvhd", "tkhd", "mdhd", "hdlr", "stsd", "stts", "stsz", "stz2", "stco", "co64", "stsc",
          "stss", "ctts", "elst", "tfhd", "tfdt", "trun", "mfhd", "trex", "free");
  static final Set<String> CONTAINER_SET = Set.copyOf(CONTAINERS);

  static void probe(byte[] file) {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          try {
            MediaProbe.create(ParseLimits.DEFAULTS, true).probe(new ByteArrayChannel(file));
          } catch (MediaFormatException refused) {
            // a precise refusal is a correct answer
          }
        });
  }

  static Arbitrary<Integer> edgeInts() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 64)),
        net.jqwik.api.Tuple.of(
            2,
            Arbitraries.of(0, 1, 2, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x80000000, 1_000_000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
  }

  static Arbitrary<byte[]> leaf() {
    return Combinators.combine(Arbitraries.of(LEAVES), edgeInts().list().ofMaxSize(24))
        .as(
            (type, words) -> {
              ByteBuffer b = ByteBuffer.allocate(4 * words.size());
              words.forEach(b::putInt);
              return HostileInputTest.box(type, b.array());
            });
  }

  static Arbitrary<byte[]> tree(int depth) {
    if (depth == 0) {
      return leaf();
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, leaf()),
        net.jqwik.api.Tuple.of(
            3,
            Combinators.combine(
                    Arbitraries.of(CONTAINERS),
                    Arbitraries.lazy(() -> tree(depth - 1)).list().ofMaxSize(4))
                .as((type, kids) -> HostileInputTest.box(type, kids.toArray(new byte[0][])))));
  }

  @Provide
  Arbitrary<byte[]> boxTrees() {
    return tree(4)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(
            parts -> {
              List<byte[]> all = new ArrayList<>();
              all.add(HostileInputTest.FTYP);
              all.addAll(parts);
              return HostileInputTest.cat(all.toArray(new byte[0][]));
            });
  }

  @Property(tries = 400)
  void randomBoxTreesGiveATimelineOrAPreciseError(@ForAll("boxTrees") byte[] file) {
    probe(file);
  }

  // ------------------------------------------------------------------ seeds, mutated by box

  static byte[] resource(String name) {
    try (InputStream in = BoxTreeFuzzProperties.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<byte[]> seeds() {
    List<byte[]> s = new ArrayList<>();
    // the cost shapes, with fewer declared samples so that a try stays cheap
    s.add(
        BoundedCostTest.movie(
            BoundedCostTest.trak(
                1,
                HostileInputTest.box("stts", HostileInputTest.ints(0, 2, 5000, 512, 5000, 102_400)),
                HostileInputTest.box("stsz", HostileInputTest.ints(0, 1, 10_000)))));
    s.add(BoundedCostTest.alternating(200));
    s.add(BoundedCostTest.twentyTracksOneId(1));
    for (String f :
        List.of(
            "J0012345_010086_20230601140000_0001.mp4",
            "J0012345_010086_20230601140006_0003.mp4",
            "J0012345_010086_20230601141000_0005.mp4",
            "J0012345_010086_20230601141200_0008.mp4",
            "REC_20230601_140000.wav",
            "xing-2s.mp3",
            "20230601_140000.amr")) {
      s.add(resource("/corpus/" + f));
    }
    s.add(resource("/made/fragmented.mp4"));
    return s;
  }

  static final List<byte[]> SEEDS = seeds();

  /** Offsets of every box header in a file, walking containers (bounded, lenient). */
  static List<int[]> boxes(byte[] d) {
    List<int[]> out = new ArrayList<>();
    walk(d, 0, d.length, 0, out);
    return out;
  }

  private static void walk(byte[] d, int from, int to, int depth, List<int[]> out) {
    int p = from;
    while (p + 8 <= to && out.size() < 10_000 && depth < 10) {
      long size = ByteBuffer.wrap(d, p, 4).getInt() & 0xffffffffL;
      String type = new String(d, p + 4, 4, StandardCharsets.ISO_8859_1);
      if (size < 8 || p + size > to) {
        return;
      }
      out.add(new int[] {p, (int) size});
      if (CONTAINER_SET.contains(type)) {
        walk(d, p + 8, (int) (p + size), depth + 1, out);
      }
      p += (int) size;
    }
  }

  record Mutation(int kind, int box, int value) {}

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            edgeInts())
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  @Property(tries = 500)
  void seedsMutatedBoxByBoxGiveATimelineOrAPreciseError(
      @ForAll("mutations") List<Mutation> ms, @ForAll("seedIndex") int seed) {
    byte[] d = SEEDS.get(seed).clone();
    for (Mutation m : ms) {
      List<int[]> bs = boxes(d);
      if (bs.isEmpty()) {
        break;
      }
      int[] b = bs.get(m.box() % bs.size());
      ByteBuffer w = ByteBuffer.wrap(d);
      switch (m.kind()) {
        case 0: // the box's size field
          w.putInt(b[0], m.value());
          break;
        case 1: // a count or field just after a full box header
          if (b[1] >= 16) {
            w.putInt(b[0] + 12, m.value());
          }
          break;
        case 2: // duplicate the box in place
          d =
              HostileInputTest.cat(
                  java.util.Arrays.copyOfRange(d, 0, b[0] + b[1]),
                  java.util.Arrays.copyOfRange(d, b[0], d.length));
          break;
        case 3: // remove the box
          d =
              HostileInputTest.cat(
                  java.util.Arrays.copyOfRange(d, 0, b[0]),
                  java.util.Arrays.copyOfRange(d, b[0] + b[1], d.length));
          break;
        case 4: // truncate inside the box
          d = java.util.Arrays.copyOf(d, Math.max(8, b[0] + (m.value() & 0x7fffffff) % b[1]));
          break;
        default: // a word inside the box
          int at = b[0] + 8 + (m.value() & 0x7fffffff) % Math.max(1, b[1] - 8);
          if (at + 4 <= d.length) {
            w.putInt(at, m.value());
          }
      }
    }
    probe(d);
  }

  @Provide
  Arbitrary<Integer> seedIndex() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1);
  }

  // ------------------------------------------------------------------ NAL scanner

  @Provide
  Arbitrary<byte[]> nalStreams() {
    Arbitrary<byte[]> unit =
        Combinators.combine(
                Arbitraries.integers().between(0, 0xff),
                Arbitraries.integers().between(0, 0xff),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.integers().between(-2, 2))
            .as(
                (h0, h1, body, lie) -> {
                  ByteBuffer b = ByteBuffer.allocate(6 + body.length);
                  b.putInt(Math.max(0, 2 + body.length + lie * 1000));
                  b.put((byte) (int) h0).put((byte) (int) h1).put(body);
                  return b.array();
                });
    return Combinators.combine(unit.list().ofMaxSize(200), Arbitraries.of(true, false))
        .as(
            (units, sizeZero) -> {
              ByteArrayOutputStream mdat = new ByteArrayOutputStream();
              units.forEach(u -> mdat.write(u, 0, u.length));
              byte[] body = mdat.toByteArray();
              ByteBuffer h = ByteBuffer.allocate(8);
              h.putInt(sizeZero ? 0 : 8 + body.length + 1000)
                  .put("mdat".getBytes(StandardCharsets.US_ASCII));
              return HostileInputTest.cat(HostileInputTest.FTYP, h.array(), body);
            });
  }

  @Property(tries = 400)
  void randomNalStreamsWithoutAMoovAreRecoveredOrRefused(@ForAll("nalStreams") byte[] file) {
    probe(file);
  }
}
