package org.evidencekit.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.evidencekit.crypt.DecryptionException;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;

/**
 * The checks an executor runs, with the same verdicts as {@link EvidenceArchive#sweep}: the seal
 * must be the one the ledger recorded, the content must have the sealed length and match the seal.
 * Never skips: what cannot be read is damaged, with the reason.
 */
final class RecordingCheck {
  private static final int MAX_SEAL_BYTES = 64 * 1024 * 1024;

  private final EvidenceStore store;
  // one core per task: Spark runs as many tasks as the executor has cores
  private final Verifier verifier = Verifier.builder().parallelism(1).build();

  RecordingCheck(EvidenceStore store) {
    this.store = store;
  }

  /** Checks a recording, whole, or up to the point where its segment ranges can be handed out. */
  FirstPass first(WorkItem w, long splitBytes) {
    String k = w.key;
    try {
      byte[] stored = sealBytes(k);
      Seal seal = Seal.parse(stored);
      if (!w.logged()) {
        return FirstPass.done(
            new RecordingResult(k, Status.UNLOGGED, "no sealed entry in the ledger"));
      }
      if (!seal.digest().hex().equals(w.loggedDigest)) {
        return FirstPass.done(
            new RecordingResult(
                k,
                Status.DAMAGED,
                "seal differs from the one logged at entry " + w.loggedIndex + " (replaced)"));
      }
      if (!Arrays.equals(seal.toJson(), stored)) {
        // as the single-process sweep, other bytes that parse to the logged seal are an
        // altered object (the ledger's digest is of the canonical bytes an auditor recomputes)
        return FirstPass.done(
            new RecordingResult(
                k,
                Status.DAMAGED,
                "seal object's bytes were altered: the seal logged at entry "
                    + w.loggedIndex
                    + ", stored in other than its canonical form"));
      }
      try (SeekableByteChannel ch = store.openRead(ObjectKey.of(k))) {
        if (EncryptedRecording.looksEncrypted(ch)) {
          // what can be checked without the key is checked, as in the
          // single-process sweep: the length, then the suite, key id and nonce prefix the sealed
          // entry logged, which the driver reads for these recordings only
          try {
            if (!w.entriesRead()) {
              EncryptedRecording.checkLength(ch, seal);
              return FirstPass.needsEntry(w);
            }
            if (w.entryUnreadable != null) {
              // as the single-process sweep, which reports a batch it cannot read as damaged and
              // goes on: what this ciphertext must be is in the entry, so it is not known sound
              return FirstPass.done(
                  new RecordingResult(
                      k,
                      Status.DAMAGED,
                      "ledger damaged: "
                          + w.entryUnreadable
                          + "; its ciphertext could be checked for its length only"));
            }
            LedgerEntry sealed = LedgerEntry.parse(w.sealedEntry);
            if (!sealed.subject().equals(k)
                || !sealed.payloadDigest().orElse("").equals(w.loggedDigest)) {
              return FirstPass.done(
                  new RecordingResult(
                      k,
                      Status.DAMAGED,
                      "ledger entry " + w.loggedIndex + " is not this recording's sealed entry"));
            }
            if (w.rewrappedEntry == null) {
              EvidenceArchive.checkStoredCiphertext(ch, seal, sealed);
            } else {
              LedgerEntry rewrapped = LedgerEntry.parse(w.rewrappedEntry);
              if (!rewrapped.type().equals(EntryType.REWRAPPED) || !rewrapped.subject().equals(k)) {
                return FirstPass.done(
                    new RecordingResult(
                        k,
                        Status.DAMAGED,
                        "ledger entry "
                            + w.rewrappedIndex
                            + " is not a key rotation of this recording"));
              }
              EvidenceArchive.checkStoredCiphertext(ch, seal, sealed, rewrapped);
            }
          } catch (DecryptionException e) {
            return FirstPass.done(
                new RecordingResult(
                    k,
                    Status.DAMAGED,
                    e.getMessage() + " (sealed at entry " + w.loggedIndex + ")"));
          }
          return FirstPass.done(
              new RecordingResult(
                  k, Status.NOT_CHECKED, "encrypted; the Spark sweep is given no keys"));
        }
        if (w.loggedEncrypted) {
          // whoever replaced the ciphertext by the plaintext (an insider with the key)
          // leaked it at rest, even if every byte still matches the seal
          return FirstPass.done(
              new RecordingResult(
                  k,
                  Status.DAMAGED,
                  "stored unencrypted, but logged at entry "
                      + w.loggedIndex
                      + (w.rewrappedIndex < 0
                          ? ""
                          : " (key rotated at entry " + w.rewrappedIndex + ")")
                      + " as stored encrypted: the ciphertext was replaced"));
        }
        long size = ch.size();
        if (size != seal.length()) {
          return FirstPass.done(
              new RecordingResult(
                  k,
                  Status.DAMAGED,
                  "content has " + size + " bytes, the seal covers " + seal.length()));
        }
        if (seal.length() > splitBytes) {
          return FirstPass.split(ranges(k, seal, splitBytes));
        }
        ch.position(0);
        VerificationReport r = verifier.verify(ch, seal);
        return FirstPass.done(
            r.isIntact()
                ? new RecordingResult(k, Status.OK, "intact")
                : new RecordingResult(k, Status.DAMAGED, problems(r)));
      }
    } catch (NoSuchObjectException e) {
      return FirstPass.done(new RecordingResult(k, Status.MISSING, e.getMessage()));
    } catch (IOException | RuntimeException e) {
      return FirstPass.done(
          new RecordingResult(k, Status.DAMAGED, "cannot be read: " + e.getMessage()));
    }
  }

