package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.seal.DeviceIds;
import org.jspecify.annotations.Nullable;

/**
 * What one ingest run takes in: the recordings of one device worn by one officer (files, folders
 * searched recursively, or other {@link RecordingSource}s), the cases they belong to, the device's
 * clock reading at docking and who runs the ingest. Immutable.
 *
 * <p>Identifiers (device, officer, cases, actor) are signed into seals and printed in reports, so
 * control and format characters (line breaks, bidirectional overrides) are refused.
 */
public final class IngestRequest {
  /** The case class when none is given: a case file kept 10 years (Art. 19). */
  public static final String DEFAULT_CASE_CLASS = "10y";

  /** The ledger actor when none is given. */
  public static final String DEFAULT_ACTOR = "ingest-station";

  private final String deviceId;
  private final String officerId;
  private final List<RecordingSource> sources;
  private final List<Path> folders;
  private final List<Path> excluded;
  private final List<String> caseIds;
  private final String caseClass;
  private final @Nullable Instant deviceClockShown;
  private final @Nullable Instant deviceClockReadAt;
  private final @Nullable Duration clockOffset;
  private final String actor;

  private IngestRequest(Builder b) {
    this.deviceId = b.deviceId;
    this.officerId = b.officerId;
    this.sources = List.copyOf(b.sources);
    this.folders = List.copyOf(b.folders);
    this.excluded = List.copyOf(b.excluded);
    this.caseIds = List.copyOf(b.caseIds);
    this.caseClass = b.caseClass == null ? DEFAULT_CASE_CLASS : b.caseClass;
    this.deviceClockShown = b.deviceClockShown;
    this.deviceClockReadAt = b.deviceClockReadAt;
    this.clockOffset = b.clockOffset;
    this.actor = b.actor == null ? DEFAULT_ACTOR : b.actor;
  }

  /**
   * A request for the recordings of {@code deviceId}, worn by {@code officerId}.
   *
   * @throws IllegalArgumentException if {@code deviceId} breaks {@link DeviceIds}'s rule (it names
   *     the device's folder of keys: no {@code /}, not {@code .} or {@code ..}, at most 200 UTF-8
   *     bytes, ...) or {@code officerId} is no {@link #identifier}: refused here, not by every
   *     recording of the run failing on its key
   */
  public static Builder builder(String deviceId, String officerId) {
    return new Builder(DeviceIds.check(deviceId), identifier(officerId, "officerId"));
  }

  public String deviceId() {
    return deviceId;
  }

  public String officerId() {
    return officerId;
  }

  /** Files and other sources named one by one, in the order given. */
  public List<RecordingSource> sources() {
    return sources;
  }

  /** Folders to search recursively, in the order given. */
  public List<Path> folders() {
    return folders;
  }

  /** Paths left out of the folder search (for instance the store's own folder). */
  public List<Path> excluded() {
    return excluded;
  }

  public List<String> caseIds() {
    return caseIds;
  }

  /**
   * Retention class of the cases' files: {@code 10y}, {@code 30y}, {@code permanent} or a policy's.
   */
  public String caseClass() {
    return caseClass;
  }

  /** What the device's clock showed at docking, if read. */
  public Optional<Instant> deviceClockShown() {
    return Optional.ofNullable(deviceClockShown);
  }

  /** When (trusted time) the device's clock was read; empty: at the start of the run. */
  public Optional<Instant> deviceClockReadAt() {
    return Optional.ofNullable(deviceClockReadAt);
  }

  /** The device clock minus trusted time, when measured otherwise. */
  public Optional<Duration> clockOffset() {
    return Optional.ofNullable(clockOffset);
  }

  public String actor() {
    return actor;
  }

