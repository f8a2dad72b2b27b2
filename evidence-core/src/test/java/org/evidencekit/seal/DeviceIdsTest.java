package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.SpotCheckCriteria;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.StationRegister;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one device id rule: every id it refuses is one no archive can key a recording
 * by, and every place a device id is given for new evidence (a station register, a seal logged in
 * an archive, a spot check's criteria) refuses it with the same message, naming the id.
 */
class DeviceIdsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  /** Ids a camera or a typing officer may give, with the part of the rule each breaks. */
  static final Map<String, String> REFUSED =
      Map.ofEntries(
          Map.entry("D/E", "holds '/' at position 1"),
          Map.entry("DEVCAM7/2023-06-01", "holds '/' at position 7"),
          Map.entry("..", "is '..'"),
          Map.entry(".", "is '.'"),
          Map.entry("", "is empty"),
          Map.entry("  ", "is blank"),
          Map.entry("D\\E", "holds '\\' at position 1"),
          Map.entry("D\u0000E", "U+0000 at position 1"),
          Map.entry("D\u0085E", "U+0085 at position 1"),
          Map.entry("CAM\u202E7", "U+202E at position 3"),
          Map.entry("x".repeat(201), "is 201 UTF-8 bytes long"),
          // 67 CJK characters are 201 UTF-8 bytes: fewer characters than the 200 a key allows
          Map.entry("摄".repeat(67), "is 201 UTF-8 bytes long"),
          Map.entry("ledger", "the archive's own folder"),
          Map.entry("tombstones", "the archive's own folder"),
          // a card's FAT, macOS and Windows disks fold case: LEDGER's folder would be the ledger's
          Map.entry("LEDGER", "the archive's own folder"),
          Map.entry("Catalog", "the archive's own folder"));

  static final List<String> TAKEN =
      List.of("DEVCAM7", "D3-0042", "执法记录仪-07", "x".repeat(200), ".cam", "ledger7");

  @Test
  void refusedIdsAreNamedWithThePartOfTheRuleTheyBreak() {
    REFUSED.forEach(
        (id, why) -> {
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> DeviceIds.check(id), id);
          assertTrue(e.getMessage().contains(why), id + ": " + e.getMessage());
          assertTrue(e.getMessage().startsWith("device id '"), e.getMessage());
          assertTrue(e.getMessage().contains("DEVICE/yyyy-MM-dd/NAME"), e.getMessage());
          assertFalse(e.getMessage().contains("\u0000") || e.getMessage().contains("\u202E"));
        });
    for (String id : TAKEN) {
      assertEquals(id, DeviceIds.check(id));
    }
  }

  /**
   * The rule is never looser than a key: an id it takes is a key segment any store takes, and an id
   * it refuses for a key's sake is no single key segment.
   */
  @Test
  void theRuleAgreesWithObjectKey() {
    for (String id : TAKEN) {
      assertTrue(ObjectKey.isValid(id + "/2023-06-01/CLIP0001.MP4"), id);
    }
    // refused for more than a key's sake: printed, an override or a blank reads as another id;
    // the archive's own folders hold its records
    List<String> beyondKeys =
        List.of("  ", "CAM\u202E7", "ledger", "tombstones", "LEDGER", "Catalog");
    REFUSED.keySet().stream()
        .filter(id -> !beyondKeys.contains(id))
        .forEach(
            id -> {
              String key = id + "/2023-06-01/CLIP0001.MP4";
              // no key, or one whose first segment is not the device (D/E/2023-06-01/...)
              assertFalse(ObjectKey.isValid(key) && key.split("/", -1).length == 3, id);
            });
  }

  @Test
  void aStationRegisterRefusesAnEntryNoDeviceCanMatch() throws KeyFormatException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    for (String entry : List.of("D/E", "..", "D/*", "x".repeat(201) + "*")) {
      KeyFormatException e =
          assertThrows(
              KeyFormatException.class, () -> StationRegister.parse(register(key, entry)), entry);
      assertTrue(
          e.getMessage().contains("device entry '" + entry + "' can match no device"),
          e.getMessage());
    }
    // prefixes that start real ids, though not ids themselves
    for (String entry : List.of("ledger*", ".*", "D3-*", "*", "x".repeat(200) + "*")) {
      StationRegister.parse(register(key, entry));
    }
  }

  private static byte[] register(SigningKeys.LocalSigningKey key, String device) {
    return ("{\"format\":\"evidencekit.station-register/1\",\"stations\":[{\"name\":\"s1\","
            + "\"keyId\":\""
            + key.keyId()
            + "\",\"devices\":[\""
            + device.replace("\\", "\\\\")
            + "\"]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSpotCheckOnADeviceNoIngestCouldTakeIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SpotCheckCriteria.builder().device("D/E"));
    assertTrue(e.getMessage().contains("device id 'D/E' holds '/'"), e.getMessage());
    assertEquals("device=CAM-7;", SpotCheckCriteria.builder().device("CAM-7").build().text());
  }

  /**
   * A seal naming a device no archive keys by is refused by the archive before anything of it is
   * stored or logged: its {@code sealed} entry would log a device no report or register can name.
   */
  @Test
  void anArchiveRefusesASealOfSuchADeviceBeforeStoringAnything(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("rec1.mp4");
    byte[] content = new byte[70_000];
    new Random(3).nextBytes(content);
    Files.write(file, content);
    Seal raw = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(file);
    Seal seal = raw.withMetadata(RecordingMetadata.builder().deviceId("CAM/7").build());
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    EvidenceArchive archive = EvidenceArchive.open(store, CLOCK);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> archive.ingest("CAM-7/2026-03-01/rec1.mp4", file, seal, "intake-1"));
    assertTrue(e.getMessage().contains("device id 'CAM/7' holds '/'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> archive.ingestOnce("CAM-7/2026-03-01/rec1.mp4", file, seal, "intake-1"));
    try (Stream<ObjectKey> keys = store.keys("")) {
      assertEquals(List.of(), keys.filter(k -> !k.value().startsWith("ledger/")).toList());
    }
    assertEquals(0, EvidenceLedger.open(store, CLOCK).size(), "nothing logged");
  }
}
