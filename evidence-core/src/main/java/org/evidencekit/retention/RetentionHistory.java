package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;

/**
 * What retention has decided before: the high-water mark of every recording's retention (the
 * longest end ever decided, or permanent) and the holds placed and released through the library.
 * Decisions never go below a mark, whatever happens to policies, case links or facts, so retention
 * only ever extends.
 *
 * <p>The history lives in the evidence ledger: {@link #read(EvidenceLedger)} rebuilds it
 * from the {@code retention-decided}, {@code hold-placed}, {@code hold-released} and {@code
 * disposed} entries, and {@link #recordAll} appends a {@code retention-decided} entry for every
 * decision that raises a mark, so {@code ledger verify} proves the whole history and nothing can
 * lower it without breaking the log. Immutable; {@link #record} returns the next history in memory.
 * A standalone copy can be kept as canonical JSON, format {@value #FORMAT}.
 */
public final class RetentionHistory {
  public static final String FORMAT = "evidencekit.retention-history/1";
  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);

  /** A recording's high-water mark: the latest fixed end ever decided, and whether permanent. */
  public static final class Mark {
    final Instant until;
    final boolean permanent;

    Mark(Instant until, boolean permanent) {
      this.until = until;
      this.permanent = permanent;
    }

    public Optional<Instant> until() {
      return Optional.ofNullable(until);
    }

    public boolean permanent() {
      return permanent;
    }
  }

  private final Map<String, Mark> marks;

  /** Holds placed through the ledger, by recording, in the order placed. */
  private final Map<String, List<RetentionFacts.Hold>> holds;

  private RetentionHistory(Map<String, Mark> marks) {
    this(marks, Map.of());
  }

  /** When each recording was disposed of, from the ledger's {@code disposed} entries. */
  private final Map<String, Instant> disposed;

  private RetentionHistory(Map<String, Mark> marks, Map<String, List<RetentionFacts.Hold>> holds) {
    this(marks, holds, Map.of(), Map.of());
  }

  /**
   * When the ledger last logged each object sealed into the archive ({@code sealed} entries, by
   * object key): a recording is stored after it ends, so the regulation's two years run from no
   * earlier than this, whatever facts say of its end.
   */
  private final Map<String, Instant> sealed;

  private RetentionHistory(
      Map<String, Mark> marks,
      Map<String, List<RetentionFacts.Hold>> holds,
      Map<String, Instant> disposed,
      Map<String, Instant> sealed) {
    this.marks = Collections.unmodifiableMap(new TreeMap<>(marks));
    Map<String, List<RetentionFacts.Hold>> h = new TreeMap<>();
    holds.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.holds = Collections.unmodifiableMap(h);
    this.disposed = Collections.unmodifiableMap(new TreeMap<>(disposed));
    this.sealed = Collections.unmodifiableMap(new TreeMap<>(sealed));
  }

  /**
   * When the ledger last logged the object {@code subject} sealed into the archive; empty if it
   * never did (or the history was not read from a ledger).
   */
  Optional<Instant> sealedAt(String subject) {
    return Optional.ofNullable(sealed.get(subject));
  }

  /** When the ledger says the recording was disposed of; empty if it never was. */
  public Optional<Instant> disposedAt(String recordingId) {
    return Optional.ofNullable(disposed.get(requireNonNull(recordingId, "recordingId")));
  }

  public static RetentionHistory empty() {
    return new RetentionHistory(Map.of());
  }

  /**
   * The history the ledger records: every {@code retention-decided} entry raises its recording's
   * mark; {@code hold-placed} and {@code hold-released} entries give the holds.
   *
   * <p>Reads every entry of the ledger. A caller that reads the history of one ledger again and
   * again (a station deciding retention for each group of a run) keeps a {@link #reader} instead,
   * which reads only the entries appended since its last read.
   *
   * @throws RetentionFormatException if a retention entry of the ledger cannot be read
   */
  public static RetentionHistory read(EvidenceLedger ledger) throws IOException {
    return reader(ledger).read();
  }

  /**
   * A reader of one ledger's history that remembers what it has read: its first read reads every
   * entry, each later one only the entries appended since (by anyone, once the ledger has seen
   * them). Safe for use by several threads. The state lives in the reader, not in the JVM: drop the
   * reader and the memory goes with it.
   */
  public static Reader reader(EvidenceLedger ledger) {
    return new Reader(requireNonNull(ledger, "ledger"));
  }

  /** See {@link #reader(EvidenceLedger)}. */
  public static final class Reader {
    private final EvidenceLedger ledger;
    private final Folded folded = new Folded();

    private Reader(EvidenceLedger ledger) {
      this.ledger = ledger;
    }

    /** The whole history, as {@link RetentionHistory#read(EvidenceLedger)} gives it. */
    public RetentionHistory read() throws IOException {
      Folded f = fold();
      synchronized (f) {
        return new RetentionHistory(f.marks, f.holds, f.disposed, f.sealed);
      }
    }

    /**
     * The history of the given recordings only, as {@link RetentionHistory#read(EvidenceLedger,
     * Collection)} gives it.
     */
    public RetentionHistory read(Collection<String> recordingIds) throws IOException {
      requireNonNull(recordingIds, "recordingIds");
      Folded f = fold();
      Map<String, Mark> marks = new LinkedHashMap<>();
      Map<String, List<RetentionFacts.Hold>> holds = new LinkedHashMap<>();
      Map<String, Instant> disposed = new LinkedHashMap<>();
      Map<String, Instant> sealed = new LinkedHashMap<>();
      synchronized (f) {
        for (String id : recordingIds) {
          requireNonNull(id, "recording id");
          Mark m = f.marks.get(id);
          if (m != null) {
            marks.put(id, m);
          }
          List<RetentionFacts.Hold> h = f.holds.get(id);
          if (h != null) {
            holds.put(id, h);
          }
          Instant d = f.disposed.get(id);
          if (d != null) {
            disposed.put(id, d);
          }
          Instant s = f.sealed.get(id);
          if (s != null) {
            sealed.put(id, s);
          }
        }
        return new RetentionHistory(marks, holds, disposed, sealed);
      }
    }

    private Folded fold() throws IOException {
      Folded f = folded;
      synchronized (f) {
        long n = ledger.size();
        if (n > f.size) {
          // entry by entry, as the batches are read: a list of the whole ledger's entries took
          // some 1 KiB of heap an entry (a station's ledger of a million entries in 1 GiB)
          try {
            ledger.forEachEntry(
                f.size,
                n,
                (e, i) -> {
                  try {
                    apply(f, e); // a malformed entry throws: read again (and refused) next time
                  } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                  }
                  f.size++;
                });
          } catch (java.io.UncheckedIOException x) {
            throw x.getCause();
          }
        }
      }
      return f;
    }
  }

  /**
   * The history of the given recordings only: what deciding their retention needs ({@link
   * RetentionEngine} asks a history about the recording it decides and nothing else), without
   * copying the marks of the whole archive. Reads every entry, as {@link #read(EvidenceLedger)}
   * does.
   *
   * @throws RetentionFormatException if a retention entry of the ledger cannot be read
   */
  public static RetentionHistory read(EvidenceLedger ledger, Collection<String> recordingIds)
      throws IOException {
    return reader(ledger).read(recordingIds);
  }

  /** What has been read of one ledger's history, and up to which entry. Guarded by itself. */
  private static final class Folded {
    long size;
    final Map<String, Mark> marks = new java.util.HashMap<>();
    final Map<String, List<RetentionFacts.Hold>> holds = new java.util.HashMap<>();
    final Map<String, Instant> disposed = new java.util.HashMap<>();
    final Map<String, Instant> sealed = new java.util.HashMap<>();
  }

  private static void apply(Folded f, LedgerEntry e) throws IOException {
    switch (e.type()) {
      case EntryType.DISPOSED:
        f.disposed.putIfAbsent(e.subject(), e.time());
        break;
      case EntryType.SEALED:
        f.disposed.remove(e.subject()); // sealed again under the same name: a new recording
        f.sealed.merge(e.subject(), e.time(), (a, b) -> b.isAfter(a) ? b : a);
        break;
      case EntryType.RETENTION_DECIDED:
        {
          Mark old = f.marks.get(e.subject());
          Instant until = RetentionEvents.instant(e, RetentionEvents.UNTIL);
          boolean permanent = "true".equals(e.details().get(RetentionEvents.PERMANENT));
          f.marks.put(e.subject(), raise(old, until, permanent));
          break;
        }
      case EntryType.HOLD_PLACED:
        {
          RetentionFacts.Hold h = RetentionEvents.hold(e);
          f.holds.computeIfAbsent(e.subject(), k -> new ArrayList<>()).add(h);
          break;
        }
      case EntryType.HOLD_RELEASED:
        {
          String id = e.details().get(RetentionEvents.HOLD);
          List<RetentionFacts.Hold> hs = f.holds.getOrDefault(e.subject(), List.of());
          for (int i = 0; i < hs.size(); i++) {
            RetentionFacts.Hold h = hs.get(i);
            if (h.id().equals(id) && h.releasedAt().isEmpty()) {
              hs.set(i, RetentionEvents.released(h, e.time()));
            }
          }
          break;
        }
      default:
        break;
    }
  }

  /**
   * Records decisions in the ledger: one {@code retention-decided} entry (actor {@code actor}) for
   * each decision that raises its recording's mark in this history; decisions that change nothing
   * add nothing. Returns the history with the decisions applied.
   *
   * <p>Each entry is timed at its decision's {@code evaluatedAt}: record only decisions made at the
   * trusted clock's time, since a ledger time in the future would hold the trusted clock back (it
   * never answers below the ledger's latest time).
   */
  public RetentionHistory recordAll(
      EvidenceLedger ledger, String actor, Collection<RetentionDecision> decisions)
      throws IOException {
    requireNonNull(ledger, "ledger");
    requireNonNull(actor, "actor");
    requireNonNull(decisions, "decisions");
    if (actor.isBlank()) {
      throw new IllegalArgumentException("a retention decision names who recorded it");
    }
    Map<String, Mark> next = new LinkedHashMap<>(marks);
    List<LedgerEntry> entries = new ArrayList<>();
    for (RetentionDecision d : decisions) {
      Mark old = next.get(d.recordingId());
      Mark now = raise(old, d.latestFixedEnd().orElse(null), d.permanent());
      if (old != null && old.permanent == now.permanent && Objects.equals(old.until, now.until)) {
        continue;
      }
      next.put(d.recordingId(), now);
      entries.add(RetentionEvents.decided(d, actor, now.until, now.permanent));
    }
    if (!entries.isEmpty()) {
      ledger.appendAll(entries);
    }
    return new RetentionHistory(next, holds, disposed, sealed);
  }

  /** The holds placed on the recording through the ledger, released ones included. */
  public List<RetentionFacts.Hold> holds(String recordingId) {
    return holds.getOrDefault(requireNonNull(recordingId, "recordingId"), List.of());
  }

  /** Every hold placed through the ledger, by recording id. */
  public Map<String, List<RetentionFacts.Hold>> allHolds() {
    return holds;
  }

  private static Mark raise(Mark old, Instant until, boolean permanent) {
    boolean p = permanent || (old != null && old.permanent);
    Instant u = until;
    if (old != null && old.until != null && (u == null || old.until.isAfter(u))) {
      u = old.until;
    }
    return new Mark(u, p);
  }

  public Optional<Mark> mark(String recordingId) {
    return Optional.ofNullable(marks.get(recordingId));
  }

  /** This history raised by the decision (never lowered). */
  public RetentionHistory record(RetentionDecision d) {
    requireNonNull(d, "decision");
    Map<String, Mark> next = new LinkedHashMap<>(marks);
    next.put(
        d.recordingId(),
        raise(marks.get(d.recordingId()), d.latestFixedEnd().orElse(null), d.permanent()));
    return new RetentionHistory(next, holds, disposed, sealed);
  }

  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    Map<String, Object> ms = new LinkedHashMap<>();
    marks.forEach(
        (id, mark) -> {
          Map<String, Object> e = new LinkedHashMap<>();
          if (mark.permanent) {
            e.put("permanent", true);
          }
          if (mark.until != null) {
            e.put("until", mark.until.toString());
          }
          ms.put(id, e);
        });
    m.put("marks", ms);
    return CanonicalJson.encode(m);
  }

  public static RetentionHistory parse(byte[] json) throws RetentionFormatException {
    try {
      JsonNode root = JSON.requireObject(JSON.parse(json), "history", Set.of("format", "marks"));
      if (!JSON.string(root, "format").equals(FORMAT)) {
        throw new RetentionFormatException("format must be " + FORMAT);
      }
      Map<String, Mark> marks = new LinkedHashMap<>();
      JsonNode ms =
          JSON.requireObject(JSON.required(root, "marks"), "marks", anyKeys(root.get("marks")));
      for (var e : ms.properties()) {
        JsonNode v = JSON.requireObject(e.getValue(), "mark", Set.of("until", "permanent"));
        boolean perm = v.path("permanent").asBoolean(false);
        marks.put(e.getKey(), new Mark(RetentionFacts.optInstant(v, "until"), perm));
      }
      return new RetentionHistory(marks);
    } catch (RetentionFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new RetentionFormatException("bad retention history: " + e.getMessage());
    }
  }

  private static Set<String> anyKeys(JsonNode n) {
    Set<String> s = new java.util.HashSet<>();
    if (n != null) {
      n.fieldNames().forEachRemaining(s::add);
    }
    return s;
  }

  static long maxSafe() {
    return CanonicalJson.MAX_SAFE_INTEGER;
  }
}
