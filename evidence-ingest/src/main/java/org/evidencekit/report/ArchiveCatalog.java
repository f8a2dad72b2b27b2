package org.evidencekit.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ingest.Placement;
import org.evidencekit.ingest.TimelineMapping;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.retention.DestructionRegister;
import org.evidencekit.retention.RetentionFormatException;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.RecordingTimeline;
import org.jspecify.annotations.Nullable;

/**
 * The recordings of an archive as its ledger lists them, with their seals. Opening reads the newest
 * {@link CatalogIndex} snapshot signed by a trusted ledger key and the ledger entries after it (the
 * whole ledger without one); {@link #refresh()} reads only the entries appended since (by any
 * writer) and the seals of recordings those entries name, so a station that reports every few
 * minutes does not re-read a ledger of millions of entries each time. Not thread-safe: one caller
 * at a time.
 */
public final class ArchiveCatalog {
  /** Past this many new entries one pass over every batch is cheaper than reading them singly. */
  private static final int SINGLE_READS = 256;

  private final EvidenceArchive archive;
  private final String location;
  private final Clock clock;
  private final TimelineMapping mapping;
  private final TreeMap<String, Long> sealed = new TreeMap<>();

  /**
   * The digest each live recording's {@code sealed} entry logged for its seal: a seal object with
   * another digest was replaced under the store, whoever signed it.
   */
  private final Map<String, String> sealDigests = new HashMap<>();

  /** Recordings destroyed under a plan to their {@code disposed} entry; seals kept. */
  private final TreeMap<String, Long> disposed = new TreeMap<>();

  /**
   * Each destroyed recording's {@code sealed} entry (the first since its previous disposal) and the
   * digest it logged for the seal kept for good: a kept seal object with another digest was
   * replaced under the store, whoever signed it. From the catalog index, then from the
   * entries taken in.
   */
  private final Map<String, Long> disposedSealedAt = new HashMap<>();

  private final Map<String, String> disposedSealDigests = new HashMap<>();

  /**
   * Plan entries ({@code disposition-approved}, {@code destruction-registered}) the catalog index
   * named and that are not read yet: read by index when a destroyed recording is first selected.
   */
  private final List<Long> planEntriesUnread = new ArrayList<>();

  private OptionalLong snapshot = OptionalLong.empty();
  private List<String> snapshotsRefused = List.of();

  private final Map<String, Loaded> seals = new HashMap<>();
  private long seen;

  /**
   * The {@code disposition-approved} entries of the ledger's first {@link #planEntriesRead}
   * entries, by plan digest: the one account of who approved a plan that no store writer can edit
   * . Kept across selections, so each entry is read for them once.
   */
  private final Map<String, List<LoggedApproval>> approvals = new HashMap<>();

  /**
   * The digests of the destruction registers the {@code destruction-registered} entries of the
   * ledger's first {@link #planEntriesRead} entries logged, by plan digest: a register in the store
   * with another digest was edited, replaced or planted, whoever signed it.
   */
  private final Map<String, Set<String>> registersLogged = new HashMap<>();

  private long planEntriesRead;

  private record Loaded(long index, Seal seal) {}

  /** An approval as its ledger entry logged it: at which index, by whom, key, until when. */
  private record LoggedApproval(long index, String approver, @Nullable Instant expiresAt) {}

  private ArchiveCatalog(
      EvidenceArchive archive, String location, Clock clock, TimelineMapping mapping) {
    this.archive = archive;
    this.location = location;
    this.clock = clock;
    this.mapping = mapping;
  }

  /**
   * Opens the catalog of {@code archive} and reads its whole ledger: with no trusted ledger key no
   * catalog snapshot is believed ({@link #open(EvidenceArchive, String, Clock, TrustAnchors)}).
   *
   * @param location where the archive is, as the documents name it (a folder, a bucket URI)
   * @param clock when documents say they were made
   */
  public static ArchiveCatalog open(EvidenceArchive archive, String location, Clock clock)
      throws IOException {
    return open(archive, location, clock, TrustAnchors.none());
  }

