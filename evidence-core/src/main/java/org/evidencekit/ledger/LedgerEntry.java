package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.Instants;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.merkle.MerkleTree;

/**
 * One event in the ledger: what happened ({@link EntryType}), when, who did it, to what (recording
 * or object key), the digest of the payload it concerns (e.g. the seal), and details (e.g. "to":
 * "court", "reason": "appeal"). Its leaf in the log is the SHA-256 tree leaf hash of its RFC 8785
 * canonical JSON ({@link #canonical()}).
 */
public final class LedgerEntry {
  private final String type;
  private final Instant time;
  private final String actor;
  private final String subject;
  private final String payloadDigest;
  private final Map<String, String> details;

  /** {@link #bytes()}, once written or read. */
  private volatile byte[] canonical;

  /**
   * The entry {@link CanonicalEntryReader} read, checked as the builder checks, {@code details}
   * taken as they are (the reader's own map, in order): null where the builder would refuse it.
   */
  static LedgerEntry read(
      String type,
      Instant time,
      String actor,
      String subject,
      String payloadDigest,
      TreeMap<String, String> details) {
    if (type.isBlank()
        || actor.isBlank()
        || subject.isBlank()
        || (payloadDigest != null
            && !org.evidencekit.internal.json.StrictJson.isLowerHex(payloadDigest, 64))) {
      return null;
    }
    return new LedgerEntry(type, time, actor, subject, payloadDigest, details);
  }

  /** Takes {@code details} as they are: a map no one else holds. */
  private LedgerEntry(
      String type,
      Instant time,
      String actor,
      String subject,
      String payloadDigest,
      TreeMap<String, String> details) {
    this.type = type;
    this.time = time;
    this.actor = actor;
    this.subject = subject;
    this.payloadDigest = payloadDigest;
    this.details = Collections.unmodifiableMap(details);
  }

  /**
   * Starts an entry. {@link Builder#type}, {@link Builder#time}, {@link Builder#actor} and {@link
   * Builder#subject} are required; the payload digest and details default to none.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects an entry's fields. Each may be set once (a second call is refused: type, actor and
   * subject are all strings, and a slip must not silently put one in the other's place); {@link
   * #build()} names a missing required field.
   */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private String type;
    private Instant time;
    private String actor;
    private String subject;
    private String payloadDigest;
    private Map<String, String> details = Map.of();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static String notBlank(String value, String name) {
      requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }

    /** What happened: an {@link EntryType} constant or a caller's own type; required. */
    public Builder type(String type) {
      once("type");
      this.type = notBlank(type, "type");
      return this;
    }

    /** When it happened; required. */
    public Builder time(Instant time) {
      once("time");
      this.time = requireNonNull(time, "time");
      return this;
    }

    /** Who did it; required. */
    public Builder actor(String actor) {
      once("actor");
      this.actor = notBlank(actor, "actor");
      return this;
    }

    /** To what: a recording or object key; required. */
    public Builder subject(String subject) {
      once("subject");
      this.subject = notBlank(subject, "subject");
      return this;
    }

    /** Lowercase hex SHA-256 of what the event concerns (e.g. the seal); default none. */
    public Builder payloadDigest(String payloadDigest) {
      once("payloadDigest");
      requireNonNull(payloadDigest, "payloadDigest");
      if (!org.evidencekit.internal.json.StrictJson.isLowerHex(payloadDigest, 64)) {
        throw new IllegalArgumentException("payload digest must be 64 lowercase hex digits");
      }
      this.payloadDigest = payloadDigest;
      return this;
    }

    /** Details such as {@code to} and {@code reason}; default none. */
    public Builder details(Map<String, String> details) {
      once("details");
      requireNonNull(details, "details");
      Map<String, String> copy = new TreeMap<>();
      details.forEach(
          (k, v) -> copy.put(requireNonNull(k, "detail name"), requireNonNull(v, "detail " + k)));
      this.details = copy;
      return this;
    }

