package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;
import static org.evidencekit.retention.Tombstone.State.DISPOSED;
import static org.evidencekit.retention.Tombstone.State.INTENDED;
import static org.evidencekit.retention.Tombstone.State.MISSING;
import static org.evidencekit.retention.Tombstone.State.REFUSED;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.evidencekit.storage.NoSuchObjectException;
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
 * <p>A run that stopped between a record and its entry is completed by the next, but only as far as
 * the ledger vouches for it: anyone who can write to the store can plant a tombstone or a register,
 * and the ledger is what the record sheet and the history trust. A tombstone's state
 * is logged only if it follows from the ledger's own entries ({@code disposed} after the logged
 * {@code intended} entry of its plan, object and content that no logged outcome follows yet, and
 * the object gone); a register only if it is signed by the executor's key or one of {@link
 * Builder#executorKeys} and every outcome it states of a recording (destroyed, already destroyed,
 * refused, missing) has its logged entry. Anything else is left in the store, unlogged, and the run
 * decides that recording afresh: an unlogged {@code refused} state too, since an object still there
 * is also what a run stopped before its delete leaves, and a state carries no signature.
 *
 * <p>Two executions of one plan may run at the same time. Each state and register entry is appended
 * right after every entry the execution has read ({@link DisposalLog}), once it has judged on them
 * whether another execution has logged the recording's disposal meanwhile; if so it reports that
 * disposal ({@code ALREADY_DISPOSED}) instead of logging its own, so each recording has one {@code
 * disposed} entry and is listed as destroyed by one logged register ({@link PlanRegisters}).
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
  private final TrustAnchors executorKeys;
  private final SigningKeyProvider signer;
  private final String executedBy;

  private DispositionExecution(Builder b) {
    this.planDigest = b.planDigest;
    this.policy = b.policy;
    this.facts = b.facts;
    this.approverKeys = b.approverKeys;
    this.executorKeys = b.executorKeys;
    this.signer = b.signer;
    this.executedBy = b.executedBy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the execution. The trusted clock is read once the plan and the approvals that verify (two,
   * from different people with different keys, neither the planner, unexpired by the clock's {@link
   * TrustedClock#reading()}) have been checked, so a run refused for those vouches for no time and
   * a clock vouched for on its behalf records nothing.
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
    Disposition.StoredPlan plan = Disposition.readPlan(store, planDigest);
    Disposition.requirePlannedHere(ledger, planDigest);
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
    // what can be refused without the trusted time is refused before that is read, so that a clock
    // vouched for on this run's behalf is recorded only for a run that goes ahead: approvals
    // expired (or dated ahead) by the clock's reading, which vouches for nothing, are refused too
    validApprovals(store, plan, clock.reading());
    // a run whose register could not be written must not delete anything: refuse it now
    StoredObjects.next(
        store,
        DestructionRegister.PREFIX + planDigest + "/",
        DestructionRegister.MAX_REGISTERS,
        DestructionRegister.WHAT);
    Instant now = clock.now();
    List<DispositionApproval> valid = validApprovals(store, plan, now);
    Map<String, String> excluded = new TreeMap<>();
    List<String> approvers = new ArrayList<>();
    for (DispositionApproval a : valid) {
      a.exclusions().forEach(excluded::putIfAbsent);
      approvers.add(a.approver() + " (" + a.keyId() + ")");
    }
    RetentionHistory history = RetentionHistory.read(ledger);
    long scanned = ledger.size();
    DisposalLog logged = DisposalLog.read(ledger, scanned);
    // An approval stored by a call that stopped before its entry counts here (it verifies): log it
    // before anything is deleted, so the ledger names every approver this execution counted (the
    // record sheet's approvers are the ledger's, R-16, R-18), once however many log it at once.
    for (DispositionApproval a : valid) {
      if (logged.keys.add(DisposalLog.approvalLogKey(a.planDigest(), a.digest()))) {
        Disposition.logOnce(ledger, a, scanned);
      }
    }
    List<RetentionDecision> decided = new ArrayList<>();
    // What the plan's logged registers already list as destroyed: a run that stopped after its
    // deletes and before its register left disposals no register lists, and this run's register
    // lists them.
    PlanRegisters registers =
        PlanRegisters.read(store, ledger, logged, planDigest, signer, executorKeys, now);
    List<DestructionRegister.Item> items = new ArrayList<>();
    for (Disposition.StoredPlan.Item item : plan.disposable()) {
      items.add(one(store, ledger, item, excluded, history, logged, registers, now, decided));
    }
    history.recordAll(ledger, executedBy, decided);
    return registers.logOwn(
        store, ledger, logged, plan.plannedBy(), approvers, executedBy, now, items);
  }

  /**
   * The stored states of one recording that the ledger vouches for, in the ledger's order: those it
   * logged (a state counts only if it is exactly a logged entry's record, and once, in that entry's
   * place), and a {@code disposed} state a stopped run left unlogged that follows from what it
   * logged, logged now from the state itself. A state is stored before its entry is appended, and
   * an object is deleted only after its {@code intended} entry, so:
   *
   * <ul>
   *   <li>an {@code intended} state the ledger lacks was followed by no delete: it stays unlogged,
   *       and this run decides the recording afresh;
   *   <li>a {@code disposed} state the ledger lacks is logged only if it follows its plan's logged
   *       {@code intended} entry of the same object and content that no logged outcome of that plan
   *       follows yet (an intent has one outcome), and the store agrees (the object is gone);
   *   <li>a {@code refused} state the ledger lacks stays unlogged: the store still holding the
   *       object is also what a run stopped between its intent and its delete leaves, and a state
   *       carries no signature, so a refusal planted there would be logged in the executor's name.
   *       The object is still there: this run asks the store itself;
   *   <li>a {@code missing} state the ledger lacks stays unlogged: this run looks for the object
   *       itself.
   * </ul>
   *
   * Any other state was not written by a run of an approved plan. Any store writer can plant one,
   * or a copy of a logged one listed where it likes, and a planted {@code disposed} state logged
   * unchecked would put into the ledger a disposal nobody approved or did, covering a delete done
   * some other way.
   */
  private List<Tombstone> vouched(
      EvidenceStore store,
      EvidenceLedger ledger,
      List<Tombstone> states,
      DisposalLog logged,
      Instant now)
      throws IOException {
    for (Tombstone t : states) {
      if (!logged.of(t.recordingId()).contains(entryOf(t))) {
        // stored since this run read the ledger by another execution under way, or left
        // unlogged: what the ledger holds now decides
        logged.catchUp(ledger);
        break;
      }
    }
    TreeMap<Integer, Tombstone> inLedgerOrder = new TreeMap<>();
    for (Tombstone t : states) {
      int at = logged.of(t.recordingId()).indexOf(entryOf(t));
      if (at < 0 && t.state() == Tombstone.State.DISPOSED) {
        at = logStoppedDisposal(store, ledger, t, logged, now);
      }
      if (at >= 0) {
        inLedgerOrder.putIfAbsent(at, t);
      }
    }
    return new ArrayList<>(inLedgerOrder.values());
  }

  /**
   * Logs a stopped run's unlogged {@code disposed} state if it follows from the ledger, once: two
   * executions completing it at the same time append one entry between them, judged on the whole
   * log before it. Returns its entry's place in the recording's log, or -1 if it is not logged.
   */
  private static int logStoppedDisposal(
      EvidenceStore store, EvidenceLedger ledger, Tombstone t, DisposalLog logged, Instant now)
      throws IOException {
    LedgerEntry e = entryOf(t);
    List<LedgerEntry> log = logged.of(t.recordingId());
    for (int attempt = 0; attempt < DisposalLog.MAX_ATTEMPTS; attempt++) {
      logged.catchUp(ledger);
      int at = log.indexOf(e);
      if (at >= 0) {
        return at; // another execution logged it meanwhile
      }
      if (!followsFromTheLedger(store, t, log, now)) {
        return -1;
      }
      if (logged.appendAtTheEnd(ledger, e)) {
        return log.size() - 1;
      }
    }
    throw DisposalLog.overtaken(t.recordingId());
  }

  /**
   * Whether an unlogged {@code disposed} state is the one outcome of its plan's logged intent, as
   * the store agrees. A stopped run stored it before this run read the time: one dated after {@code
   * now} is no run's, and logged it would date a ledger entry ahead, which the ledger-anchored
   * clock then takes as the earliest time it accepts.
   */
  private static boolean followsFromTheLedger(
      EvidenceStore store, Tombstone t, List<LedgerEntry> log, Instant now) throws IOException {
    if (t.state() != Tombstone.State.DISPOSED
        || t.contentSha256().isEmpty()
        || t.at().isAfter(now)) {
      return false;
    }
    boolean open = false; // the latest logged intent of the object and content, with no outcome
    for (LedgerEntry e : log) {
      if (!t.planDigest().equals(e.details().get("plan"))) {
        continue;
      }
      if (e.type().equals(EntryType.DISPOSAL_INTENDED)) {
        // the stopped run's own state: its executor, who logged the intent, and no words of
        // anyone else's (a run states no reason for its own disposal); else the ledger would name
        // whoever the state's writer chose as having destroyed the recording
        open =
            open
                || (t.objectKey().equals(e.details().get("objectKey"))
                    && e.payloadDigest().equals(t.contentSha256())
                    && !t.at().isBefore(e.time())
                    && t.executedBy().equals(e.actor())
                    && t.reason().isEmpty());
      } else {
        open = false; // its outcome is logged: the intent vouches for no other
      }
    }
    // the key is the one an execution itself logged with the intent, so it is a valid one
    return open && !store.exists(ObjectKey.of(t.objectKey()));
  }

  /**
   * The plan's valid approvals, refused if fewer than needed, as of {@code now}: first the clock's
   * reading (refusals only: it vouches for nothing), then the trusted time.
   */
  private List<DispositionApproval> validApprovals(
      EvidenceStore store, Disposition.StoredPlan plan, Instant now)
      throws IOException, DispositionRefusedException {
    List<DispositionApproval> valid = new ArrayList<>();
    Set<String> people = new HashSet<>();
    Set<String> keys = new HashSet<>();
    List<String> why = new ArrayList<>();
    for (DispositionApproval a : Disposition.readableApprovals(store, plan.digest())) {
      if (!a.planDigest().equals(plan.digest())) {
        why.add(a.approver() + ": approves another plan");
      } else if (!a.verify(approverKeys)) {
        why.add(a.approver() + ": signature does not verify with a trusted approver key");
      } else if (Disposition.samePerson(a.approver(), plan.plannedBy())) {
        why.add(a.approver() + ": is the planner");
      } else if (now != null && !now.isBefore(a.expiresAt())) {
        why.add(a.approver() + ": expired at " + a.expiresAt());
      } else if (now != null && a.approvedAt().isAfter(now)) {
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
      DisposalLog logged,
      PlanRegisters registers,
      Instant now,
      List<RetentionDecision> decided)
      throws IOException {
    String id = item.recordingId();
    String plannedKey = item.objectKey().orElse("");
    if (excluded.containsKey(id)) {
      return new DestructionRegister.Item(
          id, plannedKey, DestructionRegister.Outcome.EXCLUDED, null, excluded.get(id));
    }
    List<Tombstone> stored;
    try {
      stored = Tombstone.readable(store, id);
    } catch (RetentionFormatException e) {
      // more objects in its folder than states can be (planted): this recording stays, the run
      // goes on, and the register says why
      return failed(
          id, plannedKey, "its tombstones cannot be read, so it is kept: " + e.getMessage());
    }
    List<Tombstone> states = vouched(store, ledger, stored, logged, now);
    for (Tombstone t : states) {
      if (t.state() == Tombstone.State.DISPOSED
          && t.planDigest().equals(planDigest)
          && logged.byOthers.contains(entryOf(t))) {
        // logged since this run began, by another run of the plan under way: its register lists
        // it (or, if it stops first, the next run's does)
        return disposedElsewhere(entryOf(t), logged);
      }
      if (t.state() == Tombstone.State.DISPOSED
          && t.planDigest().equals(planDigest)
          && !registers.listsAsDestroyed(id)) {
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
    // A run that stopped after its delete, before its disposed state, left the intent as the
    // recording's latest logged state and the object gone. Whatever is decided of the recording
    // now (held since, no longer in the facts or no longer disposable) keeps nothing: the
    // disposal is completed, else it is never logged and the ledger shows as kept a recording
    // that is destroyed.
    Optional<LedgerEntry> open = logged.latest(id);
    if (open.isPresent()
        && open.get().type().equals(EntryType.DISPOSAL_INTENDED)
        && ObjectKey.isValid(open.get().details().getOrDefault("objectKey", ""))
        && !store.exists(ObjectKey.of(open.get().details().get("objectKey")))) {
      return gone(
          store,
          ledger,
          logged,
          id,
          open.get().details().get("objectKey"),
          r == null ? null : r.sealRoot().orElse(null),
          now);
    }
    if (r == null) {
      return kept(id, plannedKey, "no longer in the facts");
    }
    RetentionDecision d;
    try {
      d = RetentionEngine.decide(policy, facts, history, id, now);
    } catch (IllegalArgumentException e) {
      return failed(id, plannedKey, e.getMessage());
    }
    decided.add(d);
    if (!d.disposable()) {
      return kept(id, plannedKey, "no longer disposable at " + now + ": " + whyKept(d));
    }
    if (r.objectKey().isEmpty()) {
      return failed(id, plannedKey, "the facts give no object key");
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
    if (!store.exists(key)) {
      return gone(store, ledger, logged, id, keyText, seal, now);
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
      return failed(
          id,
          keyText,
          "its seal "
              + sealKey.value()
              + " could not be kept for good, so the content stays: "
              + e.getMessage());
    }
    String sha;
    try {
      sha = org.evidencekit.internal.io.ChannelIo.sha256(store, key);
    } catch (NoSuchObjectException goneMeanwhile) {
      // deleted since it was found there, by another execution under way or some other way
      return gone(store, ledger, logged, id, keyText, seal, now);
    }
    // The intent and the outcome are each stored before their entry: with no room for both under
    // the recording's tombstones (objects planted there take places too), the outcome could not
    // be recorded after the delete, and the recording would be destroyed with no disposed entry,
    // the run stopping there, run after run. No room, no delete.
    int room = Tombstone.room(store, id);
    if (room < 2) {
      return failed(
          id,
          keyText,
          "its tombstones have no room for the intent and the outcome of a disposal ("
              + (Tombstone.MAX_STATES - room)
              + " objects of at most "
              + Tombstone.MAX_STATES
              + " under its folder), so it is kept");
    }
    // another execution that disposed of it since this one looked: nothing is deleted, nor logged
    Optional<LedgerEntry> before =
        unlessDisposed(store, ledger, logged, state(id, keyText, INTENDED, now, sha, seal, ""));
    if (before.isPresent()) {
      return disposedElsewhere(before.get(), logged);
    }
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
      String why = "the store refused: " + e.getMessage();
      return refused(
          store,
          ledger,
          logged,
          state(id, keyText, REFUSED, now, sha, seal, why),
          DestructionRegister.Outcome.REFUSED);
    } catch (IOException e) {
      if (store.exists(key)) {
        String why = "the delete failed: " + e.getMessage();
        return refused(
            store,
            ledger,
            logged,
            state(id, keyText, REFUSED, now, sha, seal, why),
            DestructionRegister.Outcome.FAILED);
      }
      // gone all the same: deleted by this run, or by another under way at the same time
    }
    // two executions that both deleted it, or one that deleted it and one that completed the
    // other's intent, log one disposal between them: the later one reports the other's
    Optional<LedgerEntry> other =
        unlessDisposed(store, ledger, logged, state(id, keyText, DISPOSED, now, sha, seal, ""));
    if (other.isPresent()) {
      return disposedElsewhere(other.get(), logged);
    }
    return new DestructionRegister.Item(id, keyText, DestructionRegister.Outcome.DISPOSED, sha, "");
  }

  /**
   * Logs this run's refused delete like the other states: right after every entry the run has read,
   * unless a {@code disposed} entry of the recording is among them by then (another run disposed of
   * it while this one's delete failed): then that disposal is reported and no refusal logged, so
   * the ledger never says a recording was refused after it was destroyed. A refusal
   * another run logged meanwhile does not stand in for this one: each run logged its own intent and
   * tried its own delete, and the refusal is that attempt's outcome.
   */
  private DestructionRegister.Item refused(
      EvidenceStore store,
      EvidenceLedger ledger,
      DisposalLog logged,
      Tombstone t,
      DestructionRegister.Outcome outcome)
      throws IOException {
    Optional<LedgerEntry> other = unlessDisposed(store, ledger, logged, t);
    if (other.isPresent()) {
      return disposedElsewhere(other.get(), logged);
    }
    return new DestructionRegister.Item(
        t.recordingId(), t.objectKey(), outcome, t.contentSha256().orElse(null), t.reason());
  }

  /**
   * The object is gone and this run did not delete it. Either an execution deleted it after logging
   * its intent (the intent is logged before the delete, so the ledger read now holds it), and
   * stopped before its {@code disposed} entry or is still under way: the disposal is completed
   * under the intent's plan; or it was deleted some other way: {@code missing}. Judged on the whole
   * log before the entry, so the disposal is logged once even while the other execution completes
   * it itself, and a recording another execution disposed of is never called missing.
   */
  private DestructionRegister.Item gone(
      EvidenceStore store,
      EvidenceLedger ledger,
      DisposalLog logged,
      String id,
      String keyText,
      String seal,
      Instant now)
      throws IOException {
    if (Tombstone.room(store, id) < 1) {
      // objects planted under its tombstones took the last place: its state cannot be stored, so
      // not logged; the run goes on with the others and its register says why
      return failed(
          id,
          keyText,
          "the object is gone, but its tombstones have no room for the state recording that ("
              + Tombstone.MAX_STATES
              + " objects under its folder), so nothing is logged of it");
    }
    Tombstone stored = null;
    for (int attempt = 0; attempt < DisposalLog.MAX_ATTEMPTS; attempt++) {
      logged.catchUp(ledger);
      Optional<LedgerEntry> disposal = logged.disposal(id, keyText);
      if (disposal.isPresent()) {
        return disposedElsewhere(disposal.get(), logged);
      }
      LedgerEntry last = logged.latest(id).orElse(null);
      boolean intended =
          last != null
              && last.type().equals(EntryType.DISPOSAL_INTENDED)
              && keyText.equals(last.details().get("objectKey"));
      Tombstone t;
      DestructionRegister.Item item;
      if (intended) {
        String plan = last.details().get("plan");
        String sha = last.payloadDigest().orElse(null);
        t =
            new Tombstone(
                id,
                keyText,
                DISPOSED,
                now,
                plan,
                executedBy,
                sha,
                seal,
                "completed after an interrupted run: the object was gone after the intent was"
                    + " recorded");
        item =
            plan.equals(planDigest)
                ? new DestructionRegister.Item(
                    id,
                    keyText,
                    DestructionRegister.Outcome.DISPOSED,
                    sha,
                    "completed after interruption")
                // that plan's next run lists it as destroyed
                : new DestructionRegister.Item(
                    id,
                    keyText,
                    DestructionRegister.Outcome.ALREADY_DISPOSED,
                    sha,
                    "disposed under plan "
                        + plan
                        + " by a run stopped after its delete (intended at "
                        + last.time()
                        + ")");
      } else {
        t = state(id, keyText, MISSING, now, null, seal, "the object was already gone");
        item =
            new DestructionRegister.Item(
                id,
                keyText,
                DestructionRegister.Outcome.MISSING,
                null,
                "the object was already gone");
      }
      if (stored == null || !Arrays.equals(stored.toJson(), t.toJson())) {
        t.store(store);
        stored = t;
      }
      if (logged.appendAtTheEnd(ledger, entryOf(t))) {
        return item;
      }
    }
    throw DisposalLog.overtaken(id);
  }

  /**
   * Stores the state and logs it, unless the recording's disposal is logged by then (read just
   * before, with nothing appended between that reading and the entry): then nothing is stored or
   * logged, and that disposal is returned.
   */
  private static Optional<LedgerEntry> unlessDisposed(
      EvidenceStore store, EvidenceLedger ledger, DisposalLog logged, Tombstone t)
      throws IOException {
    boolean stored = false;
    for (int attempt = 0; attempt < DisposalLog.MAX_ATTEMPTS; attempt++) {
      logged.catchUp(ledger);
      Optional<LedgerEntry> disposal = logged.disposal(t.recordingId(), t.objectKey());
      if (disposal.isPresent()) {
        return disposal;
      }
      if (!stored) {
        t.store(store);
        stored = true;
      }
      if (logged.appendAtTheEnd(ledger, entryOf(t))) {
        return Optional.empty();
      }
    }
    throw DisposalLog.overtaken(t.recordingId());
  }

  /**
   * The item of a recording whose disposal is logged: by another execution since this one read the
   * ledger (whoever deleted it: that execution may have logged this one's disposal, or this one
   * another's), or earlier.
   */
  private DestructionRegister.Item disposedElsewhere(LedgerEntry e, DisposalLog logged) {
    String plan = e.details().get("plan");
    String by = "disposed at " + e.time() + " by " + e.actor();
    String why;
    if (!logged.byOthers.contains(e)) {
      why = by + " under plan " + plan;
    } else if (planDigest.equals(plan)) {
      why = by + ", logged by another run of this plan at the same time";
    } else {
      why = by + " under plan " + plan + ", logged by another run at the same time";
    }
    return new DestructionRegister.Item(
        e.subject(),
        e.details().get("objectKey"),
        DestructionRegister.Outcome.ALREADY_DISPOSED,
        e.payloadDigest().orElse(null),
        why);
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

  /** Nothing was deleted: something failed before the delete. */
  private static DestructionRegister.Item failed(String id, String key, String why) {
    return new DestructionRegister.Item(id, key, DestructionRegister.Outcome.FAILED, null, why);
  }

  /** A state of the recording under this execution's plan. */
  private Tombstone state(
      String id,
      String objectKey,
      Tombstone.State state,
      Instant now,
      String sha,
      String sealRoot,
      String reason) {
    return new Tombstone(id, objectKey, state, now, planDigest, executedBy, sha, sealRoot, reason);
  }

  /** The ledger entry of a stored state: everything in it comes from the state itself. */
  static LedgerEntry entryOf(Tombstone t) {
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

  /** Each setting once; {@code build()} names what is missing. */
  public static final class Builder {
    private String planDigest;
    private RetentionPolicy policy;
    private RetentionFacts facts;
    private TrustAnchors approverKeys;
    private TrustAnchors executorKeys;
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

    /**
     * Other executors' keys, whose registers this execution logs if a run of theirs stopped between
     * storing its register and logging it (optional: registers signed by {@link #signer}'s key are
     * always recognised). A register no trusted key signed stays unlogged.
     */
    public Builder executorKeys(TrustAnchors v) {
      executorKeys = once(executorKeys, v, "executorKeys");
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
