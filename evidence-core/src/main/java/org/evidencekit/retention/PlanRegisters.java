package org.evidencekit.retention;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * A plan's destruction registers as one execution sees them: which of them the ledger
 * vouches for and what those list as destroyed, a stopped run's register logged if the ledger
 * vouches for it, and the execution's own register, logged so that the plan's logged registers list
 * each destruction once even while another execution of the plan is under way. Every register entry
 * is appended right after the entries the execution has read ({@link DisposalLog#appendAtTheEnd}),
 * so two executions never log one register twice.
 */
final class PlanRegisters {
  private final String planDigest;
  private final SigningKeyProvider signer;

  /** Recordings the plan's logged registers list as destroyed. */
  private final Set<String> listed = new HashSet<>();

  /** How many registers' (and approvals') entries had been read when {@link #listed} was made. */
  private int registersKnown;

  private PlanRegisters(String planDigest, SigningKeyProvider signer) {
    this.planDigest = planDigest;
    this.signer = signer;
  }

  /**
   * What the plan's registers hold: the recordings its logged registers list as destroyed, after
   * logging each register a stopped run stored without its entry, if the ledger vouches for it:
   * signed by a trusted executor key (this execution's own, or one of {@link
   * DispositionExecution.Builder#executorKeys}), and every recording it lists as destroyed, refused
   * or missing has this plan's logged {@code disposed}, {@code disposal-refused} or {@code
   * disposal-missing} entry of the same object and content (one already disposed: a logged {@code
   * disposed} entry of any plan). A register that does not is left unlogged and lists nothing here:
   * any store writer can plant one. Every object under the plan's registers is locked
   * first, whatever its writer left between commit and lock.
   */
  static PlanRegisters read(
      EvidenceStore store,
      EvidenceLedger ledger,
      DisposalLog logged,
      String planDigest,
      SigningKeyProvider signer,
      TrustAnchors executorKeys,
      Instant now)
      throws IOException {
    PlanRegisters out = new PlanRegisters(planDigest, signer);
    Set<String> registered = out.listed;
    List<ObjectKey> found = new ArrayList<>();
    // only registers a trusted key signed are kept for the checks below, not everything planted
    List<DestructionRegister> unlogged = new ArrayList<>();
    TrustAnchors own = TrustAnchors.ofPublicKeys(List.of(signer.publicKeyDer()));
    DestructionRegister.scan(
        store,
        planDigest,
        f -> {
          found.add(f.key());
          f.register()
              .ifPresent(
                  r -> {
                    if (logged.keys.contains(DisposalLog.registerLogKey(r))) {
                      r.items(DestructionRegister.Outcome.DISPOSED)
                          .forEach(i -> registered.add(i.recordingId()));
                    } else if (r.verify(own) || (executorKeys != null && r.verify(executorKeys))) {
                      unlogged.add(r);
                    }
                  });
        });
    for (ObjectKey k : found) {
      StoredObjects.keepIfLoose(store, k);
    }
    if (!unlogged.isEmpty()) {
      logged.catchUp(ledger); // another run of the plan under way may have logged it meanwhile
    }
    unlogged.sort((a, b) -> Long.compare(a.batch(), b.batch()));
    List<DestructionRegister> toLog = new ArrayList<>();
    for (DestructionRegister r : unlogged) {
      if (logged.keys.contains(DisposalLog.registerLogKey(r))) {
        r.items(DestructionRegister.Outcome.DISPOSED).forEach(i -> registered.add(i.recordingId()));
      } else {
        toLog.add(r);
      }
    }
    for (DestructionRegister r : toLog) {
      out.logStopped(ledger, logged, r, now);
    }
    out.registersKnown = logged.keys.size(); // a register logged by another run from now on counts
    return out;
  }

  /**
   * Logs a stopped run's register once, if every outcome it states is logged, it lists as destroyed
   * nothing a logged register lists (the plan's logged registers list each recording it destroyed
   * once, so one listing again what one of them lists is no stopped run's, R-18), and it is dated
   * no later than {@code now} (a stopped run stored it before this run read the time; logged, one
   * dated ahead would date a ledger entry ahead, which the ledger-anchored clock then takes as the
   * earliest time it accepts). Two executions logging it at the same time append one entry between
   * them.
   */
  private void logStopped(
      EvidenceLedger ledger, DisposalLog logged, DestructionRegister r, Instant now)
      throws IOException {
    if (r.executedAt().isAfter(now)) {
      return;
    }
    for (int attempt = 0; attempt < DisposalLog.MAX_ATTEMPTS; attempt++) {
      logged.catchUp(ledger);
      if (!logged.keys.contains(DisposalLog.registerLogKey(r))) {
        if (!listsOnlyLoggedOutcomes(r, logged)
            || r.items(DestructionRegister.Outcome.DISPOSED).stream()
                .anyMatch(i -> listed.contains(i.recordingId()))) {
          return;
        }
        if (!logged.appendAtTheEnd(ledger, registeredEntry(r))) {
          continue;
        }
        logged.keys.add(DisposalLog.registerLogKey(r));
      }
      r.items(DestructionRegister.Outcome.DISPOSED).forEach(i -> listed.add(i.recordingId()));
      return;
    }
    throw overtaken();
  }

  /** Whether a logged register of the plan lists the recording as destroyed. */
  boolean listsAsDestroyed(String recordingId) {
    return listed.contains(recordingId);
  }

  /**
   * Whether every outcome the register states of a recording (destroyed, already destroyed,
   * refused, missing) is in the ledger as the matching entry, of this plan except for an earlier
   * disposal.
   */
  private boolean listsOnlyLoggedOutcomes(DestructionRegister r, DisposalLog logged) {
    for (DestructionRegister.Item i : r.items()) {
      String type;
      switch (i.outcome()) {
        case DISPOSED:
        case ALREADY_DISPOSED:
          type = EntryType.DISPOSED;
          break;
        case REFUSED:
          type = EntryType.DISPOSAL_REFUSED;
          break;
        case MISSING:
          type = EntryType.DISPOSAL_MISSING;
          break;
        default:
          continue; // excluded, kept or failed: nothing was done to the object
      }
      // already disposed: under any plan; otherwise this run's plan
      boolean anyPlan = i.outcome() == DestructionRegister.Outcome.ALREADY_DISPOSED;
      boolean entry = false;
      for (LedgerEntry e : logged.of(i.recordingId())) {
        entry |=
            e.type().equals(type)
                && (anyPlan || planDigest.equals(e.details().get("plan")))
                && i.objectKey().equals(e.details().get("objectKey"))
                && i.contentSha256().equals(e.payloadDigest());
      }
      if (!entry) {
        return false;
      }
    }
    return true;
  }

  /**
   * Signs, stores and logs this execution's register. It is logged right after every entry the run
   * has read, once no register logged by then lists as destroyed a recording this one does: another
   * run of the plan under way (one that began after this run's disposals were logged and found them
   * listed by no register, as after a stopped run) may have listed them first. Those items then say
   * so as {@code ALREADY_DISPOSED}, so the plan's logged registers list each destruction once
   * (R-16).
   */
  DestructionRegister logOwn(
      EvidenceStore store,
      EvidenceLedger ledger,
      DisposalLog logged,
      String plannedBy,
      List<String> approvers,
      String executedBy,
      Instant now,
      List<DestructionRegister.Item> items)
      throws IOException {
    int registersRead = registersKnown;
    DestructionRegister reg = null;
    for (int attempt = 0; attempt < DisposalLog.MAX_ATTEMPTS; attempt++) {
      logged.catchUp(ledger);
      if (reg != null && logged.keys.contains(DisposalLog.registerLogKey(reg))) {
        // stored, then logged by another run of the plan that took it for a stopped run's (a
        // retried job with this key): it is this run's register, logged once
        return reg;
      }
      if (logged.keys.size() != registersRead) {
        registersRead = logged.keys.size();
        List<DestructionRegister.Item> listed = listedElsewhere(store, logged, items);
        if (listed != items) {
          items = listed;
          reg = null; // stored, if it was, before the other register was logged: left unlogged
        }
      }
      if (reg == null) {
        reg = store(store, plannedBy, approvers, executedBy, now, items);
      }
      if (logged.appendAtTheEnd(ledger, registeredEntry(reg))) {
        logged.keys.add(DisposalLog.registerLogKey(reg));
        return reg;
      }
    }
    throw overtaken();
  }

  private IOException overtaken() {
    return new IOException(
        "could not log a destruction register of plan "
            + planDigest
            + " after "
            + DisposalLog.MAX_ATTEMPTS
            + " attempts against other writers; the next run logs it");
  }

  /**
   * The items, with each recording this run lists as destroyed that a logged register of the plan
   * lists so already turned into {@code ALREADY_DISPOSED}; the same list if there is none.
   */
  private List<DestructionRegister.Item> listedElsewhere(
      EvidenceStore store, DisposalLog logged, List<DestructionRegister.Item> items)
      throws IOException {
    Map<String, Long> listed = new HashMap<>();
    DestructionRegister.scan(
        store,
        planDigest,
        f ->
            f.register()
                .filter(r -> logged.keys.contains(DisposalLog.registerLogKey(r)))
                .ifPresent(
                    r ->
                        r.items(DestructionRegister.Outcome.DISPOSED)
                            .forEach(i -> listed.putIfAbsent(i.recordingId(), r.batch()))));
    List<DestructionRegister.Item> out = new ArrayList<>();
    boolean changed = false;
    for (DestructionRegister.Item i : items) {
      Long batch = listed.get(i.recordingId());
      if (i.outcome() == DestructionRegister.Outcome.DISPOSED && batch != null) {
        changed = true;
        String why = i.reason().isEmpty() ? "disposed of by this run" : i.reason();
        out.add(
            new DestructionRegister.Item(
                i.recordingId(),
                i.objectKey(),
                DestructionRegister.Outcome.ALREADY_DISPOSED,
                i.contentSha256().orElse(null),
                why
                    + "; register "
                    + batch
                    + " of this plan lists it, logged by another run at the same time"));
      } else {
        out.add(i);
      }
    }
    return changed ? out : items;
  }

  /** Signs the register and stores it under the next free batch number. */
  private DestructionRegister store(
      EvidenceStore store,
      String plannedBy,
      List<String> approvers,
      String executedBy,
      Instant now,
      List<DestructionRegister.Item> items)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      String prefix = DestructionRegister.PREFIX + planDigest + "/";
      long batch =
          StoredObjects.nextFree(
              store, prefix, DestructionRegister.MAX_REGISTERS, DestructionRegister.WHAT);
      DestructionRegister reg =
          DestructionRegister.sign(
              planDigest, batch, plannedBy, approvers, executedBy, now, items, signer);
      ObjectKey key = ObjectKey.of(prefix + StoredObjects.seq(batch) + ".json");
      try {
        StoredObjects.createPermanent(store, key, reg.toJson());
        return reg;
      } catch (ObjectExistsException e) {
        StoredObjects.keep(store, key); // its writer may have stopped before its lock
        if (attempt >= 3) {
          throw e;
        }
        // another execution took this batch number
      }
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
}