    /**
     * The entry.
     *
     * @throws IllegalStateException naming a missing type, time, actor or subject
     */
    public LedgerEntry build() {
      for (String required : List.of("type", "time", "actor", "subject")) {
        if (!set.contains(required)) {
          throw new IllegalStateException("a ledger entry needs a " + required);
        }
      }
      return new LedgerEntry(type, time, actor, subject, payloadDigest, new TreeMap<>(details));
    }
  }

  public String type() {
    return type;
  }

  public Instant time() {
    return time;
  }

  public String actor() {
    return actor;
  }

  public String subject() {
    return subject;
  }

  public Optional<String> payloadDigest() {
    return Optional.ofNullable(payloadDigest);
  }

  /**
   * The stored object the entry is about: its {@code objectKey} detail where it has one, else its
   * subject. A {@code sealed} entry's subject is the recording's key; a {@code disposed} entry's
   * subject is the recording's id, which need not be its key, and its {@code objectKey} detail
   * names the object it removed.
   */
  public String objectKey() {
    return details.getOrDefault("objectKey", subject);
  }

  public Map<String, String> details() {
    return details;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("time", Instants.format(time));
    m.put("actor", actor);
    m.put("subject", subject);
    if (payloadDigest != null) {
      m.put("payloadDigest", payloadDigest);
    }
    m.put("details", new LinkedHashMap<String, Object>(details));
    return m;
  }

  private static final StrictJson JSON = new StrictJson(LedgerException::new);

  /**
   * Largest entry parsed: a stored entry is at most {@link EvidenceLedger#MAX_ENTRY_BYTES} (64
   * KiB). 1 MiB is over ten times that; a bigger one is refused before it is parsed, since a JSON
   * tree costs some 25 times its text.
   */
  static final int MAX_PARSE_BYTES = 1 << 20;

  /**
   * Parses the canonical JSON of an entry. Bytes that are valid JSON but not the canonical form of
   * what they say are refused: the log commits to the bytes, so two spellings of one entry must not
   * exist.
   */
  public static LedgerEntry parse(byte[] json) throws LedgerException {
    requireNonNull(json, "json");
    if (json.length > MAX_PARSE_BYTES) {
      throw new LedgerException("a ledger entry larger than " + MAX_PARSE_BYTES + " bytes");
    }
    // read from a copy and keep that copy: read from the caller's array, which the caller may
    // change meanwhile, an entry's fields and the bytes it hashes could differ
    byte[] own = json.clone();
    LedgerEntry fast = CanonicalEntryReader.read(own);
    if (fast != null) {
      fast.canonical = own; // its bytes, as read: what canonical() would write again
      return fast;
    }
    return parseGenerally(own);
  }

  /** {@link #parse} through a JSON tree, naming what is wrong; package-private for its test. */
  static LedgerEntry parseGenerally(byte[] json) throws LedgerException {
    LedgerEntry e;
    try {
      JsonNode n =
          JSON.requireObject(
              JSON.parse(json),
              "ledger entry",
              Set.of("type", "time", "actor", "subject", "payloadDigest", "details"));
      JsonNode d = JSON.requireObject(JSON.required(n, "details"), "details", detailNames(n));
      Map<String, String> details = new TreeMap<>();
      for (Map.Entry<String, JsonNode> f : d.properties()) {
        if (!f.getValue().isTextual()) {
          throw new LedgerException("detail '" + f.getKey() + "' is not a string");
        }
        details.put(f.getKey(), f.getValue().asText());
      }
      Builder b =
          builder()
              .type(JSON.string(n, "type"))
              .time(Instants.parse(JSON.string(n, "time")))
              .actor(JSON.string(n, "actor"))
              .subject(JSON.string(n, "subject"))
              .details(details);
      if (n.has("payloadDigest")) {
        b.payloadDigest(JSON.string(n, "payloadDigest"));
      }
      e = b.build();
    } catch (LedgerException ex) {
      throw ex;
    } catch (IOException | RuntimeException ex) {
      throw new LedgerException("bad ledger entry: " + ex.getMessage());
    }
    if (!Arrays.equals(e.canonical(), json)) {
      throw new LedgerException("ledger entry is not in canonical form");
    }
    return e;
  }

  private static Set<String> detailNames(JsonNode n) throws LedgerException {
    JsonNode d = n.get("details");
    if (d == null || !d.isObject()) {
      throw new LedgerException("details must be an object");
    }
    Set<String> names = new HashSet<>();
    for (Map.Entry<String, JsonNode> f : d.properties()) {
      names.add(f.getKey());
    }
    return names;
  }

  /** RFC 8785 canonical JSON: the bytes the log commits to. */
  public byte[] canonical() {
    return bytes().clone();
  }

  /**
   * The canonical bytes, written once: an entry is immutable, and the ledger hashes, compares and
   * stores them more than once. Never handed out (callers get a copy).
   */
  private byte[] bytes() {
    byte[] c = canonical;
    if (c == null) {
      c = CanonicalJson.encode(toMap());
      canonical = c; // a race writes equal arrays; volatile: a reader sees a whole one
    }
    return c;
  }

  /** The log's leaf hash of this entry: SHA-256(0x00 || canonical JSON). */
  public Digest leafHash() {
    return MerkleTree.leafHash(HashAlgorithm.SHA256, bytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerEntry && Arrays.equals(bytes(), ((LedgerEntry) o).bytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes());
  }

  @Override
  public String toString() {
    return type + " " + subject + " by " + actor + " at " + time;
  }
}