  /** Runs of whole segments of at most {@code splitBytes} (at least one segment each). */
  static List<RangeTask> ranges(String key, Seal seal, long splitBytes) {
    long per = Math.max(1, splitBytes / seal.segmentSize()) * seal.segmentSize();
    List<RangeTask> out = new ArrayList<>();
    String digest = seal.digest().hex();
    for (long off = 0; off < seal.length(); off += per) {
      out.add(new RangeTask(key, digest, off, Math.min(per, seal.length() - off)));
    }
    return out;
  }

  /** Verifies one range against the root of the seal the first pass accepted. */
  RecordingResult range(RangeTask t) {
    try {
      Seal seal = seal(t.key);
      if (!seal.digest().hex().equals(t.sealDigest)) {
        return new RecordingResult(t.key, Status.DAMAGED, "seal replaced during the sweep");
      }
      try (SeekableByteChannel ch = store.openRead(ObjectKey.of(t.key))) {
        VerificationReport r = verifier.verifyRange(ch, seal, new ByteRange(t.offset, t.length));
        return r.isIntact()
            ? new RecordingResult(t.key, Status.OK, "intact")
            : new RecordingResult(t.key, Status.DAMAGED, problems(r));
      }
    } catch (NoSuchObjectException e) {
      return new RecordingResult(t.key, Status.MISSING, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new RecordingResult(t.key, Status.DAMAGED, "cannot be read: " + e.getMessage());
    }
  }

  /**
   * One recording's verdict from its ranges' verdicts: intact only if every range is; a vanished
   * object outranks damage; damaged ranges are all named.
   */
  static RecordingResult combine(String key, Iterable<RecordingResult> parts) {
    int n = 0;
    List<String> damaged = new ArrayList<>();
    String missing = null;
    for (RecordingResult r : parts) {
      n++;
      if (r.status() == Status.MISSING) {
        missing = r.detail();
      } else if (r.status() != Status.OK) {
        damaged.add(r.detail());
      }
    }
    if (missing != null) {
      return new RecordingResult(key, Status.MISSING, missing);
    }
    if (!damaged.isEmpty()) {
      damaged.sort(null);
      return new RecordingResult(key, Status.DAMAGED, String.join("; ", damaged));
    }
    return new RecordingResult(key, Status.OK, "intact (" + n + " segment ranges)");
  }

  Seal seal(String key) throws IOException {
    return Seal.parse(sealBytes(key));
  }

  /**
   * The bytes of a recording's stored seal object, at most 64 MiB and at most what the executor's
   * heap can hold, as the single-process sweep reads them: an object planted as a seal within the
   * bound but past a quarter of the heap is refused naming it, a damaged recording, instead of an
   * {@code OutOfMemoryError} that fails the task.
   */
  private byte[] sealBytes(String key) throws IOException {
    ObjectKey k = ObjectKey.of(key + EvidenceArchive.SEAL_SUFFIX);
    try (SeekableByteChannel ch = store.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      return BoundedFiles.readAtMost(
          in,
          "seal " + k.value(),
          MAX_SEAL_BYTES,
          () -> new SealFormatException("seal " + k.value() + " is larger than 64 MiB"),
          SealFormatException::new);
    }
  }

  /** The verdict, changed ranges and the findings that say something is wrong. */
  static String problems(VerificationReport r) {
    StringBuilder b = new StringBuilder(r.verdict().name());
    if (!r.tamperedRanges().isEmpty()) {
      b.append(" ").append(r.tamperedRanges());
    }
    for (Finding f : r.findings()) {
      if (!FindingCode.isInformational(f.code())) {
        b.append("; ").append(f.code()).append(": ").append(f.message());
      }
    }
    return b.toString();
  }
}
