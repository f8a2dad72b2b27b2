package org.evidencekit.retention;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;

/**
 * What an execution knows of the ledger's disposition records, and how it appends a recording's
 * disposal states so that each is logged once however many executions run at the same time (R-16,
 *
 *
 * <p>It holds one {@link #logKey} per {@code destruction-registered} and {@code
 * disposition-approved} entry, and each recording's disposal-state entries (every plan's) in the
 * ledger's order, with those this execution appends. A stored state counts only as the entry it
 * matches, in the entry's place: the order and content of stored states are any store writer's to
 * choose.
 *
 * <p>A state is appended only right after every entry this log has read ({@link
 * EvidenceLedger#appendIf} at that position), once what decides it has been judged on all of them:
 * another execution's entry that lands first sends it to read and judge again, so two executions
 * that reach one recording at the same moment cannot both log its disposal.
 */
final class DisposalLog {
  /** Attempts at appending at the log's end while other writers append (each failure is theirs). */
  static final int MAX_ATTEMPTS = 1000;

  final Set<String> keys = new HashSet<>();
  private final Map<String, List<LedgerEntry>> states = new HashMap<>();

  /** State entries another writer appended after this execution first read the ledger. */
  final Set<LedgerEntry> byOthers = new HashSet<>();

  /** The indexes of the state entries this execution appended. */
  private final Set<Long> own = new HashSet<>();

  /** How many of the ledger's entries have been read. */
  private long read;

  private DisposalLog() {}

  /**
   * What the first {@code size} entries of the ledger hold of disposition's own records. Each
   * record is stored before its entry is appended; a run that stopped between the two left a record
   * the ledger lacks, and an execution appends its entry, from the record itself.
   */
  static DisposalLog read(EvidenceLedger ledger, long size) throws IOException {
    DisposalLog out = new DisposalLog();
    ledger.forEachEntry(
        0,
        size,
        (e, i) -> {
          if (e.type().equals(EntryType.DISPOSITION_APPROVED)) {
            if (e.subject().startsWith("plan:") && e.payloadDigest().isPresent()) {
              out.keys.add(approvalLogKey(e.subject().substring(5), e.payloadDigest().get()));
            }
          } else if (isState(e.type())) {
            out.of(e.subject()).add(e);
          } else if (e.type().equals(EntryType.DESTRUCTION_REGISTERED)) {
            out.keys.add(logKey(e.type(), e.subject(), null, e.payloadDigest().orElse(null)));
          }
        });
    out.read = size;
    return out;
  }

  /** The recording's state entries read so far, in the ledger's order (a live list). */
  List<LedgerEntry> of(String recordingId) {
    return states.computeIfAbsent(recordingId, k -> new ArrayList<>());
  }

  /**
   * Reads the entries appended since the last read: the state entries this execution did not append
   * itself (another execution's under way at the same time) and every register's entry.
   */
  void catchUp(EvidenceLedger ledger) throws IOException {
    ledger.refresh();
    long size = ledger.size();
    ledger.forEachEntry(
        read,
        size,
        (e, i) -> {
          if (isState(e.type()) && !own.contains(i)) {
            of(e.subject()).add(e);
            byOthers.add(e);
          } else if (e.type().equals(EntryType.DESTRUCTION_REGISTERED)) {
            keys.add(logKey(e.type(), e.subject(), null, e.payloadDigest().orElse(null)));
          }
        });
    read = Math.max(read, size);
  }

  /**
   * The {@code disposed} entry of the recording's object read so far, if any: the recording is
   * destroyed, by whoever logged it, and no run logs its disposal again.
   */
  Optional<LedgerEntry> disposal(String recordingId, String objectKey) {
    return of(recordingId).stream()
        .filter(
            e ->
                e.type().equals(EntryType.DISPOSED)
                    && objectKey.equals(e.details().get("objectKey")))
        .findFirst();
  }

  /** The recording's latest state entry read so far, of any plan and object. */
  Optional<LedgerEntry> latest(String recordingId) {
    List<LedgerEntry> log = of(recordingId);
    return log.isEmpty() ? Optional.empty() : Optional.of(log.get(log.size() - 1));
  }

  /**
   * Appends an entry right after the entries read so far, if no other writer appended one since:
   * false if one did (read again and judge again).
   */
  boolean appendAtTheEnd(EvidenceLedger ledger, LedgerEntry entry) throws IOException {
    long at = read;
    OptionalLong index = ledger.appendIf(entry, v -> v.size() == at);
    if (index.isEmpty()) {
      return false;
    }
    if (isState(entry.type())) {
      own.add(index.getAsLong());
      of(entry.subject()).add(entry);
    }
    return true;
  }

  /** Gives up appending a state after {@link #MAX_ATTEMPTS} judgements others overtook. */
  static IOException overtaken(String recordingId) {
    return new IOException(
        "could not log the disposal state of "
            + recordingId
            + " after "
            + MAX_ATTEMPTS
            + " attempts against other writers; the next run completes it");
  }

  static boolean isState(String type) {
    return type.equals(EntryType.DISPOSAL_INTENDED)
        || type.equals(EntryType.DISPOSED)
        || type.equals(EntryType.DISPOSAL_REFUSED)
        || type.equals(EntryType.DISPOSAL_MISSING);
  }

  /** The {@link #logKey} of an approval's {@code disposition-approved} entry. */
  static String approvalLogKey(String planDigest, String approvalDigest) {
    return logKey(EntryType.DISPOSITION_APPROVED, "plan:" + planDigest, null, approvalDigest);
  }

  /** The {@link #logKey} of a register's {@code destruction-registered} entry. */
  static String registerLogKey(DestructionRegister r) {
    return logKey(EntryType.DESTRUCTION_REGISTERED, "plan:" + r.planDigest(), null, r.digest());
  }

  private static String logKey(String type, String subject, Instant at, String what) {
    return type + "\n" + subject + "\n" + at + "\n" + what;
  }
}