  /**
   * Checks an identifier that is signed into seals and printed: 1 to 1,000 characters, not blank,
   * no control, format (bidirectional) or line/paragraph separator characters.
   *
   * @throws IllegalArgumentException naming the character and its position
   */
  public static String identifier(String value, String what) {
    requireNonNull(value, what);
    if (value.isBlank() || value.length() > 1000) {
      throw new IllegalArgumentException(what + " must be 1 to 1000 non-blank characters");
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      int t = Character.getType(c);
      if (t == Character.CONTROL
          || t == Character.FORMAT
          || t == Character.LINE_SEPARATOR
          || t == Character.PARAGRAPH_SEPARATOR
          || t == Character.SURROGATE) {
        throw new IllegalArgumentException(
            String.format(
                java.util.Locale.ROOT,
                "%s holds the control character U+%04X at position %d",
                what,
                c,
                i));
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /** Builds a request; every single-valued setting may be made once. */
  public static final class Builder {
    private final String deviceId;
    private final String officerId;
    private final List<RecordingSource> sources = new ArrayList<>();
    private final List<Path> folders = new ArrayList<>();
    private final List<Path> excluded = new ArrayList<>();
    private final Set<String> caseIds = new LinkedHashSet<>();
    private @Nullable String caseClass;
    private @Nullable Instant deviceClockShown;
    private @Nullable Instant deviceClockReadAt;
    private @Nullable Duration clockOffset;
    private @Nullable String actor;

    private Builder(String deviceId, String officerId) {
      this.deviceId = deviceId;
      this.officerId = officerId;
    }

    private static void once(@Nullable Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " is already set");
      }
    }

    /**
     * A recording file, or a folder searched recursively (seal files, links to folders, anything
     * but regular files and operating system debris in it, such as macOS AppleDouble files, are
     * skipped and listed in the result; hidden files are recordings like any other).
     *
     * @throws IllegalArgumentException if {@code path} does not exist or is neither a regular file
     *     nor a folder (a named pipe would block the station)
     */
    public Builder add(Path path) {
      requireNonNull(path, "path");
      if (Files.isDirectory(path)) {
        folders.add(path);
      } else if (Files.isRegularFile(path)) {
        sources.add(RecordingSource.of(path));
      } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException(
            path + " is not a regular file or folder (a pipe or device is no recording)");
      } else {
        throw new IllegalArgumentException(path + " does not exist");
      }
      return this;
    }

    /** Several files or folders, as {@link #add(Path)}. */
    public Builder addAll(Iterable<Path> paths) {
      requireNonNull(paths, "paths").forEach(this::add);
      return this;
    }

    /** A recording from elsewhere. */
    public Builder add(RecordingSource source) {
      sources.add(requireNonNull(source, "source"));
      return this;
    }

    /** Leaves {@code path} (and everything under it) out of the folder search. */
    public Builder exclude(Path path) {
      excluded.add(requireNonNull(path, "path"));
      return this;
    }

    /**
     * A case the recordings belong to (repeatable, once per case): an {@link
     * IngestRequest#identifier} without a comma.
     *
     * @throws IllegalArgumentException if {@code caseId} holds a comma (the ledger logs a
     *     recording's case ids joined by commas, so {@code A,B} would read back as cases {@code A}
     *     and {@code B}, R-18), or was given already: a case named twice is most often another case
     *     mistyped, which would then not hold the recordings for its period
     */
    public Builder addCase(String caseId) {
      String id = identifier(caseId, "caseId");
      int comma = id.indexOf(',');
      if (comma >= 0) {
        throw new IllegalArgumentException(
            "caseId holds a comma at position "
                + comma
                + ": the ledger logs a recording's case ids joined by commas, so a case id may"
                + " not hold one");
      }
      if (!caseIds.add(id)) {
        throw new IllegalArgumentException(
            "case " + id + " is given twice; name each case the recordings belong to once");
      }
      return this;
    }

    /** Retention class of the cases' files (default {@value #DEFAULT_CASE_CLASS}). */
    public Builder caseClass(String caseClass) {
      once(this.caseClass, "caseClass");
      this.caseClass = identifier(caseClass, "caseClass");
      return this;
    }

    /**
     * What the device's clock showed at docking, read at the start of the run: the offset to
     * the station's trusted clock is recorded in every seal and corrects the recording times.
     *
     * <p>A reading years off is a measurement (a camera whose clock reset to its factory date), not
     * refused: it becomes a {@code CLOCK_OFFSET} finding. A reading outside the years 1 to 9999 is
     * no clock's display but a typo; refused here, since the offset to it may be more than a seal
     * records (see {@link #clockOffset(Duration)}).
     *
     * @throws IllegalArgumentException if {@code shown} lies outside the years 1 to 9999
     */
    public Builder deviceClock(Instant shown) {
      once(this.deviceClockShown, "deviceClock");
      if (clockOffset != null) {
        throw new IllegalStateException("give deviceClock or clockOffset, not both");
      }
      requireNonNull(shown, "shown");
      if (shown.isBefore(EARLIEST_DEVICE_CLOCK) || shown.isAfter(LATEST_DEVICE_CLOCK)) {
        throw new IllegalArgumentException(
            "a device clock showing "
                + shown
                + " lies outside the years 1 to 9999: no device's clock shows that");
      }
      this.deviceClockShown = shown;
      return this;
    }

    /**
     * As {@link #deviceClock(Instant)}, read at {@code readAt} (trusted time).
     *
     * @throws IllegalArgumentException if {@code shown} lies outside the years 1 to 9999, or is
     *     further from {@code readAt} than a seal's clock offset records
     */
    public Builder deviceClock(Instant shown, Instant readAt) {
      requireNonNull(readAt, "readAt");
      deviceClock(shown);
      checkClockOffset(Duration.between(readAt, shown));
      this.deviceClockReadAt = readAt;
      return this;
    }

    /**
     * The device clock minus trusted time, when measured otherwise (positive: device ahead).
     *
     * @throws IllegalArgumentException if it is more milliseconds either way than a seal records
     *     exactly (2^53 - 1, its canonical JSON's integers): refused here, before anything is
     *     stored, not when the first seal is written after its recording's content was committed
     */
    public Builder clockOffset(Duration offset) {
      once(this.clockOffset, "clockOffset");
      if (deviceClockShown != null) {
        throw new IllegalStateException("give deviceClock or clockOffset, not both");
      }
      requireNonNull(offset, "offset");
      checkClockOffset(offset);
      this.clockOffset = offset;
      return this;
    }

    private static final Instant EARLIEST_DEVICE_CLOCK = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST_DEVICE_CLOCK =
        Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** Who runs the ingest, for the ledger (default {@value #DEFAULT_ACTOR}). */
    public Builder actor(String actor) {
      once(this.actor, "actor");
      this.actor = identifier(actor, "actor");
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalStateException if no recording, file or folder was added
     */
    public IngestRequest build() {
      if (sources.isEmpty() && folders.isEmpty()) {
        throw new IllegalStateException("no recording was added (add files, folders or sources)");
      }
      return new IngestRequest(this);
    }
  }

  /** The largest offset a seal's {@code clockOffsetMillis} holds exactly (2^53 - 1 ms). */
  static final Duration MAX_CLOCK_OFFSET = Duration.ofMillis((1L << 53) - 1);

  /**
   * Refuses a clock offset no seal records exactly: checked before anything is stored, not when the
   * first seal is written after its recording's content was committed.
   */
  static void checkClockOffset(Duration offset) {
    if (offset.compareTo(MAX_CLOCK_OFFSET) > 0
        || offset.compareTo(MAX_CLOCK_OFFSET.negated()) < 0) {
      throw new IllegalArgumentException(
          "a clock offset of "
              + offset.getSeconds()
              + " s is more than a seal records ("
              + MAX_CLOCK_OFFSET.toMillis()
              + " ms either way)");
    }
  }
}
