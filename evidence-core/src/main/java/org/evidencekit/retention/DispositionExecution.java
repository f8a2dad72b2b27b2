package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * Executes an approved disposition plan. Before anything is deleted: the trusted clock must vouch
 * for the time, the plan must be intact, and at least two approvals must verify with trusted keys,
 * come from two people (neither the planner) with two keys, and not have expired. Then, for each
 * recording the plan offered and no approver excluded: if a tombstone already says it was disposed
 * of, nothing happens; otherwise it is decided again with today's facts, the ledger's history and
 * holds and the trusted time, and only if still disposable its content's SHA-256 is read, an {@code
 * intended} tombstone written, the object deleted through the store, and a {@code disposed}, {@code
 * refused} or {@code missing} tombstone written. Each step is a ledger entry; a signed {@link
 * DestructionRegister} closes the batch.
 *
 * <p>A legal hold the library placed on the object (push-down of a hold, an open case or a
 * permanent rule) is lifted just before the delete, since the re-decision found none of them in
 * force; it is put back if the store refuses the delete.
 */
public final class DispositionExecution {
  /** Approvals needed from different people with different keys. */
  public static final int APPROVALS_NEEDED = 2;

  private final String planDigest;
  private final RetentionPolicy policy;
  private final RetentionFacts facts;
  private final TrustAnchors approverKeys;
  private final SigningKeyProvider signer;
  private final String executedBy;

