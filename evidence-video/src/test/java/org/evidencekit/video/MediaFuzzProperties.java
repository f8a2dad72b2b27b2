package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mutates real files (bit flips, overwritten size fields, truncation) and probes them: the probe
 * returns a timeline or throws {@link MediaFormatException}, never anything else, and quickly.
 */
class MediaFuzzProperties {
  static final List<String> FILES =
      List.of(
          "/fixtures/f01_clean/DEVCAM7_20230601_140000_001.mp4",
          "/fixtures/f04_cut_with_hole/DEVCAM7_20230601_143000_001.mp4",
          "/real/jcodec-test-resources/ios-coremedia-1s.mp4",
          "/corpus/J0012345_010086_20230601140006_0003.mp4",
          "/corpus/J0012345_010086_20230601141000_0005.mp4",
          "/corpus/REC_20230601_140000.wav",
          "/corpus/rf64-2s.wav",
          "/corpus/cbr-2s.mp3",
          "/corpus/20230601_140000.amr");

  record Mutation(int file, int kind, int where, int value) {}

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    return Combinators.combine(
            Arbitraries.integers().between(0, FILES.size() - 1),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers())
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  static byte[] load(String name) throws IOException {
    try (InputStream in = MediaFuzzProperties.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Property(tries = 1000)
  void mutatedFilesGiveATimelineOrAPreciseError(@ForAll("mutations") List<Mutation> ms)
      throws IOException {
    byte[] data = load(FILES.get(ms.get(0).file()));
    for (Mutation m : ms) {
      int at = m.where() % Math.max(1, data.length);
      switch (m.kind()) {
        case 0:
          data[at] ^= (byte) (1 << (m.value() & 7));
          break;
        case 1:
          if (at + 4 <= data.length) {
            data[at] = (byte) (m.value() >>> 24);
            data[at + 1] = (byte) (m.value() >>> 16);
            data[at + 2] = (byte) (m.value() >>> 8);
            data[at + 3] = (byte) m.value();
          }
          break;
        case 2:
          data = java.util.Arrays.copyOf(data, Math.max(8, at));
          break;
        default:
          data[at] = (byte) m.value();
      }
    }
    byte[] file = data;
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          try {
            MediaProbe.create(ParseLimits.DEFAULTS, true).probe(new ByteArrayChannel(file));
          } catch (MediaFormatException expected) {
            // a precise refusal is a correct answer
          }
        });
  }
}
