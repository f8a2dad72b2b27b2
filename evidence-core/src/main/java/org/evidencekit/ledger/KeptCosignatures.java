package org.evidencekit.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.note.SignedNote;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.trust.TrustAnchors;

/**
 * The witnesses' cosignatures the log keeps with its checkpoints, so that a proof bundle
 * made later carries them. Each is stored as the checkpoint note with that one witness line
 * added, at {@code ledger/cosignatures/{size, 20 digits}/{16 hex digits of
 * SHA-256(name+keyid)}.note}, kept for good like the checkpoint; the first one a witness gives for
 * a checkpoint stays. Nothing here is trusted: a line counts only where a verifier's {@link
 * WitnessPolicy} verifies it, so a forged or damaged object costs a read and proves nothing.
 */
final class KeptCosignatures {
  static final String PREFIX = "ledger/cosignatures/";

  /** The name of every object kept here ({@link #key}); the ledger's check passes over these. */
  static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile(
          java.util.regex.Pattern.quote(PREFIX) + "[0-9]{20}/[0-9a-f]{16}\\.note");

  /** Most objects read for one checkpoint: a note holds no more signature lines than this. */
  static final int MAX_PER_CHECKPOINT = SignedNote.MAX_SIGNATURES;

  /** Most checkpoints tried when looking for the newest cosigned one. */
  static final int MAX_CHECKPOINTS_TRIED = 16;

  private final EvidenceStore store;
  private final PendingLocks toLock;

  KeptCosignatures(EvidenceStore store, PendingLocks toLock) {
    this.store = store;
    this.toLock = toLock;
  }

  private static String folder(long size) {
    return PREFIX + String.format(Locale.ROOT, "%020d", size) + "/";
  }

  private static ObjectKey key(long size, SignedNote.Signature line) {
    return key(size, line.name(), line.keyId());
  }

  private static ObjectKey key(long size, String name, int keyId) {
    byte[] id = (name + "+" + HexFormat.of().toHexDigits(keyId)).getBytes(StandardCharsets.UTF_8);
    return ObjectKey.of(
        folder(size) + HashAlgorithm.SHA256.hash(id).hex().substring(0, 16) + ".note");
  }

  /**
   * Keeps each line of {@code cosigned} that {@code stored} (the log's own checkpoint of that size,
   * the same text) lacks. A witness's line already kept for this checkpoint is left as it is.
   *
   * @return how many lines were kept now
   * @throws LedgerException if a witness's object for this checkpoint exists and holds no line of a
   *     cosignature's form of that witness over this checkpoint's text (planted before the witness
   *     cosigned): that line cannot be kept, the others are
   */
  int keep(LogCheckpoint stored, LogCheckpoint cosigned) throws IOException {
    int kept = 0;
    List<String> taken = new ArrayList<>();
    for (SignedNote.Signature s : cosigned.note().signatures()) {
      if (has(stored, s) || !cosignatureShaped(stored, s)) {
        continue;
      }
      ObjectKey k = key(stored.size(), s);
      try {
        PermanentRecords.put(store, k, stored.with(s).encoded());
        kept++;
      } catch (ObjectExistsException e) {
        // this witness's line for this checkpoint is kept already: the first one stays; but an
        // object planted in its place first would keep the witness's line out for good
        if (!holdsLineOf(k, stored, s)) {
          taken.add(s.name() + " (" + k.value() + ")");
        }
      } catch (RecordNotRetainedException e) {
        toLock.add(e); // stored: it is kept
        kept++;
      }
    }
    if (!taken.isEmpty()) {
      throw new LedgerException(
          "the object kept for the cosignature of checkpoint "
              + stored.size()
              + " by "
              + String.join(", ", taken)
              + " holds no cosignature of that witness over this checkpoint (planted there"
              + " before it cosigned?): that line is not kept and bundles cannot carry it ("
              + kept
              + " other line(s) kept)");
    }
    return kept;
  }