  private DispositionExecution(Builder b) {
    this.planDigest = b.planDigest;
    this.policy = b.policy;
    this.facts = b.facts;
    this.approverKeys = b.approverKeys;
    this.signer = b.signer;
    this.executedBy = b.executedBy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the execution.
   *
   * @throws ClockRefusedException before anything is deleted, if the time cannot be trusted
   * @throws DispositionRefusedException before anything is deleted, if the plan or its approvals do
   *     not allow it
   */
  public DestructionRegister run(EvidenceStore store, EvidenceLedger ledger, TrustedClock clock)
      throws IOException, ClockRefusedException, DispositionRefusedException {
    requireNonNull(store, "store");
    requireNonNull(ledger, "ledger");
    requireNonNull(clock, "clock");
    Instant now = clock.now();
    Disposition.StoredPlan plan = Disposition.readPlan(store, planDigest);
    // the plan and approvals this deletes under are locked first, whatever their writers left
    // between commit and lock
    StoredObjects.keepIfLoose(store, Disposition.planKey(planDigest));
    for (ObjectInfo info :
        StoredObjects.list(
            store,
            Disposition.APPROVALS + planDigest + "/",
            Disposition.MAX_APPROVALS,
            "approvals of a plan")) {
      StoredObjects.keepIfLoose(store, info);
    }
    List<DispositionApproval> valid = validApprovals(store, plan, now);
    // a run whose register could not be written must not delete anything: refuse it now
    StoredObjects.next(
        store,
        DestructionRegister.PREFIX + planDigest + "/",
        DestructionRegister.MAX_REGISTERS,
        DestructionRegister.WHAT);
    Map<String, String> excluded = new TreeMap<>();
    List<String> approvers = new ArrayList<>();
    for (DispositionApproval a : valid) {
      a.exclusions().forEach(excluded::putIfAbsent);
      approvers.add(a.approver() + " (" + a.keyId() + ")");
    }
    RetentionHistory history = RetentionHistory.read(ledger);
    long scanned = ledger.size();
    Set<String> logged = loggedRecords(ledger, scanned);
    // An approval stored by a call that stopped before its entry counts here (it verifies): log it
    // before anything is deleted, so the ledger names every approver this execution counted (the
    // record sheet's approvers are the ledger's, R-16, R-18), once however many log it at once.
    for (DispositionApproval a : valid) {
      if (logged.add(approvalLogKey(a.planDigest(), a.digest()))) {
        Disposition.logOnce(ledger, a, scanned);
      }
    }
    List<RetentionDecision> decided = new ArrayList<>();
    // What the plan's registers already list as destroyed: a run that stopped after its deletes and
    // before its register left disposals no register lists, and this run's register lists them.
    Set<String> registered = new HashSet<>();
    for (DestructionRegister r : DestructionRegister.read(store, planDigest)) {
      r.items(DestructionRegister.Outcome.DISPOSED).forEach(i -> registered.add(i.recordingId()));
    }
    List<DestructionRegister.Item> items = new ArrayList<>();
    for (Disposition.StoredPlan.Item item : plan.disposable()) {
      items.add(one(store, ledger, item, excluded, history, logged, registered, now, decided));
    }
    history.recordAll(ledger, executedBy, decided);
    return register(store, ledger, plan, approvers, now, items, logged);
  }

  /**
   * What the first {@code size} entries of the ledger hold of disposition's own records: one {@link
   * #logKey} per disposal-state entry, per {@code destruction-registered} entry and per {@code
   * disposition-approved} entry. Each record is stored before its entry is appended; a run that
   * stopped between the two left a record the ledger lacks, and this run appends its entry, from
   * the record itself.
   */
  private static Set<String> loggedRecords(EvidenceLedger ledger, long size) throws IOException {
    Set<String> out = new HashSet<>();
    ledger.forEachEntry(
        0,
        size,
        (e, i) -> {
          switch (e.type()) {
            case EntryType.DISPOSITION_APPROVED:
              if (e.subject().startsWith("plan:") && e.payloadDigest().isPresent()) {
                out.add(approvalLogKey(e.subject().substring(5), e.payloadDigest().get()));
              }
              break;
            case EntryType.DISPOSAL_INTENDED:
            case EntryType.DISPOSED:
            case EntryType.DISPOSAL_REFUSED:
            case EntryType.DISPOSAL_MISSING:
              out.add(logKey(e.type(), e.subject(), e.time(), e.details().get("plan")));
              break;
            case EntryType.DESTRUCTION_REGISTERED:
              out.add(logKey(e.type(), e.subject(), null, e.payloadDigest().orElse(null)));
              break;
            default:
              break;
          }
        });
    return out;
  }

  /** The {@link #logKey} of an approval's {@code disposition-approved} entry. */
  private static String approvalLogKey(String planDigest, String approvalDigest) {
    return logKey(EntryType.DISPOSITION_APPROVED, "plan:" + planDigest, null, approvalDigest);
  }

  private static String logKey(String type, String subject, Instant at, String what) {
    return type + "\n" + subject + "\n" + at + "\n" + what;
  }

  /** Appends the entry of each stored state of one recording that the ledger lacks. */
  private static void completeLog(EvidenceLedger ledger, List<Tombstone> states, Set<String> logged)
      throws IOException {
    for (Tombstone t : states) {
      LedgerEntry e = entryOf(t);
      if (logged.add(logKey(e.type(), e.subject(), e.time(), t.planDigest()))) {
        ledger.append(e);
      }
    }
  }

  private List<DispositionApproval> validApprovals(
      EvidenceStore store, Disposition.StoredPlan plan, Instant now)
      throws IOException, DispositionRefusedException {
    List<DispositionApproval> valid = new ArrayList<>();
    Set<String> people = new HashSet<>();
    Set<String> keys = new HashSet<>();
    List<String> why = new ArrayList<>();
    for (DispositionApproval a : Disposition.approvals(store, plan.digest())) {
      if (!a.planDigest().equals(plan.digest())) {
        why.add(a.approver() + ": approves another plan");
      } else if (!a.verify(approverKeys)) {
        why.add(a.approver() + ": signature does not verify with a trusted approver key");
      } else if (Disposition.samePerson(a.approver(), plan.plannedBy())) {
        why.add(a.approver() + ": is the planner");
      } else if (!now.isBefore(a.expiresAt())) {
        why.add(a.approver() + ": expired at " + a.expiresAt());
      } else if (a.approvedAt().isAfter(now)) {
        why.add(a.approver() + ": dated " + a.approvedAt() + ", after the trusted time " + now);
      } else if (!people.add(Disposition.person(a.approver()))) {
        why.add(a.approver() + ": approved twice");
      } else if (!keys.add(a.keyId())) {
        why.add(a.approver() + ": signed with a key another approver used");
      } else {
        valid.add(a);
      }
    }
    if (valid.size() < APPROVALS_NEEDED) {
      throw new DispositionRefusedException(
          "plan "
              + plan.digest()
              + " has "
              + valid.size()
              + " valid approval(s); "
              + APPROVALS_NEEDED
              + " from different people with different keys, neither the planner, are needed"
              + (why.isEmpty() ? "" : " (" + String.join("; ", why) + ")"));
    }
    return valid;
  }

  private DestructionRegister.Item one(
      EvidenceStore store,
      EvidenceLedger ledger,
      Disposition.StoredPlan.Item item,
      Map<String, String> excluded,
      RetentionHistory history,
      Set<String> logged,
      Set<String> registered,
      Instant now,
      List<RetentionDecision> decided)
      throws IOException {
    String id = item.recordingId();
    String plannedKey = item.objectKey().orElse("");
    if (excluded.containsKey(id)) {
      return new DestructionRegister.Item(
          id, plannedKey, DestructionRegister.Outcome.EXCLUDED, null, excluded.get(id));
    }
    List<Tombstone> states = Tombstone.history(store, id);
    completeLog(ledger, states, logged);
    for (Tombstone t : states) {
      if (t.state() == Tombstone.State.DISPOSED
          && t.planDigest().equals(planDigest)
          && !registered.contains(id)) {
        return new DestructionRegister.Item(
            id,
            t.objectKey(),
            DestructionRegister.Outcome.DISPOSED,
            t.contentSha256().orElse(null),
            "disposed at "
                + t.at()
                + " by "
                + t.executedBy()
                + " in an earlier run of this plan that no register lists");
      }
      if (t.state() == Tombstone.State.DISPOSED) {
        return new DestructionRegister.Item(
            id,
            t.objectKey(),
            DestructionRegister.Outcome.ALREADY_DISPOSED,
            t.contentSha256().orElse(null),
            "disposed at " + t.at() + " under plan " + t.planDigest());
      }
    }
    RetentionFacts.Recording r = facts.recording(id).orElse(null);
    if (r == null) {
      return kept(id, plannedKey, "no longer in the facts");
    }
    RetentionDecision d;
    try {
      d = RetentionEngine.decide(policy, facts, history, id, now);
    } catch (IllegalArgumentException e) {
      return new DestructionRegister.Item(
          id, plannedKey, DestructionRegister.Outcome.FAILED, null, e.getMessage());
    }
    decided.add(d);
    if (!d.disposable()) {
      return kept(id, plannedKey, "no longer disposable at " + now + ": " + whyKept(d));
    }
    if (r.objectKey().isEmpty()) {
      return new DestructionRegister.Item(
          id, plannedKey, DestructionRegister.Outcome.FAILED, null, "the facts give no object key");
    }
    String keyText = r.objectKey().get();
    if (!plannedKey.isEmpty() && !plannedKey.equals(keyText)) {
      return kept(id, keyText, "its object key changed since the plan (" + plannedKey + ")");
    }
    if (keptForGood(keyText)) {
      return kept(
          id,
          keyText,
          "the facts name a record kept for good (a seal, the ledger's or disposition's), never"
              + " disposed of (R-16)");
    }
    ObjectKey key = ObjectKey.of(keyText);
    String seal = r.sealRoot().orElse(null);
    boolean intended =
        !states.isEmpty()
            && states.get(states.size() - 1).state() == Tombstone.State.INTENDED
            && states.get(states.size() - 1).planDigest().equals(planDigest);
    if (!store.exists(key)) {
      if (intended) {
        // the intent was recorded, then the run stopped after the delete: complete the record
        Tombstone last = states.get(states.size() - 1);
        String sha = last.contentSha256().orElse(null);
        state(
            store,
            ledger,
            id,
            keyText,
            Tombstone.State.DISPOSED,
            now,
            sha,
            seal,
            "completed after an interrupted run: the object was gone after the intent was recorded");
        return new DestructionRegister.Item(
            id, keyText, DestructionRegister.Outcome.DISPOSED, sha, "completed after interruption");
      }
      state(
          store,
          ledger,
          id,
          keyText,
          Tombstone.State.MISSING,
          now,
          null,
          seal,
          "the object was already gone");
      return new DestructionRegister.Item(
          id, keyText, DestructionRegister.Outcome.MISSING, null, "the object was already gone");
    }
    // The seal is what shows later what was destroyed and that it was what had been sealed: it is
    // locked for good before the content goes, also if an older build or a stopped writer left it
    // unlocked. No lock, no disposal.
    ObjectKey sealKey = ObjectKey.of(keyText + EvidenceArchive.SEAL_SUFFIX);
    try {
      if (store.exists(sealKey)) {
        PermanentRecords.lock(store, sealKey);
      }
    } catch (IOException e) {
      return new DestructionRegister.Item(
          id,
          keyText,
          DestructionRegister.Outcome.FAILED,
          null,
          "its seal "
              + sealKey.value()
              + " could not be kept for good, so the content stays: "
              + e.getMessage());
    }
    String sha = StoredObjects.sha256(store, key);
    state(store, ledger, id, keyText, Tombstone.State.INTENDED, now, sha, seal, "");
    boolean lifted = false;
    try {
      if (store.capabilities().contains(Capability.LEGAL_HOLD) && store.stat(key).legalHold()) {
        store.setLegalHold(key, false);
        lifted = true;
      }
      store.delete(key);
    } catch (RetentionLockedException e) {
      if (lifted) {
        store.setLegalHold(key, true);
      }
      state(
          store,
          ledger,
          id,
          keyText,
          Tombstone.State.REFUSED,
          now,
          sha,
          seal,
          "the store refused: " + e.getMessage());
      return new DestructionRegister.Item(
          id,
          keyText,
          DestructionRegister.Outcome.REFUSED,
          sha,
          "the store refused: " + e.getMessage());
    } catch (IOException e) {
      if (store.exists(key)) {
        state(
            store,
            ledger,
            id,
            keyText,
            Tombstone.State.REFUSED,
            now,
            sha,
            seal,
            "the delete failed: " + e.getMessage());
        return new DestructionRegister.Item(
            id,
            keyText,
            DestructionRegister.Outcome.FAILED,
            sha,
            "the delete failed: " + e.getMessage());
      }
    }
    state(store, ledger, id, keyText, Tombstone.State.DISPOSED, now, sha, seal, "");
    return new DestructionRegister.Item(id, keyText, DestructionRegister.Outcome.DISPOSED, sha, "");
  }

  /**
   * Why a decision keeps the recording, in a form the register's reader can act on: until when, by
   * which holds, or which open events (the status alone said "RETAINED" and nothing more).
   */
  private static String whyKept(RetentionDecision d) {
    switch (d.status()) {
      case HELD:
        return "HELD by "
            + d.holdsInForce().stream()
                .map(h -> h.id() + " (" + h.kind() + ", " + h.reason() + ", by " + h.by() + ")")
                .collect(Collectors.joining(", "));
      case OPEN:
        return "OPEN: " + String.join("; ", d.openEvents());
      case RETAINED:
        return "RETAINED until " + d.retainUntil().map(Instant::toString).orElse("?");
      default:
        return d.status().toString();
    }
  }

  /** A key under which the library keeps a record for good rather than a recording's content. */
  static boolean keptForGood(String key) {
    return key.endsWith(EvidenceArchive.SEAL_SUFFIX)
        || key.startsWith("ledger/")
        || key.startsWith(Tombstone.PREFIX)
        || key.startsWith("disposition/");
  }

  private static DestructionRegister.Item kept(String id, String key, String why) {
    return new DestructionRegister.Item(id, key, DestructionRegister.Outcome.KEPT, null, why);
  }

  private void state(
      EvidenceStore store,
      EvidenceLedger ledger,
      String id,
      String objectKey,
      Tombstone.State state,
      Instant now,
      String sha,
      String sealRoot,
      String reason)
      throws IOException {
    Tombstone t =
        new Tombstone(id, objectKey, state, now, planDigest, executedBy, sha, sealRoot, reason);
    t.store(store);
    ledger.append(entryOf(t));
  }

  /** The ledger entry of a stored state: everything in it comes from the state itself. */
  private static LedgerEntry entryOf(Tombstone t) {
    String type;
    switch (t.state()) {
      case INTENDED:
        type = EntryType.DISPOSAL_INTENDED;
        break;
      case DISPOSED:
        type = EntryType.DISPOSED;
        break;
      case REFUSED:
        type = EntryType.DISPOSAL_REFUSED;
        break;
      default:
        type = EntryType.DISPOSAL_MISSING;
        break;
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("plan", t.planDigest());
    details.put("objectKey", t.objectKey());
    if (!t.reason().isEmpty()) {
      details.put("reason", t.reason());
    }
    LedgerEntry.Builder entry =
        LedgerEntry.builder()
            .type(type)
            .time(t.at())
            .actor(t.executedBy())
            .subject(t.recordingId())
            .details(details);
    t.contentSha256().ifPresent(entry::payloadDigest);
    return entry.build();
  }

  private DestructionRegister register(
      EvidenceStore store,
      EvidenceLedger ledger,
      Disposition.StoredPlan plan,
      List<String> approvers,
      Instant now,
      List<DestructionRegister.Item> items,
      Set<String> logged)
      throws IOException {
    // registers of earlier runs whose writer stopped between commit and lock are completed
    ObjectInfo last = null;
    for (ObjectInfo info :
        StoredObjects.list(
            store,
            DestructionRegister.PREFIX + planDigest + "/",
            DestructionRegister.MAX_REGISTERS,
            DestructionRegister.WHAT)) {
      StoredObjects.keepIfLoose(store, info);
      if (last == null || info.key().value().compareTo(last.key().value()) > 0) {
        last = info;
      }
    }
    // A run stops between its register and that register's entry only at its very end, so only
    // the latest register can lack its entry: every run completes the one before it.
    if (last != null) {
      DestructionRegister earlier =
          DestructionRegister.parse(StoredObjects.read(store, last.key()));
      if (logged.add(
          logKey(EntryType.DESTRUCTION_REGISTERED, "plan:" + planDigest, null, earlier.digest()))) {
        ledger.append(registeredEntry(earlier));
      }
    }
    for (int attempt = 0; ; attempt++) {
      long batch =
          StoredObjects.next(
              store,
              DestructionRegister.PREFIX + planDigest + "/",
              DestructionRegister.MAX_REGISTERS,
              DestructionRegister.WHAT);
      DestructionRegister reg =
          DestructionRegister.sign(
              planDigest, batch, plan.plannedBy(), approvers, executedBy, now, items, signer);
      ObjectKey key =
          ObjectKey.of(
              DestructionRegister.PREFIX + planDigest + "/" + StoredObjects.seq(batch) + ".json");
      try {
        StoredObjects.createPermanent(store, key, reg.toJson());
      } catch (ObjectExistsException e) {
        StoredObjects.keep(store, key); // its writer may have stopped before its lock
        if (attempt < 3) {
          continue; // another execution took this batch number
        }
        throw e;
      }
      ledger.append(registeredEntry(reg));
      return reg;
    }
  }

  /** The ledger entry of a stored register: everything in it comes from the register itself. */
  private static LedgerEntry registeredEntry(DestructionRegister reg) {
    return LedgerEntry.builder()
        .type(EntryType.DESTRUCTION_REGISTERED)
        .time(reg.executedAt())
        .actor(reg.executedBy())
        .subject("plan:" + reg.planDigest())
        .payloadDigest(reg.digest())
        .details(
            Map.of(
                "batch",
                String.valueOf(reg.batch()),
                "disposed",
                String.valueOf(reg.items(DestructionRegister.Outcome.DISPOSED).size()),
                "keyId",
                reg.keyId()))
        .build();
  }

  /** Each setting once; {@code build()} names what is missing. */
  public static final class Builder {
    private String planDigest;
    private RetentionPolicy policy;
    private RetentionFacts facts;
    private TrustAnchors approverKeys;
    private SigningKeyProvider signer;
    private String executedBy;

    private Builder() {}

    private static <T> T once(T current, T value, String name) {
      requireNonNull(value, name);
      if (current != null) {
        throw new IllegalStateException(name + " is already set");
      }
      return value;
    }

    public Builder planDigest(String v) {
      planDigest = once(planDigest, v, "planDigest");
      if (!v.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("a plan digest is 64 lowercase hex digits");
      }
      return this;
    }

    /** The policy in force at execution. */
    public Builder policy(RetentionPolicy v) {
      policy = once(policy, v, "policy");
      return this;
    }

    /** The facts as they are at execution (a hold placed since the plan keeps its recording). */
    public Builder facts(RetentionFacts v) {
      facts = once(facts, v, "facts");
      return this;
    }

    /** The keys approvers may sign with. */
    public Builder approverKeys(TrustAnchors v) {
      approverKeys = once(approverKeys, v, "approverKeys");
      return this;
    }

    /** The executor's key, which signs the destruction register. */
    public Builder signer(SigningKeyProvider v) {
      signer = once(signer, v, "signer");
      return this;
    }

    /** Who executes (named in tombstones, ledger entries and the register). */
    public Builder executedBy(String v) {
      executedBy = once(executedBy, v, "executedBy");
      if (v.isBlank()) {
        throw new IllegalArgumentException("an execution names who executes it");
      }
      return this;
    }

    public DispositionExecution build() {
      for (Object[] f :
          new Object[][] {
            {"planDigest", planDigest},
            {"policy", policy},
            {"facts", facts},
            {"approverKeys", approverKeys},
            {"signer", signer},
            {"executedBy", executedBy}
          }) {
        if (f[1] == null) {
          throw new IllegalStateException("the execution needs " + f[0]);
        }
      }
      return new DispositionExecution(this);
    }
  }
}