  /**
   * Opens the catalog of {@code archive} from the newest catalog snapshot signed by one of {@code
   * ledgerKeys} and bound to the ledger (its size and root), then the ledger entries after it; the
   * whole ledger when there is none (a snapshot refused is in {@link #snapshotsRefused()}).
   *
   * @param location where the archive is, as the documents name it (a folder, a bucket URI)
   * @param clock when documents say they were made
   * @param ledgerKeys the keys trusted to sign the ledger's checkpoints and catalog snapshots
   */
  public static ArchiveCatalog open(
      EvidenceArchive archive, String location, Clock clock, TrustAnchors ledgerKeys)
      throws IOException {
    ArchiveCatalog c =
        new ArchiveCatalog(
            requireNonNull(archive, "archive"),
            requireNonNull(location, "location"),
            requireNonNull(clock, "clock"),
            TimelineMapping.create());
    requireNonNull(ledgerKeys, "ledgerKeys");
    // A snapshot the ledger's key signed for this ledger's own root says what a fold of the ledger
    // up to its size says, destroyed recordings' sealed entries and the plans' entries included:
    // nobody without that key can leave a recording out, call a kept one destroyed or cite a
    // substitute's sealed entry. An unsigned one is not taken at all, so the
    // whole ledger is folded instead, as it is with no snapshot.
    CatalogIndex index = CatalogIndex.read(archive.store(), archive.ledger(), ledgerKeys);
    index
        .recordings()
        .forEach(
            (k, r) -> {
              c.sealed.put(k, r.index());
              if (!r.sealDigest().isEmpty()) {
                c.sealDigests.put(k, r.sealDigest());
              }
            });
    c.disposed.putAll(index.disposed());
    index
        .disposedSeals()
        .forEach(
            (k, r) -> {
              c.disposedSealedAt.put(k, r.index());
              if (!r.sealDigest().isEmpty()) {
                c.disposedSealDigests.put(k, r.sealDigest());
              }
            });
    c.planEntriesUnread.addAll(index.planEntries());
    c.seen = index.ledgerSize();
    c.planEntriesRead = index.ledgerSize();
    c.snapshot = index.snapshot();
    c.snapshotsRefused = index.refused();
    return c;
  }

  /** The size of the catalog snapshot it was opened from; empty if it read the whole ledger. */
  public OptionalLong snapshot() {
    return snapshot;
  }

  /** Catalog snapshots passed over at {@link #open}, one line each: which and why. */
  public List<String> snapshotsRefused() {
    return snapshotsRefused;
  }

  /** Takes in a {@code disposition-approved} or {@code destruction-registered} entry of a plan. */
  private void takeInPlanEntry(LedgerEntry entry, long index) {
    if (entry.type().equals(EntryType.DISPOSITION_APPROVED) && entry.subject().startsWith(PLAN)) {
      approvals
          .computeIfAbsent(entry.subject().substring(PLAN.length()), p -> new ArrayList<>())
          .add(approval(entry, index));
    } else if (entry.type().equals(EntryType.DESTRUCTION_REGISTERED)
        && entry.subject().startsWith(PLAN)
        && entry.payloadDigest().isPresent()) {
      registersLogged
          .computeIfAbsent(entry.subject().substring(PLAN.length()), p -> new HashSet<>())
          .add(entry.payloadDigest().get());
    }
  }

  /** Takes in what any writer appended to the ledger since the catalog last looked. */
  public void refresh() throws IOException {
    EvidenceLedger ledger = archive.ledger();
    ledger.refresh();
    long size = ledger.size();
    if (size - seen > SINGLE_READS) {
      List<LedgerEntry> all = ledger.entries();
      takeIn(all.subList((int) Math.min(seen, all.size()), all.size()), seen);
      return;
    }
    List<LedgerEntry> fresh = new ArrayList<>();
    for (long i = seen; i < size; i++) {
      fresh.add(ledger.entry(i));
    }
    takeIn(fresh, seen);
  }

