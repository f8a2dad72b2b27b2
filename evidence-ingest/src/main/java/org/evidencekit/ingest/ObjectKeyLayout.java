package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.evidencekit.seal.DeviceIds;
import org.evidencekit.storage.ObjectKey;

/**
 * Where a recording goes in the store. The key must follow from the recording alone (device, the
 * time its container or name carries, its name), never from when or where it is ingested, so that
 * every station and every re-run puts the same recording at the same key and the store's
 * create-only semantics can tell "already here" from "taken by other bytes". A recording whose key
 * is taken by another recording (other bytes) is stored under that key with {@code ~} and 16 hex
 * digits of its seal's root before the extension, derived from its content as deterministically
 * both are kept; {@link IngestCodes#NAME_TAKEN}).
 */
@FunctionalInterface
public interface ObjectKeyLayout {
  /** Keys under which nothing but the ledger lives. */
  String RESERVED_PREFIX = "ledger/";

  /**
   * The key of a recording.
   *
   * @throws IllegalArgumentException if the name (or device) cannot be part of a key: the message
   *     says why; the recording is then reported, never stored under a mangled name
   */
  ObjectKey keyFor(String deviceId, Placement placement, String fileName);

  /** {@code DEVICE/yyyy-MM-dd/NAME}, the day local to {@link TimelineMapping#DEFAULT_ZONE}. */
  static ObjectKeyLayout byDeviceAndDay() {
    return byDeviceAndDay(TimelineMapping.DEFAULT_ZONE);
  }

  /**
   * {@code DEVICE/yyyy-MM-dd/NAME} with the recording's local day in {@code zone} (device time, as
   * the container or name says), or {@code DEVICE/undated/NAME} when it cannot be placed.
   */
  static ObjectKeyLayout byDeviceAndDay(ZoneId zone) {
    requireNonNull(zone, "zone");
    return (deviceId, placement, fileName) -> {
      requireNonNull(deviceId, "deviceId");
      requireNonNull(placement, "placement");
      requireNonNull(fileName, "fileName");
      checkName(fileName);
      DeviceIds.check(deviceId);
      String day =
          placement
              .start()
              .map(t -> DateTimeFormatter.ISO_LOCAL_DATE.format(t.atZone(zone)))
              .orElse("undated");
      String key = deviceId + "/" + day + "/" + fileName;
      if (key.startsWith(RESERVED_PREFIX)) {
        throw new IllegalArgumentException("device id '" + deviceId + "' is reserved");
      }
      return ObjectKey.of(key);
    };
  }

  /**
   * Refuses file names that cannot stand for themselves in a key: a name that was not valid UTF-8
   * on disk reaches Java with U+FFFD in place of the bad bytes, so two different names would
   * collide on one key; a name ending in the seal suffix would shadow a seal.
   */
  static void checkName(String fileName) {
    if (fileName.indexOf('\uFFFD') >= 0) {
      throw new IllegalArgumentException(
          "the file name is not valid UTF-8 (its undecodable bytes would make it collide with"
              + " other names); rename it");
    }
    if (fileName.contains("/") || fileName.contains("\\")) {
      throw new IllegalArgumentException("a file name cannot hold '/' or '\\'");
    }
    if (fileName.endsWith(".seal.json")) {
      throw new IllegalArgumentException("names ending in .seal.json are reserved for seals");
    }
  }
}