  /** Whether the note at {@code k} is {@code cp}'s text with a line of {@code s}'s witness. */
  private boolean holdsLineOf(ObjectKey k, LogCheckpoint cp, SignedNote.Signature s) {
    Optional<LogCheckpoint> other = sameText(k, cp);
    if (other.isEmpty()) {
      return false;
    }
    for (SignedNote.Signature o : other.get().note().signatures()) {
      if (o.name().equals(s.name()) && o.keyId() == s.keyId() && cosignatureShaped(cp, o)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a line can be a witness's: a C2SP cosignature (8-byte time and a 64-byte Ed25519
   * signature) under a name other than the log's. Anything else is not kept or carried, so a line
   * planted in the folder under the log's own name cannot make the log's signature look broken.
   */
  private static boolean cosignatureShaped(LogCheckpoint cp, SignedNote.Signature s) {
    return !s.name().equals(cp.origin()) && s.value().length == 8 + 64;
  }

  private static boolean has(LogCheckpoint cp, SignedNote.Signature s) {
    for (SignedNote.Signature o : cp.note().signatures()) {
      if (o.name().equals(s.name()) && o.keyId() == s.keyId()) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code cp} with the lines kept for it added: from objects whose note text is exactly {@code
   * cp}'s, each witness (name and key id) once, within the note's bounds ({@link
   * SignedNote#MAX_SIGNATURES}, {@link SignedNote#MAX_BYTES}). An unreadable object adds nothing.
   */
  LogCheckpoint withKept(LogCheckpoint cp) throws IOException {
    if (!cp.isNote()) {
      return cp;
    }
    List<ObjectKey> keys = keys(folder(cp.size()), MAX_PER_CHECKPOINT);
    LogCheckpoint out = cp;
    byte[] text = cp.text();
    for (ObjectKey k : keys) {
      LogCheckpoint other;
      try {
        other = EvidenceLedger.readCheckpoint(store, k);
      } catch (IOException e) {
        continue;
      }
      if (!other.isNote() || !MessageDigest.isEqual(other.text(), text)) {
        continue;
      }
      for (SignedNote.Signature s : other.note().signatures()) {
        if (has(out, s) || !cosignatureShaped(cp, s)) {
          continue;
        }
        if (out.note().signatures().size() == SignedNote.MAX_SIGNATURES
            || out.encoded().length + s.line().length > SignedNote.MAX_BYTES) {
          return out;
        }
        out = out.with(s);
      }
    }
    return out;
  }

  /**
   * The newest stored checkpoint of a size in {@code (after, upTo]} that {@code logKey} signed
   * under {@code origin} and for which lines are kept, with them added; empty if there is none.
   */
  Optional<LogCheckpoint> newestCosigned(
      long after, long upTo, String origin, TrustAnchors logKey, EvidenceLedger ledger)
      throws IOException {
    TreeSet<Long> sizes = sizes(after, upTo);
    int tried = 0;
    for (Long size : sizes.descendingSet()) {
      if (tried++ == MAX_CHECKPOINTS_TRIED) {
        break;
      }
      Optional<LogCheckpoint> stored = checkpointOfThisLog(size, origin, logKey, ledger);
      if (stored.isEmpty()) {
        continue;
      }
      LogCheckpoint withLines = withKept(stored.get());
      if (withLines.note().signatures().size() > stored.get().note().signatures().size()) {
        return Optional.of(withLines);
      }
    }
    return Optional.empty();
  }

  /**
   * The newest stored checkpoint of a size in {@code (after, upTo]} that {@code logKey} signed
   * under {@code origin} and that at least {@code witnesses}' quorum cosigned in the lines kept for
   * it, with their verified lines added and no other; empty if there is none. Each witness's line
   * is read from the object named for that witness ({@link #key}), so objects planted under other
   * names, or lines of other witnesses, cannot crowd it out, and every size is tried: junk kept for
   * newer checkpoints cannot hide a cosigned one.
   */
  Optional<LogCheckpoint> newestCosignedBy(
      long after,
      long upTo,
      String origin,
      TrustAnchors logKey,
      EvidenceLedger ledger,
      WitnessPolicy witnesses)
      throws IOException {
    for (Long size : sizes(after, upTo).descendingSet()) {
      Map<String, ObjectKey> present = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> w : witnesses.keyIds().entrySet()) {
        ObjectKey k = key(size, w.getKey(), w.getValue());
        if (store.exists(k)) {
          present.put(w.getKey(), k);
        }
      }
      if (present.size() < witnesses.quorum()) {
        continue;
      }
      Optional<LogCheckpoint> stored = checkpointOfThisLog(size, origin, logKey, ledger);
      if (stored.isEmpty()) {
        continue;
      }
      // from each witness's object only a line of that witness that verifies: what else it holds
      // (lines of other witnesses planted there) cannot stand in for theirs
      LogCheckpoint out = stored.get();
      int valid = 0;
      for (Map.Entry<String, ObjectKey> w : present.entrySet()) {
        Optional<LogCheckpoint> other = sameText(w.getValue(), stored.get());
        if (other.isEmpty()) {
          continue;
        }
        int keyId = witnesses.keyIds().get(w.getKey());
        for (SignedNote.Signature s : other.get().note().signatures()) {
          if (s.name().equals(w.getKey())
              && s.keyId() == keyId
              && !has(stored.get(), s)
              && witnesses.cosignatures(stored.get().with(s)).containsKey(w.getKey())) {
            out = out.with(s);
            valid++;
            break;
          }
        }
      }
      if (valid >= witnesses.quorum()) {
        return Optional.of(out);
      }
    }
    return Optional.empty();
  }

  /** The sizes of the folders under {@link #PREFIX} in {@code (after, upTo]}. */
  private TreeSet<Long> sizes(long after, long upTo) throws IOException {
    TreeSet<Long> sizes = new TreeSet<>();
    try (Stream<ObjectKey> s = store.keys(PREFIX)) {
      s.forEach(
          k -> {
            String rest = k.value().substring(PREFIX.length());
            int slash = rest.indexOf('/');
            long size = slash == 20 ? sizeOf(rest.substring(0, 20)) : -1;
            if (size > after && size <= upTo) {
              sizes.add(size);
            }
          });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return sizes;
  }

  /** The log's stored checkpoint note of this size, if {@code logKey} signed it as this log's. */
  private static Optional<LogCheckpoint> checkpointOfThisLog(
      long size, String origin, TrustAnchors logKey, EvidenceLedger ledger) throws IOException {
    Optional<LogCheckpoint> stored;
    try {
      stored = ledger.storedCheckpoint(size);
    } catch (LedgerException e) {
      return Optional.empty(); // an unreadable checkpoint proves nothing
    }
    if (stored.isEmpty()
        || stored.get().size() != size
        || !stored.get().isNote()
        || !stored.get().origin().equals(origin)
        || !stored.get().verify(logKey)
        || !ledger.isStateOfThisLog(stored.get())) {
      return Optional.empty();
    }
    return stored;
  }

  /** The note kept at {@code k} if it is readable and its text is exactly {@code cp}'s. */
  private Optional<LogCheckpoint> sameText(ObjectKey k, LogCheckpoint cp) {
    LogCheckpoint other;
    try {
      other = EvidenceLedger.readCheckpoint(store, k);
    } catch (IOException e) {
      return Optional.empty();
    }
    return other.isNote() && MessageDigest.isEqual(other.text(), cp.text())
        ? Optional.of(other)
        : Optional.empty();
  }

  /** The size a folder name states, or -1 if it is not 20 digits within a long. */
  private static long sizeOf(String digits) {
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private List<ObjectKey> keys(String prefix, int most) throws IOException {
    List<ObjectKey> out = new ArrayList<>();
    try (Stream<ObjectKey> s = store.keys(prefix)) {
      s.limit(most).forEach(out::add);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }
}