  /** Ledger entries taken in so far. */
  public long ledgerSize() {
    return seen;
  }

  /** Takes in consecutive entries of the log, the first of them at {@code firstIndex}. */
  private void takeIn(List<LedgerEntry> entries, long firstIndex) {
    for (int i = 0; i < entries.size(); i++) {
      takeIn(entries.get(i), firstIndex + i);
      seen = firstIndex + i + 1;
    }
  }

  /** Takes in the entry at {@code index}, the one after those taken in so far. */
  private void takeIn(LedgerEntry e, long index) {
    if (e.type().equals(EntryType.SEALED)) {
      // the first since its last disposal: a recording is sealed once, and a later entry for it
      // logs a substitute
      if (!sealed.containsKey(e.subject())) {
        sealed.put(e.subject(), index);
        e.payloadDigest().ifPresent(d -> sealDigests.put(e.subject(), d));
      }
      disposed.remove(e.subject());
      disposedSealedAt.remove(e.subject());
      disposedSealDigests.remove(e.subject());
    } else if (e.type().equals(EntryType.DISPOSED)) {
      Long at = sealed.remove(e.objectKey());
      String digest = sealDigests.remove(e.objectKey());
      seals.remove(e.objectKey());
      disposed.put(e.objectKey(), index);
      // the seal kept for good is the one its sealed entry logged; a second disposed entry of a
      // recording already gone (an execution completed after interruption) changes nothing of it
      if (at != null) {
        disposedSealedAt.put(e.objectKey(), at);
        if (digest != null) {
          disposedSealDigests.put(e.objectKey(), digest);
        } else {
          disposedSealDigests.remove(e.objectKey());
        }
      }
    }
  }

  private Seal sealOf(String key, long index) throws IOException {
    Loaded l = seals.get(key);
    if (l != null && l.index() == index) {
      return l.seal();
    }
    Seal s = archive.seal(key);
    seals.put(key, new Loaded(index, s));
    return s;
  }

