package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card a Mac or a Windows PC has mounted holds, besides the camera's recordings, what the
 * operating system left there. That debris is listed as skipped, never stored as a recording of the
 * device; everything else is ingested, hidden or not: a recording in the trash or renamed with a
 * dot was deleted or hidden on the card, which is what an officer must not be able to do (R-13,
 * Debris is recognised by its place and bytes, so a recording named like debris is kept.
 */
class CardDebrisTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  /** An AppleDouble file as the Finder writes it on FAT: 4 KiB, magic 00 05 16 07, version 2. */
  static byte[] appleDouble() {
    byte[] b = new byte[4096];
    byte[] head = {0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00};
    System.arraycopy(head, 0, b, 0, head.length);
    byte[] filler = "Mac OS X        ".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(filler, 0, b, 8, filler.length);
    b[25] = 2; // two entries: Finder info and the resource fork
    return b;
  }

  /** A Finder {@code .DS_Store}: 00 00 00 01 "Bud1", then its buddy allocator, 6 KiB. */
  static byte[] dsStore() {
    byte[] b = new byte[6148];
    byte[] head = {0, 0, 0, 1, 'B', 'u', 'd', '1', 0, 0, 0x10, 0};
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  private static Path write(Path p, byte[] bytes) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  @Test
  void debrisIsListedAndEveryRecordingIsIngestedHiddenOrNot() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path dcim = Fixtures.folder("f02_split3", Files.createDirectories(card.resolve("DCIM")));
    // 002 was dragged to the trash on a Mac: still a recording of the session
    Path trashed =
        Files.move(
            dcim.resolve(Fixtures.SPLIT3[1]),
            Files.createDirectories(card.resolve(".Trashes/501")).resolve(Fixtures.SPLIT3[1]));
    Path other = Fixtures.folder("f03_split3_missing_middle", dir);
    // a recording renamed as AppleDouble would be, without its bytes, and one put in the index
    Path namedLikeDebris =
        Files.copy(
            other.resolve("DEVCAM7_20230601_142006_003.mp4"),
            dcim.resolve("._DEVCAM7_20230601_142006_003.mp4"));
    Path inIndex =
        Files.copy(
            other.resolve("DEVCAM7_20230601_142000_001.mp4"),
            Files.createDirectories(card.resolve(".Spotlight-V100/Store-V2"))
                .resolve("DEVCAM7_20230601_142000_001.mp4"));

    byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4};
    byte[] utf16Guid =
        "\uFEFF{4C3B3D2E-1F0A-4B5C-9D8E-7F6A5B4C3D2E}".getBytes(StandardCharsets.UTF_16LE);
    Map<Path, String> debris = new TreeMap<>();
    debris.put(write(dcim.resolve("._" + Fixtures.SPLIT3[0]), appleDouble()), "macOS AppleDouble");
    debris.put(write(card.resolve("._DCIM"), appleDouble()), "macOS AppleDouble");
    debris.put(write(card.resolve(".DS_Store"), dsStore()), ".DS_Store");
    debris.put(write(card.resolve(".Trashes/501/.DS_Store"), dsStore()), ".DS_Store");
    debris.put(
        write(
            card.resolve(".Spotlight-V100/Store-V2/1A2B3C4D/store.db"),
            "8tsd\0\0\0\0 spotlight".getBytes(StandardCharsets.US_ASCII)),
        ".Spotlight-V100");
    debris.put(
        write(
            card.resolve(".Spotlight-V100/VolumeConfiguration.plist"),
            "bplist00\u00d4\u0001\u0002".getBytes(StandardCharsets.ISO_8859_1)),
        ".Spotlight-V100");
    debris.put(
        write(
            card.resolve(".fseventsd/fseventsd-uuid"),
            "9D1B0A4E-6C2F-4E8A-B1D3-2F4E6A8C0B1D".getBytes(StandardCharsets.US_ASCII)),
        ".fseventsd");
    debris.put(write(card.resolve(".fseventsd/00000000001f2e3d"), gzip), ".fseventsd");
    debris.put(
        write(card.resolve("System Volume Information/IndexerVolumeGuid"), utf16Guid),
        "System Volume Information");
    debris.put(
        write(
            card.resolve("System Volume Information/WPSettings.dat"),
            new byte[] {0x0c, 0, 0, 0, 0x5a, 0x3f, 0x10, 0x22, 0, 0, 0, 0}),
        "System Volume Information");

    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(card).build();
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
              .build()
              .ingest(request);

      Map<Path, String> skipped = new TreeMap<>();
      r.skipped().forEach(s -> skipped.put(s.path(), s.reason()));
      assertEquals(debris.keySet(), skipped.keySet(), "exactly the debris is listed: " + skipped);
      debris.forEach(
          (p, kind) ->
              assertTrue(
                  skipped.get(p).startsWith("operating system debris")
                      && skipped.get(p).contains(kind),
                  p + ": " + skipped.get(p)));

      Set<Path> ingested =
          r.recordings().stream()
              .filter(x -> x.status() == IngestStatus.INGESTED)
              .map(x -> x.source().file().orElseThrow())
              .collect(Collectors.toCollection(TreeSet::new));
      Set<Path> recordings =
          new TreeSet<>(
              Set.of(
                  dcim.resolve(Fixtures.SPLIT3[0]),
                  trashed,
                  dcim.resolve(Fixtures.SPLIT3[2]),
                  namedLikeDebris,
                  inIndex));
      assertEquals(recordings, ingested, r.recordings().toString());
      assertEquals(5, r.recordings().size());

      // the store holds the five recordings and their seals, nothing of the debris
      Set<String> stored;
      try (Stream<ObjectInfo> s = store.list("DEVCAM7/")) {
        stored =
            s.map(i -> i.key().value())
                .filter(k -> !k.endsWith(".seal.json"))
                .map(k -> k.substring(k.lastIndexOf('/') + 1))
                .collect(Collectors.toCollection(TreeSet::new));
      }
      assertEquals(
          new TreeSet<>(
              Set.of(
                  Fixtures.SPLIT3[0],
                  Fixtures.SPLIT3[1],
                  Fixtures.SPLIT3[2],
                  "._DEVCAM7_20230601_142006_003.mp4",
                  "DEVCAM7_20230601_142000_001.mp4")),
          stored);
    }
  }

  /**
   * A card of nothing but debris holds no recording: the request is refused before a store is
   * opened, with the debris listed, as an empty card is.
   */
  @Test
  void aCardOfOnlyDebrisHoldsNoRecording() throws Exception {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path a = write(card.resolve(".DS_Store"), dsStore());
    Path b = write(card.resolve(".fseventsd/fseventsd-uuid"), "x".getBytes(StandardCharsets.UTF_8));
    Optional<IngestResult> none =
        IngestStation.withoutRecordings(IngestRequest.builder("DEVCAM7", "p").add(card).build());
    assertTrue(none.isPresent());
    assertEquals(
        new TreeSet<>(Set.of(a, b)),
        none.get().skipped().stream()
            .map(SkippedInput::path)
            .collect(Collectors.toCollection(TreeSet::new)));
  }
}
