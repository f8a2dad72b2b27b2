package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;

/**
 * What disposition did to one recording, one state at a time: {@code intended} (written before the
 * delete, with the content's SHA-256 read from the store), then {@code disposed}, {@code refused}
 * (the store kept it) or {@code missing} (it was already gone). Each state is a new create-only
 * object {@code tombstones/<folder>/<sequence>-<state>.json}, kept for good (retention and legal
 * hold), so a crash at any point leaves a true record and nothing is ever rewritten; the latest is
 * the current state. Format {@value #FORMAT}.
 */
public final class Tombstone {
  public static final String FORMAT = "evidencekit.tombstone/2";

  static final String PREFIX = "tombstones/";

  /**
   * Largest tombstone read: two keys of at most 1 KiB, digests, a time, a name and a reason make
   * one of a few KiB; 1 MiB is far more. The general 256 MiB bound of stored records is too much
   * here: a JSON tree costs some 25 times its text, so a planted 256 MiB tombstone was an
   * OutOfMemoryError.
   */
  static final int MAX_BYTES = 1 << 20;

  /**
   * Most states read for one recording. A run of an approved plan writes at most two (intended,
   * then disposed, refused or missing), and a recording is in a run again only while the store
   * keeps refusing it: 10,000 states are 5,000 approved runs against one recording. A store with
   * millions planted in its folder would otherwise be read object by object.
   */
  static final int MAX_STATES = 10_000;

  private static final String STATES = "tombstones of a recording";

  /** The states. Tombstones store {@link #wireName()}, so it never changes. */
  public enum State {
    INTENDED("intended"),
    DISPOSED("disposed"),
    REFUSED("refused"),
    MISSING("missing");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    /** The name in stored tombstones and their object keys (lowercase). */
    public String wireName() {
      return wireName;
    }