  /**
   * The recordings {@code query} selects, checked as it asks, with the continuity analysis over
   * them and the ledger state they were read at. Reads the store (seals already read are reused;
   * with {@link CatalogQuery#reverifies()} every recording's content).
   */
  public Selection select(CatalogQuery query) throws IOException {
    requireNonNull(query, "query");
    RecordingMetadata none = RecordingMetadata.builder().build();
    List<CatalogedRecording> recs = new ArrayList<>();
    for (Map.Entry<String, Long> e : sealed.entrySet()) {
      Seal seal;
      String unreadable = null;
      try {
        seal = sealOf(e.getKey(), e.getValue());
      } catch (NoSuchObjectException gone) {
        seal = null;
      } catch (SealFormatException damaged) {
        // garbage or an object past the heap planted as the seal is this recording's problem: the
        // supervisor still gets every other recording, this one flagged
        seal = null;
        unreadable = damaged.getMessage();
      }
      // A seal object that is not the seal the ledger logged was replaced under the store: signed
      // by a stolen station key it still verifies, so it is not believed, neither for what it
      // says was recorded (its case, device, officer) nor as the recording's seal.
      String logged = sealDigests.get(e.getKey());
      boolean replaced = seal != null && logged != null && !seal.digest().hex().equals(logged);
      if (replaced) {
        seal = null;
      }
      // A seal removed from under the store (the store never deletes one) must not take the
      // recording off its case's sheet: its ledger entry names device, officer, start and cases.
      RecordingMetadata md =
          seal == null
              ? logged(archive.ledger().entry(e.getValue()), none)
              : seal.metadata().orElse(none);
      if (!query.matches(md)) {
        continue;
      }
      CatalogedRecording r = new CatalogedRecording(e.getKey(), seal, md, e.getValue());
      if (replaced) {
        r.verification = SweepReport.Status.DAMAGED;
        r.verificationDetail =
            "its seal object is not the seal logged at ledger entry "
                + e.getValue()
                + " (replaced; what it recorded is from its ledger entry)";
      } else if (unreadable != null) {
        r.verification = SweepReport.Status.DAMAGED;
        r.sealUnreadable = true;
        r.verificationDetail =
            "its seal object cannot be read ("
                + unreadable
                + "; what it recorded is from its ledger entry)";
      } else if (seal == null) {
        r.verification = SweepReport.Status.MISSING;
        r.verificationDetail =
            "its seal is not in the store (what it recorded is from its ledger entry)";
      }
      try {
        r.info = archive.store().stat(ObjectKey.of(e.getKey()));
      } catch (NoSuchObjectException gone) {
        r.verification = SweepReport.Status.MISSING;
        r.verificationDetail =
            seal == null
                ? "neither the recording nor its seal is in the store"
                : "the recording is not in the store";
      }
      if (query.readsTimelines() && r.info != null) {
        probe(r);
      }
      recs.add(r);
    }
    recs.sort(
        Comparator.comparing((CatalogedRecording x) -> x.start().orElse(Instant.MAX))
            .thenComparing(x -> x.key));
    for (int i = 0; i < recs.size(); i++) {
      recs.get(i).number = i + 1;
    }
    List<CatalogedRecording> destroyed = destroyed(query, none);
    for (int i = 0; i < destroyed.size(); i++) {
      destroyed.get(i).number = recs.size() + i + 1;
    }
    SweepReport sweep = null;
    List<SweepReport.Item> strays = new ArrayList<>();
    if (query.reverifies()) {
      sweep = archive.sweep(null);
      Map<String, CatalogedRecording> byKey = new HashMap<>();
      recs.forEach(r -> byKey.put(r.key, r));
      for (SweepReport.Item i : sweep.items()) {
        CatalogedRecording r = byKey.get(i.key());
        if (r != null) {
          r.verification = i.status();
          r.verificationDetail = i.detail();
        } else if (i.status() != SweepReport.Status.OK && query.selectsEverything()) {
          strays.add(i);
        }
      }
    }
    query.signatures().ifPresent(v -> recs.forEach(r -> checkSignature(r, v)));
    EvidenceLedger ledger = archive.ledger();
    return new Selection(
        location,
        query,
        clock.instant(),
        recs,
        analyze(recs, query),
        Math.min(seen, ledger.size()),
        ledger.root(Math.min(seen, ledger.size())).hex(),
        ledger.latestCheckpoint().orElse(null),
        sweep != null,
        strays,
        destroyed);
  }

  /**
   * What a {@code sealed} ledger entry says the recording was (device, officer, start, cases), for
   * a recording whose seal is gone; {@code none} if the entry says nothing usable. Case ids are
   * logged joined by commas, so an id holding a comma is read as its parts.
   */
  private static RecordingMetadata logged(LedgerEntry sealed, RecordingMetadata none) {
    Map<String, String> d = sealed.details();
    try {
      RecordingMetadata.Builder b = RecordingMetadata.builder();
      if (d.containsKey("device")) {
        b.deviceId(d.get("device"));
      }
      if (d.containsKey("officer")) {
        b.officerId(d.get("officer"));
      }
      if (d.containsKey("recordingStart")) {
        b.recordingStart(Instant.parse(d.get("recordingStart")));
      }
      if (d.containsKey("cases")) {
        for (String c : new LinkedHashSet<>(List.of(d.get("cases").split(",")))) {
          if (!c.isBlank()) {
            b.addCaseId(c);
          }
        }
      }
      return b.build();
    } catch (IllegalArgumentException | DateTimeParseException bad) {
      return none; // a detail that is not what ingest writes: nothing to go on
    }
  }

