package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.trust.TrustAnchors;

/**
 * Disposition a records officer can sign off (R-16, Art. 19), in four steps:
 *
 * <ol>
 *   <li>{@link #plan}: a dry run, what is disposable, when and why; bad rows are reported and the
 *       rest is planned;
 *   <li>{@link #record}: the plan is stored create-only under its SHA-256 digest, its decisions
 *       raise the retention history in the ledger, and the ledger records who planned it;
 *   <li>{@link #approve}: an approver signs the plan's digest with their key, with an expiry and
 *       per-recording exclusions; two approvers, neither the planner, are needed (four eyes);
 *   <li>{@link DispositionExecution#run}: everything re-checked with the trusted clock and today's
 *       facts, deletion through the store with tombstones before and after, a signed destruction
 *       register; running it again does nothing twice.
 * </ol>
 *
 * Every step is a ledger entry, so {@code ledger verify} proves the whole history.
 */
public final class Disposition {
  private Disposition() {}

  static final String PLANS = "disposition/plans/";
  static final String APPROVALS = "disposition/approvals/";

  /**
   * Most approvals read for one plan. Each is one object per person (its name is the person's
   * folder), two are needed, and an approval is a signed act of a named officer: a thousand
   * different people approving one plan is beyond any bureau, while a store with millions planted
   * under the plan would otherwise be read object by object.
   */
  static final int MAX_APPROVALS = 1_000;

  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);

  /**
   * The dry run: every decision, and which are disposable. Recordings the history says were
   * disposed of already are left out ({@link Plan#alreadyDisposed()}). A recording whose decision
   * cannot be computed (dates beyond the calendar) and a row the facts rejected are listed in
   * {@link Plan#problems()}; the rest is decided as usual.
   */
  public static Plan plan(
      RetentionPolicy policy, RetentionFacts facts, RetentionHistory history, Instant at) {
    requireNonNull(policy, "policy");
    requireNonNull(facts, "facts");
    requireNonNull(history, "history");
    requireNonNull(at, "at");
    List<RetentionDecision> ds = new ArrayList<>();
    List<String> problems = new ArrayList<>(facts.rejectedRows());
    Map<String, String> keys = new LinkedHashMap<>();
    List<String> gone = new ArrayList<>();
    for (RetentionFacts.Recording r : facts.recordings()) {
      if (history.disposedAt(r.id()).isPresent()) {
        gone.add(r.id());
        continue;
      }
      try {
        ds.add(RetentionEngine.decide(policy, facts, history, r.id(), at));
        r.objectKey().ifPresent(k -> keys.put(r.id(), k));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return new Plan(ds, keys, problems, gone, policy.id(), policy.version(), at, null);
  }

  /** A disposition plan: decisions at one instant under one policy. */
  public static final class Plan {
    private final List<RetentionDecision> decisions;
    private final Map<String, String> objectKeys;
    private final List<String> problems;
    private final List<String> alreadyDisposed;
    private final String policyId;
    private final int policyVersion;
    private final Instant at;
    private final String plannedBy;

    Plan(
        List<RetentionDecision> decisions,
        Map<String, String> objectKeys,
        List<String> problems,
        List<String> alreadyDisposed,
        String policyId,
        int policyVersion,
        Instant at,
        String plannedBy) {
      this.decisions = List.copyOf(decisions);
      this.objectKeys = objectKeys;
      this.problems = List.copyOf(problems);
      this.alreadyDisposed = List.copyOf(alreadyDisposed);
      this.policyId = policyId;
      this.policyVersion = policyVersion;
      this.at = at;
      this.plannedBy = plannedBy;
    }

    public List<RetentionDecision> decisions() {
      return decisions;
    }

    public List<RetentionDecision> disposable() {
      List<RetentionDecision> out = new ArrayList<>();
      for (RetentionDecision d : decisions) {
        if (d.disposable()) {
          out.add(d);
        }
      }
      return out;
    }

    /**
     * Recordings of the facts the history says were disposed of already: not decided again and not
     * offered for disposal.
     */
    public List<String> alreadyDisposed() {
      return alreadyDisposed;
    }

    /** Rows that could not be read or decided, one line each naming the row and the problem. */
    public List<String> problems() {
      return problems;
    }

    public Instant at() {
      return at;
    }

    /** Who made the plan; absent until {@link #plannedBy(String)}. */
    public Optional<String> plannedBy() {
      return Optional.ofNullable(plannedBy);
    }

    /** This plan, naming who made it (needed to {@link Disposition#record} it). */
    public Plan plannedBy(String person) {
      requireNonNull(person, "person");
      if (person.isBlank()) {
        throw new IllegalArgumentException("a plan names who made it");
      }
      if (plannedBy != null) {
        throw new IllegalStateException("the plan already names its planner " + plannedBy);
      }
      return new Plan(
          decisions, objectKeys, problems, alreadyDisposed, policyId, policyVersion, at, person);
    }

    /**
     * CSV: recording, status, retain_until, policy, reasons (RFC 4180 quoting; cells a spreadsheet
     * would run as a formula are defused). Rows that could not be decided follow with status {@code
     * ERROR}.
     */
    public String toCsv() {
      StringBuilder sb = new StringBuilder();
      try {
        writeCsv(sb);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a StringBuilder does not fail
      }
      return sb.toString();
    }

    /** {@link #toCsv()} written row by row, for plans too large to hold as one string. */
    public void writeCsv(Appendable out) throws IOException {
      requireNonNull(out, "out");
      out.append("recording,status,retain_until,policy,reasons\r\n");
      String policy = CsvCell.of(policyId + " v" + policyVersion);
      for (RetentionDecision d : decisions) {
        out.append(CsvCell.of(d.recordingId()))
            .append(',')
            .append(d.status().name())
            .append(',')
            .append(d.retainUntil().map(Instant::toString).orElse(""))
            .append(',')
            .append(policy)
            .append(',')
            .append(CsvCell.of(String.join(" | ", d.derivation())))
            .append("\r\n");
      }
      for (String p : problems) {
        out.append(",ERROR,,").append(policy).append(',').append(CsvCell.of(p)).append("\r\n");
      }
    }

    /**
     * Canonical JSON of the plan (format {@code evidencekit.disposition-plan/2}): when, who, which
     * policy, every recording's decision (status, end of retention, object key), and the problems.
     * Its SHA-256 is the {@link #digest()} approvers sign.
     */
    public byte[] toJson() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        writeJson(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a byte array does not fail
      }
      return out.toByteArray();
    }

    /**
     * {@link #toJson()} written item by item: the same canonical bytes without building the whole
     * document in memory (members in JCS order: alreadyDisposed, at, decisions, format, plannedBy,
     * policy, policyVersion, problems).
     */
    public void writeJson(OutputStream out) throws IOException {
      requireNonNull(out, "out");
      out.write('{');
      member(out, "alreadyDisposed", new ArrayList<Object>(alreadyDisposed));
      out.write(',');
      member(out, "at", at.toString());
      out.write(',');
      out.write(CanonicalJson.encode("decisions"));
      out.write(':');
      out.write('[');
      boolean first = true;
      for (RetentionDecision d : decisions) {
        if (!first) {
          out.write(',');
        }
        first = false;
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("recording", d.recordingId());
        i.put("status", d.status().name());
        d.retainUntil().ifPresent(u -> i.put("retainUntil", u.toString()));
        String key = objectKeys.get(d.recordingId());
        if (key != null) {
          i.put("objectKey", key);
        }
        out.write(CanonicalJson.encode(i));
      }
      out.write(']');
      out.write(',');
      member(out, "format", PLAN_FORMAT);
      if (plannedBy != null) {
        out.write(',');
        member(out, "plannedBy", plannedBy);
      }
      out.write(',');
      member(out, "policy", policyId);
      out.write(',');
      member(out, "policyVersion", (long) policyVersion);
      out.write(',');
      member(out, "problems", new ArrayList<Object>(problems));
      out.write('}');
    }

    private static void member(OutputStream out, String name, Object value) throws IOException {
      out.write(CanonicalJson.encode(name));
      out.write(':');
      out.write(CanonicalJson.encode(value));
    }

    /** SHA-256 (hex) of {@link #toJson()}, computed as it is written. */
    public String digest() {
      MessageDigest md = sha256();
      try {
        BufferedOutputStream b =
            new BufferedOutputStream(
                new DigestOutputStream(OutputStream.nullOutputStream(), md), 1 << 16);
        writeJson(b);
        b.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // nothing here does I/O
      }
      return Digest.of(md.digest()).hex();
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static final String PLAN_FORMAT = "evidencekit.disposition-plan/2";

  /**
   * Stores the plan create-only as {@code disposition/plans/<digest>.json}, kept for good, raises
   * the retention history in the ledger with its decisions, and appends a {@code
   * disposition-planned} entry naming the planner. Recording the same plan again changes nothing
   * (or completes the ledger entries of a run that stopped after storing it).
   *
   * @return the plan's digest, which approvals sign
   * @throws IllegalStateException if the plan does not name its planner
   */
  public static String record(Plan plan, EvidenceStore store, EvidenceLedger ledger)
      throws IOException {
    requireNonNull(plan, "plan");
    requireNonNull(store, "store");
    requireNonNull(ledger, "ledger");
    String by =
        plan.plannedBy()
            .orElseThrow(() -> new IllegalStateException("the plan does not name its planner"));
    byte[] json = plan.toJson();
    String digest = HashAlgorithm.SHA256.hash(json).hex();
    ObjectKey key = planKey(digest);
    try {
      StoredObjects.createPermanent(store, key, json);
    } catch (ObjectExistsException e) {
      // the same bytes were stored before; finish the record if that run stopped before the ledger
      // (or before the lock)
      StoredObjects.keep(store, key);
      for (LedgerEntry x : ledger.entries()) {
        if (x.type().equals(EntryType.DISPOSITION_PLANNED)
            && x.subject().equals("plan:" + digest)) {
          return digest;
        }
      }
    }
    RetentionHistory.read(ledger).recordAll(ledger, by, plan.decisions());
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.DISPOSITION_PLANNED)
            .time(plan.at())
            .actor(by)
            .subject("plan:" + digest)
            .payloadDigest(digest)
            .details(
                Map.of(
                    "disposable",
                    String.valueOf(plan.disposable().size()),
                    "recordings",
                    String.valueOf(plan.decisions().size()),
                    "problems",
                    String.valueOf(plan.problems().size())))
            .build());
    return digest;
  }

  /** A plan as stored: what approvers approve and execution works from. */
  public static final class StoredPlan {
    /** One recording of a stored plan. */
    public static final class Item {
      private final String recordingId;
      private final RetentionStatus status;
      private final String objectKey;

      Item(String recordingId, RetentionStatus status, String objectKey) {
        this.recordingId = recordingId;
        this.status = status;
        this.objectKey = objectKey;
      }

      public String recordingId() {
        return recordingId;
      }

      /** Where the recording stood when planned. */
      public RetentionStatus status() {
        return status;
      }

      public Optional<String> objectKey() {
        return Optional.ofNullable(objectKey);
      }
    }

    private final String digest;
    private final String plannedBy;
    private final Instant at;
    private final String policy;
    private final List<Item> items;

    StoredPlan(String digest, String plannedBy, Instant at, String policy, List<Item> items) {
      this.digest = digest;
      this.plannedBy = plannedBy;
      this.at = at;
      this.policy = policy;
      this.items = List.copyOf(items);
    }

    public String digest() {
      return digest;
    }

    public String plannedBy() {
      return plannedBy;
    }

    public Instant at() {
      return at;
    }

    /** The policy id and version, e.g. {@code regulation-default v1}. */
    public String policy() {
      return policy;
    }

    public List<Item> items() {
      return items;
    }

    /** The items that were disposable when planned. */
    public List<Item> disposable() {
      List<Item> out = new ArrayList<>();
      for (Item i : items) {
        if (i.status == RetentionStatus.DISPOSABLE) {
          out.add(i);
        }
      }
      return out;
    }
  }

  /**
   * Reads a stored plan and checks that its bytes still hash to {@code digest}.
   *
   * @throws DispositionRefusedException if there is no such plan or it was altered
   */
  public static StoredPlan readPlan(EvidenceStore store, String digest)
      throws IOException, DispositionRefusedException {
    requireNonNull(store, "store");
    requireNonNull(digest, "digest");
    if (!digest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a plan digest is 64 lowercase hex digits");
    }
    ObjectKey key = planKey(digest);
    if (!store.exists(key)) {
      throw new DispositionRefusedException("no disposition plan " + digest + " in the store");
    }
    byte[] json = StoredObjects.read(store, key);
    if (!HashAlgorithm.SHA256.hash(json).hex().equals(digest)) {
      throw new DispositionRefusedException(
          "the stored plan " + digest + " does not hash to its name: it was altered");
    }
    JsonNode n =
        JSON.requireObject(
            JSON.parse(json),
            "plan",
            Set.of(
                "format",
                "alreadyDisposed",
                "at",
                "plannedBy",
                "policy",
                "policyVersion",
                "decisions",
                "problems"));
    if (!JSON.string(n, "format").equals(PLAN_FORMAT)) {
      throw new RetentionFormatException("plan format must be " + PLAN_FORMAT);
    }
    if (!n.has("plannedBy")) {
      throw new DispositionRefusedException("plan " + digest + " does not name its planner");
    }
    List<StoredPlan.Item> items = new ArrayList<>();
    for (JsonNode i : JSON.array(n, "decisions", 10_000_000)) {
      JSON.requireObject(i, "item", Set.of("recording", "status", "retainUntil", "objectKey"));
      items.add(
          new StoredPlan.Item(
              JSON.string(i, "recording"),
              RetentionStatus.parse(JSON.string(i, "status")),
              RetentionFacts.optString(i, "objectKey")));
    }
    return new StoredPlan(
        digest,
        JSON.string(n, "plannedBy"),
        RetentionFacts.instant(n, "at"),
        JSON.string(n, "policy") + " v" + JSON.integer(n, "policyVersion", 1, Integer.MAX_VALUE),
        items);
  }

  /**
   * Refuses a plan this archive's ledger did not record: approvals are signed over the plan's
   * digest, which names no archive, so a plan and its approvals copied into another archive's store
   * (by anyone who can write it) would destroy that archive's recordings of the same ids under
   * approvals given for this one; approving it there would put approvals in that
   * archive's ledger for a plan it never made. A plan stored by a {@link #record} that stopped
   * before its entry is recorded again first.
   */
  static void requirePlannedHere(EvidenceLedger ledger, String planDigest)
      throws IOException, DispositionRefusedException {
    for (LedgerEntry e : ledger.entries()) {
      if (e.type().equals(EntryType.DISPOSITION_PLANNED)
          && e.subject().equals("plan:" + planDigest)
          && e.payloadDigest().map(planDigest::equals).orElse(false)) {
        return;
      }
    }
    throw new DispositionRefusedException(
        "plan "
            + planDigest
            + " is not recorded in this archive's ledger (no disposition-planned entry): a plan"
            + " copied from another archive is neither approved nor executed here, and one whose recording stopped"
            + " before its entry is recorded again first");
  }

  /**
   * One approver signs a stored plan: the terms are checked against the plan (it exists and is
   * intact, the approver is not the planner, the expiry is after the trusted clock's now, every
   * exclusion names a recording the plan offers for disposal), signed with the approver's key,
   * stored create-only as {@code disposition/approvals/<plan digest>/<approver>.json} (an approver
   * approves a plan once) and appended to the ledger as {@code disposition-approved}.
   *
   * <p>An approval stored by an earlier call that stopped before its ledger entry is completed, not
   * refused: if the approver's stored approval verifies with the key of {@code terms} and the
   * ledger has no {@code disposition-approved} entry for it, that entry is appended with the stored
   * approval's own time, expiry and exclusions, and the stored approval is returned (its terms, not
   * those of this call). An approval already in the ledger is refused as a second approval.
   *
   * <p>The trusted clock is read last, once everything that does not need the time has been checked
   * (the plan, four eyes, the exclusions, the key, an approval stored before): a clock vouched for
   * on this call's behalf ({@link HighWaterMarkClock#initialiseOnFirstReading}) is recorded only
   * for an approval made. An expiry already past by the clock's {@link TrustedClock#reading()} is
   * refused before anything else, with nothing vouched for, stored or logged; the trusted time
   * checks the lapse again.
   *
   * @throws DispositionRefusedException if the approver already approved the plan (and it is
   *     logged), or their stored approval does not verify with this key
   */
  public static DispositionApproval approve(
      DispositionApproval.Builder terms,
      EvidenceStore store,
      EvidenceLedger ledger,
      TrustedClock clock)
      throws IOException, DispositionRefusedException, ClockRefusedException {
    requireNonNull(terms, "terms");
    requireNonNull(store, "store");
    requireNonNull(ledger, "ledger");
    requireNonNull(clock, "clock");
    terms.check();
    // an expiry already past is refused first, on the clock's reading: nothing is vouched for,
    // stored or logged; the trusted time read last checks it again
    Instant reading = clock.reading();
    Instant lapse = terms.lapseFor(reading);
    if (!lapse.isAfter(reading)) {
      throw new DispositionRefusedException(
          "the approval would expire at " + lapse + ", not after now (" + reading + ")");
    }
    StoredPlan plan = readPlan(store, terms.planDigest());
    // before anything is written: a plan copied in from another archive is not this one's
    requirePlannedHere(ledger, plan.digest());
    // its writer may have stopped, or its store failed, between its commit and its lock
    StoredObjects.keepIfLoose(store, planKey(plan.digest()));
    if (samePerson(terms.approver(), plan.plannedBy())) {
      throw new DispositionRefusedException(
          terms.approver() + " made the plan and cannot also approve it (four eyes)");
    }
    Set<String> offered = new HashSet<>();
    plan.disposable().forEach(i -> offered.add(i.recordingId()));
    for (String r : terms.exclusions().keySet()) {
      if (!offered.contains(r)) {
        throw new IllegalArgumentException(
            "cannot exclude " + r + ": the plan does not offer it for disposal");
      }
    }
    // Four eyes are two people, and a key is one person: a second name under a key that has
    // approved the plan already would be stored, logged and even named in the register as an
    // approver who never held a key of their own.
    TrustAnchors own = TrustAnchors.ofPublicKeys(List.of(terms.key().publicKeyDer()));
    for (DispositionApproval other : readableApprovals(store, plan.digest())) {
      if (!samePerson(other.approver(), terms.approver())
          && other.planDigest().equals(plan.digest())
          && other.verify(own)) {
        throw new DispositionRefusedException(
            "key "
                + other.keyId()
                + " has already approved plan "
                + plan.digest()
                + " as "
                + other.approver()
                + "; "
                + terms.approver()
                + " needs a key of their own (four eyes)");
      }
    }
    ObjectKey key = approvalKey(plan.digest(), terms.approver());
    if (store.exists(key)) {
      // approved before: refused as a second approval, or that approval's log completed; neither
      // needs the time, so a clock vouched for on this call's behalf records nothing
      StoredObjects.keep(store, key);
      return completeStored(terms, plan, key, store, ledger);
    }
    // the time is read last, once nothing else can refuse the approval: a refused approval leaves
    // the trusted clock as it was (its initialisation or accepted jump is recorded at this reading)
    Instant now = clock.now();
    Instant expires = terms.lapseFor(now);
    if (!expires.isAfter(now)) {
      throw new DispositionRefusedException(
          "the approval would expire at " + expires + ", not after now (" + now + ")");
    }
    DispositionApproval a = DispositionApproval.sign(terms, now);
    // no entry before this one can log the approval: it is logged only once it is stored
    ledger.refresh();
    long before = ledger.size();
    try {
      StoredObjects.createPermanent(store, key, a.toJson());
    } catch (ObjectExistsException e) {
      StoredObjects.keep(store, key); // that approval's run may have stopped before its lock
      return completeStored(terms, plan, key, store, ledger);
    }
    // another call for the same approver may have found it stored and logged it meanwhile
    logOnce(ledger, a, before);
    return a;
  }

  /**
   * The approver's approval is stored already. Logged: refused, an approver approves once. Not
   * logged (its run stopped between the two steps): an auditor reading the ledger would miss an
   * approval the execution counts, and nothing else would ever log it, so its entry is appended
   * now, as it would have been then.
   */
  private static DispositionApproval completeStored(
      DispositionApproval.Builder terms,
      StoredPlan plan,
      ObjectKey key,
      EvidenceStore store,
      EvidenceLedger ledger)
      throws IOException, DispositionRefusedException {
    DispositionApproval stored = DispositionApproval.parse(StoredObjects.read(store, key));
    ledger.refresh();
    long scanned = ledger.size();
    if (logs(ledger, 0, scanned, stored)) {
      throw new DispositionRefusedException(
          terms.approver() + " has already approved plan " + plan.digest());
    }
    // Only the approver's own signature is logged in their name: an object someone planted at
    // their key is not theirs.
    if (!stored.planDigest().equals(plan.digest())
        || !samePerson(stored.approver(), terms.approver())
        || !stored.verify(TrustAnchors.ofPublicKeys(List.of(terms.key().publicKeyDer())))) {
      throw new DispositionRefusedException(
          key.value()
              + " holds an approval of plan "
              + plan.digest()
              + " that "
              + terms.approver()
              + "'s key did not sign; not logging it");
    }
    // the approve that stored it, or another completing it, may log it meanwhile: once in all
    logOnce(ledger, stored, scanned);
    return stored;
  }

  /**
   * Attempts at logging an approval while other writers append (each failure is their progress).
   */
  private static final int MAX_LOG_ATTEMPTS = 1000;

  /**
   * Appends the approval's entry unless the ledger logs it already, so that it is logged exactly
   * once however many calls complete it at the same time (the approve that stored it and another
   * that found it stored, in two processes): each call reads the entries since its last look and
   * appends only at the position right after them ({@link EvidenceLedger#appendIf}); an entry
   * appended there meanwhile, by anyone, sends it to read again (R-16: an auditor counts approvals
   * by their entries).
   *
   * @param scanned entries before this index are known not to log it
   */
  static void logOnce(EvidenceLedger ledger, DispositionApproval a, long scanned)
      throws IOException {
    LedgerEntry entry = approvedEntry(a);
    for (int attempt = 0; attempt < MAX_LOG_ATTEMPTS; attempt++) {
      ledger.refresh();
      long size = ledger.size();
      if (logs(ledger, scanned, size, a)) {
        return;
      }
      scanned = size;
      long at = size;
      if (ledger.appendIf(entry, v -> v.size() == at).isPresent()) {
        return;
      }
    }
    throw new IOException(
        "could not log the approval of plan "
            + a.planDigest()
            + " by "
            + a.approver()
            + " after "
            + MAX_LOG_ATTEMPTS
            + " attempts against other writers; approving again logs it");
  }

  /** Whether an entry from {@code from} to {@code to} (exclusive) logs this very approval. */
  private static boolean logs(EvidenceLedger ledger, long from, long to, DispositionApproval a)
      throws IOException {
    boolean[] logged = {false};
    ledger.forEachEntry(
        from,
        to,
        (x, i) ->
            logged[0] |=
                x.type().equals(EntryType.DISPOSITION_APPROVED)
                    && x.subject().equals("plan:" + a.planDigest())
                    && samePerson(x.actor(), a.approver())
                    && x.payloadDigest().filter(a.digest()::equals).isPresent());
    return logged[0];
  }

  private static LedgerEntry approvedEntry(DispositionApproval a) {
    return LedgerEntry.builder()
        .type(EntryType.DISPOSITION_APPROVED)
        .time(a.approvedAt())
        .actor(a.approver())
        .subject("plan:" + a.planDigest())
        .payloadDigest(a.digest())
        .details(
            Map.of(
                "keyId",
                a.keyId(),
                "expiresAt",
                a.expiresAt().toString(),
                "excluded",
                String.valueOf(a.exclusions().size())))
        .build();
  }

  /**
   * Every approval stored for the plan (whether or not it verifies).
   *
   * @throws RetentionFormatException if the store holds more than 1,000 under the plan (refused
   *     before any is read) or one is malformed
   */
  public static List<DispositionApproval> approvals(EvidenceStore store, String planDigest)
      throws IOException {
    requireNonNull(store, "store");
    requireNonNull(planDigest, "planDigest");
    List<DispositionApproval> out = new ArrayList<>();
    String prefix = APPROVALS + planDigest + "/";
    for (var info : StoredObjects.list(store, prefix, MAX_APPROVALS, "approvals of a plan")) {
      out.add(DispositionApproval.parse(StoredObjects.read(store, info.key())));
    }
    return out;
  }

  /**
   * The plan's approvals, passing over any object in their folder that is not one (malformed, too
   * large, gone while read). For approving and executing, which check each approval themselves: the
   * folder is any store writer's, and one object planted in it must not stop every later approval
   * and run of the plan.
   *
   * @throws RetentionFormatException if the store holds more than 1,000 under the plan
   */
  static List<DispositionApproval> readableApprovals(EvidenceStore store, String planDigest)
      throws IOException {
    List<DispositionApproval> out = new ArrayList<>();
    String prefix = APPROVALS + planDigest + "/";
    for (var info : StoredObjects.list(store, prefix, MAX_APPROVALS, "approvals of a plan")) {
      try {
        out.add(DispositionApproval.parse(StoredObjects.read(store, info.key())));
      } catch (RetentionFormatException | NoSuchObjectException notOne) {
        // not an approval: it approves nothing
      }
    }
    return out;
  }

  static ObjectKey planKey(String digest) {
    return ObjectKey.of(PLANS + digest + ".json");
  }

  static ObjectKey approvalKey(String planDigest, String approver) {
    return ObjectKey.of(
        APPROVALS + planDigest + "/" + StoredObjects.folder(person(approver)) + ".json");
  }

  /** Names compared as people: case, surrounding and repeated spaces do not make a new person. */
  static String person(String name) {
    return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  static boolean samePerson(String a, String b) {
    return person(a).equals(person(b));
  }
}