    static State parse(String wireName) throws RetentionFormatException {
      for (State s : values()) {
        if (s.wireName.equals(wireName)) {
          return s;
        }
      }
      throw new RetentionFormatException("unknown tombstone state '" + wireName + "'");
    }
  }

  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);
  private static final Set<String> FIELDS =
      Set.of(
          "format",
          "recording",
          "objectKey",
          "state",
          "at",
          "plan",
          "executedBy",
          "contentSha256",
          "sealRoot",
          "reason");

  private final String recordingId;
  private final String objectKey;
  private final State state;
  private final Instant at;
  private final String planDigest;
  private final String executedBy;
  private final String contentSha256;
  private final String sealRoot;
  private final String reason;

  Tombstone(
      String recordingId,
      String objectKey,
      State state,
      Instant at,
      String planDigest,
      String executedBy,
      String contentSha256,
      String sealRoot,
      String reason) {
    this.recordingId = recordingId;
    this.objectKey = objectKey;
    this.state = state;
    this.at = at;
    this.planDigest = planDigest;
    this.executedBy = executedBy;
    this.contentSha256 = contentSha256;
    this.sealRoot = sealRoot;
    this.reason = reason;
  }

  public String recordingId() {
    return recordingId;
  }

  public String objectKey() {
    return objectKey;
  }

  public State state() {
    return state;
  }

  public Instant at() {
    return at;
  }

  /** The digest of the approved plan the disposal was done under. */
  public String planDigest() {
    return planDigest;
  }

  public String executedBy() {
    return executedBy;
  }

  /** The content's SHA-256, read from the store before the delete; absent when it was missing. */
  public Optional<String> contentSha256() {
    return Optional.ofNullable(contentSha256);
  }

  /** The seal root the facts gave, which keeps the ledger's seal entry meaningful. */
  public Optional<String> sealRoot() {
    return Optional.ofNullable(sealRoot);
  }

  /** Why it was refused or missing; empty otherwise. */
  public String reason() {
    return reason;
  }

  byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("recording", recordingId);
    m.put("objectKey", objectKey);
    m.put("state", state.wireName());
    m.put("at", at.toString());
    m.put("plan", planDigest);
    m.put("executedBy", executedBy);
    if (contentSha256 != null) {
      m.put("contentSha256", contentSha256);
    }
    if (sealRoot != null) {
      m.put("sealRoot", sealRoot);
    }
    m.put("reason", reason);
    return CanonicalJson.encode(m);
  }

  static Tombstone parse(byte[] json) throws RetentionFormatException {
    try {
      JsonNode n = JSON.requireObject(JSON.parse(json), "tombstone", FIELDS);
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new RetentionFormatException("format must be " + FORMAT);
      }
      return new Tombstone(
          JSON.string(n, "recording"),
          JSON.string(n, "objectKey"),
          State.parse(JSON.string(n, "state")),
          RetentionFacts.instant(n, "at"),
          JSON.string(n, "plan"),
          JSON.string(n, "executedBy"),
          RetentionFacts.optString(n, "contentSha256"),
          RetentionFacts.optString(n, "sealRoot"),
          JSON.string(n, "reason"));
    } catch (RetentionFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RetentionFormatException("bad tombstone: " + e.getMessage());
    }
  }

  /**
   * Every state recorded for the recording, oldest first; empty if it was never disposed of.
   *
   * @throws RetentionFormatException if the store holds more than 10,000 for the recording (refused
   *     before any is read) or one is malformed
   */
  public static List<Tombstone> history(EvidenceStore store, String recordingId)
      throws IOException {
    requireNonNull(store, "store");
    requireNonNull(recordingId, "recordingId");
    List<Tombstone> out = new ArrayList<>();
    for (ObjectInfo info : StoredObjects.list(store, prefix(recordingId), MAX_STATES, STATES)) {
      Tombstone t = parse(StoredObjects.read(store, info.key(), MAX_BYTES));
      if (!t.recordingId.equals(recordingId)) {
        throw new RetentionFormatException(
            info.key().value() + " names recording " + t.recordingId + ", not " + recordingId);
      }
      out.add(t);
    }
    return out;
  }

  /**
   * The well-formed states of the recording, oldest first, passing over any object in its folder
   * that is not one (malformed, too large, another recording's, gone while read). For disposition,
   * which trusts a state only as far as the ledger vouches for it: one object planted in the folder
   * must not stop every later run from disposing of the recording.
   *
   * @throws RetentionFormatException if the store holds more than 10,000 for the recording (refused
   *     before any is read)
   */
  static List<Tombstone> readable(EvidenceStore store, String recordingId) throws IOException {
    List<Tombstone> out = new ArrayList<>();
    for (ObjectInfo info : StoredObjects.list(store, prefix(recordingId), MAX_STATES, STATES)) {
      try {
        Tombstone t = parse(StoredObjects.read(store, info.key(), MAX_BYTES));
        if (t.recordingId.equals(recordingId)) {
          out.add(t);
        }
      } catch (RetentionFormatException | NoSuchObjectException notAState) {
        // not a state of this recording: the ledger's entries are the record
      }
    }
    return out;
  }

  private static String prefix(String recordingId) {
    return PREFIX + StoredObjects.folder(recordingId) + "/";
  }

  /**
   * How many more states the recording's folder can take: {@link #MAX_STATES} less every object
   * under it (planted ones too, which take places all the same).
   */
  static int room(EvidenceStore store, String recordingId) throws IOException {
    return MAX_STATES - StoredObjects.list(store, prefix(recordingId), MAX_STATES, STATES).size();
  }

  /** Stores this state as the next one of its recording. */
  void store(EvidenceStore store) throws IOException {
    byte[] bytes = toJson();
    // earlier states whose writer stopped between commit and lock are completed first
    for (ObjectInfo info : StoredObjects.list(store, prefix(recordingId), MAX_STATES, STATES)) {
      StoredObjects.keepIfLoose(store, info);
    }
    for (int attempt = 0; ; attempt++) {
      long next = StoredObjects.nextFree(store, prefix(recordingId), MAX_STATES, STATES);
      ObjectKey key =
          ObjectKey.of(
              prefix(recordingId) + StoredObjects.seq(next) + "-" + state.wireName() + ".json");
      try {
        StoredObjects.createPermanent(store, key, bytes);
        return;
      } catch (ObjectExistsException e) {
        StoredObjects.keep(store, key);
        if (attempt >= 3) {
          throw e; // someone else keeps writing states of this recording: stop, never overwrite
        }
      }
    }
  }

  @Override
  public String toString() {
    return recordingId
        + " "
        + state.wireName()
        + " at "
        + at
        + (reason.isEmpty() ? "" : ": " + reason);
  }
}