  /**
   * The recordings {@code query} selects that were destroyed under an approved plan:
   * what was recorded, from the seal kept for good when it is the one its {@code sealed} entry
   * logged, else from that entry (flagged: replaced, unreadable or gone, R-20); and the disposal as
   * the ledger's {@code disposed} and {@code disposition-approved} entries tell it, checked against
   * the plan's destruction registers. Time order, unplaced ones last.
   */
  private List<CatalogedRecording> destroyed(CatalogQuery query, RecordingMetadata none)
      throws IOException {
    if (disposed.isEmpty()) {
      return List.of();
    }
    List<CatalogedRecording> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : disposed.entrySet()) {
      String key = e.getKey();
      Seal seal;
      String unreadable = null;
      try {
        seal = sealOf(key, e.getValue());
      } catch (NoSuchObjectException gone) {
        seal = null;
      } catch (SealFormatException damaged) {
        seal = null;
        unreadable = damaged.getMessage();
      }
      Long sealedAt = disposedSealedAt.get(key);
      String logged = disposedSealDigests.get(key);
      // as for a kept recording: a seal object that is not the one logged was replaced under the
      // store, and signed by a stolen station key it still verifies
      boolean replaced = seal != null && logged != null && !seal.digest().hex().equals(logged);
      if (replaced) {
        seal = null;
      }
      RecordingMetadata md =
          seal != null
              ? seal.metadata().orElse(none)
              : sealedAt == null ? none : logged(archive.ledger().entry(sealedAt), none);
      if (!query.matches(md)) {
        continue;
      }
      CatalogedRecording r = new CatalogedRecording(key, seal, md, -1);
      String entry = sealedAt == null ? "" : " at ledger entry " + sealedAt;
      if (replaced) {
        r.verification = SweepReport.Status.DAMAGED;
        r.verificationDetail =
            "its seal object, kept for good since its disposal, is not the seal logged"
                + entry
                + " (replaced; what it recorded is from its ledger entry)";
      } else if (unreadable != null) {
        r.verification = SweepReport.Status.DAMAGED;
        r.sealUnreadable = true;
        r.verificationDetail =
            "its seal object, kept for good since its disposal, cannot be read ("
                + unreadable
                + "; what it recorded is from its ledger entry)";
      } else if (seal == null) {
        r.verification = SweepReport.Status.MISSING;
        r.verificationDetail =
            "its seal, kept for good since its disposal, is not in the store (what it recorded is"
                + " from its ledger entry)";
      }
      out.add(r);
    }
    if (out.isEmpty()) {
      return out;
    }
    // the plans' entries the catalog index named, then those logged since
    for (long i : planEntriesUnread) {
      takeInPlanEntry(archive.ledger().entry(i), i);
    }
    planEntriesUnread.clear();
    readLedger();
    Map<String, PlanRegisters> registers = new HashMap<>();
    for (CatalogedRecording r : out) {
      long at = disposed.get(r.key);
      LedgerEntry entry = archive.ledger().entry(at);
      String plan = entry.details().getOrDefault("plan", "");
      PlanRegisters regs = registers.get(plan);
      if (regs == null) {
        regs = registersOf(plan);
        registers.put(plan, regs);
      }
      List<String> logged = approvers(plan, at, entry.time());
      r.disposal =
          new CatalogedRecording.Disposal(
              entry.time(),
              plan,
              entry.actor(),
              counted(logged, regs.listedByLogged().get(r.key)),
              at);
      r.disposalProblem = registerProblem(regs, r.key, logged);
    }
    out.sort(
        Comparator.comparing((CatalogedRecording x) -> x.start().orElse(Instant.MAX))
            .thenComparing(x -> x.key));
    return out;
  }

  /**
   * Reads the approvals and registers logged since the last read (those {@link #refresh()} took in
   * after the catalog index) into {@link #approvals} and {@link #registersLogged}.
   */
  private void readLedger() throws IOException {
    long to = seen;
    long from = Math.min(planEntriesRead, to);
    if (from < to) {
      archive
          .ledger()
          .forEachEntry(
              from,
              to,
              (entry, index) -> {
                if (entry.type().equals(EntryType.DISPOSITION_APPROVED)
                    || entry.type().equals(EntryType.DESTRUCTION_REGISTERED)) {
                  takeInPlanEntry(entry, index);
                }
              });
      planEntriesRead = to;
    }
  }

  /** How a ledger entry names the plan it concerns. */
  private static final String PLAN = "plan:";

  /** The approval an entry logged; its expiry null when the entry gives none that parses. */
  private static LoggedApproval approval(LedgerEntry e, long index) {
    String keyId = e.details().get("keyId");
    String name = keyId == null ? e.actor() : e.actor() + " (" + keyId + ")";
    Instant expires;
    try {
      expires = Instant.parse(e.details().getOrDefault("expiresAt", ""));
    } catch (DateTimeParseException bad) {
      expires = null;
    }
    return new LoggedApproval(index, name, expires);
  }

  /**
   * Who approved the plan that destroyed a recording, as the ledger logged it, "name (key id)" as
   * the register writes it: each approval of the plan logged before the {@code disposed} entry at
   * {@code disposedAt} and not expired at {@code at}, when the execution deleted under it. Nothing
   * a store writer can plant: an approval is logged by whoever signed it, and the ledger is hash
   * chained.
   */
  private List<String> approvers(String plan, long disposedAt, Instant at) {
    Set<String> out = new LinkedHashSet<>();
    for (LoggedApproval a : approvals.getOrDefault(plan, List.of())) {
      if (a.index() < disposedAt && a.expiresAt() != null && at.isBefore(a.expiresAt())) {
        out.add(a.approver());
      }
    }
    return List.copyOf(out);
  }

  /**
   * The approvers to print: those the ledger logged approving the plan ({@code logged}) that a
   * register the ledger logged names, when one lists the recording ({@code vouched}). Anyone may
   * approve a plan with any key, and the approval is logged; the execution counts only those a
   * trusted key signed, and names them in the register it signs and logs. Without such a register,
   * the ledger's approvals, and the register problem says why.
   */
  private static List<String> counted(List<String> logged, @Nullable List<List<String>> vouched) {
    if (vouched == null) {
      return logged;
    }
    Set<String> named = new HashSet<>();
    vouched.forEach(named::addAll);
    return logged.stream().filter(named::contains).toList();
  }

  /**
   * What is wrong with the plan's destruction registers as an account of how {@code key} went (the
   * finding code), or null. A register counts only if the ledger logged its digest: the executor's
   * signature on it proves nothing against a stolen key, and the ledger is hash chained. So: a
   * register in the store the ledger did not log that names the recording, or, with none logged
   * listing it, any object under the plan that is not a logged register, or a logged one gone, is
   * {@link Selection#REGISTER_DIFFERS}; none at all listing it is {@link
   * Selection#REGISTER_MISSING} (an execution that stopped before its register); a logged one
   * listing it that names an approver the ledger does not record ({@code logged}) is {@link
   * Selection#APPROVERS_UNVOUCHED}.
   */
  private static @Nullable String registerProblem(
      PlanRegisters regs, String key, List<String> logged) {
    List<List<String>> vouched = regs.listedByLogged().get(key);
    if (regs.namedByUnlogged().contains(key) || (vouched == null && regs.unlogged())) {
      return Selection.REGISTER_DIFFERS;
    }
    if (vouched == null) {
      return regs.loggedAbsent() ? Selection.REGISTER_DIFFERS : Selection.REGISTER_MISSING;
    }
    for (List<String> names : vouched) {
      if (!logged.containsAll(names)) {
        return Selection.APPROVERS_UNVOUCHED;
      }
    }
    return null;
  }

  /**
   * The destruction registers the store holds under a plan, against the digests the ledger logged
   * for it, read once per plan and selection: each object key a logged register lists as disposed
   * of, with the approvers of every such register; the object keys registers the ledger did not log
   * name (any outcome); whether there is any object under the plan that is not a logged register of
   * it (unlogged, of another plan, unreadable, or more objects than registers can be); whether one
   * the ledger logged is not there as logged.
   */
  private record PlanRegisters(
      Map<String, List<List<String>>> listedByLogged,
      Set<String> namedByUnlogged,
      boolean unlogged,
      boolean loggedAbsent) {}

  /**
   * Reads a plan's registers one object at a time ({@link DestructionRegister#scan}): an object any
   * store writer planted beside them (not a register, or not of this plan) is counted as such and
   * hides none of the others.
   */
  private PlanRegisters registersOf(String plan) throws IOException {
    Set<String> logged = registersLogged.getOrDefault(plan, Set.of());
    if (!plan.matches("[0-9a-f]{64}")) {
      return new PlanRegisters(Map.of(), Set.of(), false, !logged.isEmpty());
    }
    Map<String, List<List<String>>> listed = new HashMap<>();
    Set<String> named = new HashSet<>();
    Set<String> found = new HashSet<>();
    boolean[] unlogged = {false};
    try {
      DestructionRegister.scan(
          archive.store(),
          plan,
          f -> {
            DestructionRegister reg = f.register().orElse(null);
            if (reg == null) {
              unlogged[0] = true;
              return;
            }
            String digest = reg.digest();
            if (logged.contains(digest)) {
              found.add(digest);
              for (DestructionRegister.Item i : reg.items(DestructionRegister.Outcome.DISPOSED)) {
                listed.computeIfAbsent(i.objectKey(), x -> new ArrayList<>()).add(reg.approvers());
              }
            } else {
              unlogged[0] = true;
              reg.items().forEach(i -> named.add(i.objectKey()));
            }
          });
    } catch (RetentionFormatException tooMany) {
      // more objects under the plan than registers can be: refused unread
      return new PlanRegisters(Map.of(), Set.of(), true, !logged.isEmpty());
    }
    return new PlanRegisters(listed, named, unlogged[0], !found.containsAll(logged));
  }

  private ContinuityReport analyze(List<CatalogedRecording> recs, CatalogQuery query) {
    Map<String, Integer> names = new HashMap<>();
    recs.forEach(r -> names.merge(r.fileName(), 1, Integer::sum));
    List<RecordingSpan> spans = new ArrayList<>();
    for (CatalogedRecording r : recs) {
      String id = names.get(r.fileName()) > 1 ? r.key : r.fileName();
      Optional<RecordingSpan> span = mapping.span(id, r.metadata, r.placement);
      if (r.sealedTimeProblem != null && r.metadata.deviceId().isPresent()) {
        // the sealed times are the signer's claim; the content's own are not
        span =
            Optional.of(
                mapping.span(
                    id,
                    r.placement,
                    r.metadata.deviceId().get(),
                    r.metadata.officerId().orElse(null),
                    r.metadata.clockOffsetMillis().map(Duration::ofMillis).orElse(null),
                    r.metadata.ingestTime().orElse(null)));
      }
      if (span.isPresent() && r.attestedIngest != null) {
        // a back-dated claim must not pass for an ingest in time: only the token's time is known
        span = Optional.of(span.get().toBuilder().ingestTime(r.attestedIngest).build());
      }
      span.ifPresent(spans::add);
    }
    return ContinuityAnalyzer.create().analyze(spans, query.actions(), List.of());
  }

  /** Reads the stored recording's index: internal gaps, cuts, splices. */
  private void probe(CatalogedRecording r) {
    String type = r.metadata.mediaType().orElse("");
    if (!type.startsWith("video/") && !type.startsWith("audio/")) {
      return;
    }
    RecordingTimeline t;
    try (SeekableByteChannel ch = archive.store().openRead(ObjectKey.of(r.key))) {
      t = MediaProbe.create().probe(ch);
    } catch (MediaFormatException e) {
      r.probeNote =
          "index not readable (encrypted at rest, or not a media file): " + e.getMessage();
      return;
    } catch (IOException e) {
      r.probeNote = "index not read: " + e.getMessage();
      return;
    }
    Placement p = mapping.place(r.fileName(), t);
    r.placement = p;
    r.sealedTimeProblem = sealedTimeProblem(r.metadata, p);
    Instant start = r.start().orElse(null);
    if (start == null) {
      return;
    }
    // The index counts from the recording's own start; shown in corrected time.
    Instant deviceStart = p.start().orElse(null);
    for (Interval g : p.gaps()) {
      if (deviceStart != null) {
        r.internalGaps.add(
            new Interval(
                start.plus(Duration.between(deviceStart, g.start())),
                start.plus(Duration.between(deviceStart, g.end()))));
      }
    }
    for (MediaFinding f : p.findings()) {
      if (!f.benign() && f.timeSeconds().isPresent()) {
        r.marks.add(
            new CatalogedRecording.Mark(
                start.plusNanos(Math.round(f.timeSeconds().getAsDouble() * 1e9)), f.code()));
      }
    }
  }

  /** Container times have one-second resolution ({@code NameTimeCheck}'s tolerance). */
  private static final Duration SEALED_TIME_TOLERANCE = Duration.ofSeconds(2);

  /**
   * Whether the seal's recording start and end are its content's. The seal's times are what its
   * signer wrote; the container's creation time and length are in the content, which the seal's
   * hash covers, and a station seals exactly those. A signer who moved them (a late card made to
   * look recorded days later, Art. 17) is found here; a recording placed only by its name (read in
   * a zone the report may not share) or not read at all is not checked.
   */
  private static @Nullable String sealedTimeProblem(RecordingMetadata md, Placement p) {
    if (p.source() != Placement.TimeSource.CONTAINER || md.recordingStart().isEmpty()) {
      return null;
    }
    Instant start = p.start().orElseThrow();
    Instant end = p.end().orElse(start);
    Instant sealedStart = md.recordingStart().get();
    Instant sealedEnd = md.recordingEnd().orElse(null);
    if (!apart(sealedStart, start) && (sealedEnd == null || !apart(sealedEnd, end))) {
      return null;
    }
    return "the seal says it was recorded from "
        + sealedStart
        + (sealedEnd == null ? "" : " to " + sealedEnd)
        + ", its content's container from "
        + start
        + " to "
        + end
        + " (device clock): the sealed times are not the content's; it is placed by its content";
  }

  private static boolean apart(Instant a, Instant b) {
    return Duration.between(a, b).abs().compareTo(SEALED_TIME_TOLERANCE) > 0;
  }

  private static void checkSignature(CatalogedRecording r, Verifier verifier) {
    if (r.seal == null) {
      return;
    }
    VerificationReport v = verifier.verifySeal(r.seal);
    List<String> problems = new ArrayList<>();
    for (Finding f : v.findings()) {
      if (!FindingCode.isInformational(f.code())) {
        problems.add(f.code() + ": " + f.message());
      }
    }
    // A claim the token contradicts is not believed (TIMESTAMP_DELAYED), and a seal that claims no
    // ingest time is not thereby out of Art. 17's reach: either way the token's time is the only
    // ingest time known
    if (v.has(FindingCode.TIMESTAMP_DELAYED)
        || r.seal.metadata().flatMap(RecordingMetadata::ingestTime).isEmpty()) {
      r.attestedIngest = v.attestedTime().orElse(null);
    }
    if (!problems.isEmpty()) {
      r.signatureProblem = true;
      r.signature = String.join("; ", problems);
    } else if (v.has(FindingCode.SIGNATURE_VERIFIED)) {
      r.signature =
          "verified ("
              + r.seal.signature().map(s -> s.keyId()).orElse("?")
              + (v.has(FindingCode.TIMESTAMP_VERIFIED) ? ", trusted time" : "")
              + ")";
    }
  }
}
