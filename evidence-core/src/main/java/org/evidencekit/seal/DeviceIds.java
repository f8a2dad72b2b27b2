package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.evidencekit.internal.seal.Identifiers;
import org.evidencekit.storage.ObjectKey;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for a device id given for new evidence: to an ingest, a station register, a seal
 * logged in an archive, and a filter that selects a device's recordings. A device id is signed into
 * every seal, printed in reports, and names the device's folder of keys in an archive ({@code
 * DEVICE/yyyy-MM-dd/NAME}), so it must be one key segment no store refuses and no archive reads as
 * its own records:
 *
 * <ul>
 *   <li>1 to {@value ObjectKey#MAX_SEGMENT_BYTES} UTF-8 bytes ({@link
 *       ObjectKey#MAX_SEGMENT_BYTES}), not blank;
 *   <li>no {@code /} (it would split the key) and no {@code \} (a path separator on Windows);
 *   <li>not {@code .} or {@code ..} (a store would read them as this or the parent folder);
 *   <li>no control, format (zero-width, bidirectional), line or paragraph separator character and
 *       no unpaired surrogate (an id holding one reads as another id when printed);
 *   <li>not one of the archive's own folders, in any case: {@code ledger}, {@code catalog}, {@code
 *       tombstones}, {@code disposition} (its recordings would be taken for the ledger's objects,
 *       or kept for good as records of disposition; a disk that folds case takes {@code LEDGER} for
 *       {@code ledger}).
 * </ul>
 *
 * <p>Refused where it is given, before anything is stored, rather than by every recording of a run
 * failing on its key one by one. Stored seals are read as they are, whatever their
 * device id.
 */
public final class DeviceIds {
  private DeviceIds() {}

  /** The archive's own top-level folders, which no device's recordings may take. */
  private static final Set<String> ARCHIVE_FOLDERS =
      Set.of("ledger", "catalog", "tombstones", "disposition");

  /**
   * Returns {@code deviceId} if it follows the rule above.
   *
   * @throws IllegalArgumentException naming the id (hidden characters written as {@code \\uXXXX})
   *     and the part of the rule it breaks
   */
  public static String check(String deviceId) {
    requireNonNull(deviceId, "deviceId");
    String problem = problem(deviceId);
    if (problem != null) {
      throw new IllegalArgumentException(
          "device id '"
              + shown(deviceId)
              + "' "
              + problem
              + ": a device id names its key folder (DEVICE/yyyy-MM-dd/NAME): 1 to "
              + ObjectKey.MAX_SEGMENT_BYTES
              + " UTF-8 bytes, no '/', '\\', control or format character, not '.', '..', "
              + String.join(", ", new TreeSet<>(ARCHIVE_FOLDERS)));
    }
    return deviceId;
  }

  /**
   * The id as printed in a message: hidden characters escaped, a long one cut after 24 characters,
   * so that the rule still fits the one line a command prints.
   */
  private static String shown(String id) {
    if (id.codePointCount(0, id.length()) <= 32) {
      return Identifiers.printable(id);
    }
    return Identifiers.printable(id.substring(0, id.offsetByCodePoints(0, 24))) + "...";
  }

  private static @Nullable String problem(String id) {
    if (id.isBlank()) {
      return id.isEmpty() ? "is empty" : "is blank";
    }
    int hidden = Identifiers.firstHidden(id);
    if (hidden >= 0) {
      return String.format(
          Locale.ROOT,
          "holds the control or format character U+%04X at position %d",
          id.codePointAt(hidden),
          hidden);
    }
    int slash = id.indexOf('/');
    if (slash >= 0) {
      return "holds '/' at position " + slash;
    }
    int backslash = id.indexOf('\\');
    if (backslash >= 0) {
      return "holds '\\' at position " + backslash;
    }
    if (id.equals(".") || id.equals("..")) {
      return "is '" + id + "'";
    }
    int bytes = id.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > ObjectKey.MAX_SEGMENT_BYTES) {
      return "is " + bytes + " UTF-8 bytes long";
    }
    // in any case: on a disk that folds case (FAT, APFS, NTFS) LEDGER's folder is the ledger's
    if (ARCHIVE_FOLDERS.contains(id.toLowerCase(Locale.ROOT))) {
      return "is the name of the archive's own folder";
    }
    return null;
  }
}
