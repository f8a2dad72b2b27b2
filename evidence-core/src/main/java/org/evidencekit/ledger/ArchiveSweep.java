package org.evidencekit.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.DecryptionException;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.KeyEncryptionKey;
import org.evidencekit.crypt.NoMatchingKeyException;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.json.Instants;
import org.evidencekit.seal.NotASealException;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.jspecify.annotations.Nullable;

/**
 * The archive-wide integrity sweep (R-20, Art. 21(5)). Reads the ledger batch by batch, so a
 * damaged batch is reported as damaged while every recording that can be read is still checked;
 * reports each key once, with the one status that says what is wrong with it.
 */
final class ArchiveSweep {
  private static final int MAX_SEAL_BYTES = 64 * 1024 * 1024;

  /** A {@code sealed} entry's details for a recording stored encrypted: its suite and key id. */
  static final String ENCRYPTION = "encryption";

  static final String KEK = "kek";

  /**
   * A {@code sealed} entry's detail for a recording stored encrypted: the random nonce prefix of
   * the ciphertext stored at ingest, which binds that one ciphertext (absent from entries logged
   * before it was).
   */
  static final String NONCE_PREFIX = "noncePrefix";

  /** A {@code rewrapped} entry's detail: the key id the data key was wrapped under before. */
  static final String FROM_KEK = "fromKek";

  private ArchiveSweep() {}

  /** What the readable part of the ledger says was sealed, and whether any of it was unreadable. */
  static final class Logged {
    /**
     * The first {@code sealed} entry per key since its last disposal, with its index; disposed
     * recordings left out.
     */
    final Map<String, Map.Entry<Long, LedgerEntry>> sealed = new TreeMap<>();

    /** The index of each disposed recording's latest {@code disposed} entry (not sealed since). */
    final Map<String, Long> disposed = new TreeMap<>();

    /**
     * For each live recording whose key-encryption key was rotated, the latest {@code rewrapped}
     * entry since its {@code sealed} entry: its stored header names that entry's key id.
     */
    final Map<String, LedgerEntry> rewrapped = new TreeMap<>();

    /**
     * For each disposed recording, the {@code sealed} entry its kept seal must match: the first
     * since its previous disposal; absent when the readable ledger has none.
     */
    final Map<String, Map.Entry<Long, LedgerEntry>> kept = new TreeMap<>();

    /**
     * For each live recording, the retention the run that sealed it decided and pushed down to the
     * store (its {@code retention-decided} entries timed as its {@code sealed} entry: the ingest
     * station logs both at its run's time; the highest {@code until}, with that entry's index), if
     * it ends after the ledger's latest entry: the store must hold at least that in force.
     * Decisions logged later (a disposition plan's) are not pushed down, so they ask nothing of the
     * store; nor does a retention that has ended (a copy restored after it ended is stored without
     * it); the ledger's latest time is no later than now.
     */
    final Map<String, Map.Entry<Long, Instant>> retainedUntil = new TreeMap<>();

    /** The ledger objects that could not be read, with why. */
    final List<SweepReport.Item> damaged = new ArrayList<>();

    boolean complete() {
      return damaged.isEmpty();
    }
  }

  /** Reads every batch it can; a damaged or missing batch becomes an item and is skipped. */
  static Logged scanLedger(EvidenceStore store) throws IOException {
    Logged out = new Logged();
    Map<String, Long> disposed = out.disposed;
    List<ObjectKey> batches;
    // keys only: a batch whose description cannot be read is reported below, not the sweep's end
    try (Stream<ObjectKey> s = store.keys(EvidenceLedger.BATCHES)) {
      batches = s.collect(java.util.stream.Collectors.toList());
    }
    long expect = 0;
    Instant latest = Instant.MIN;
    for (ObjectKey key : batches) {
      long first;
      try {
        first = EvidenceLedger.parseIndex(key, EvidenceLedger.BATCHES, ".jsonl");
      } catch (LedgerException e) {
        out.damaged.add(damaged(key, e.getMessage()));
        continue;
      }
      if (first > expect) {
        out.damaged.add(
            damaged(
                key,
                "entries " + expect + " to " + (first - 1) + " are missing before this batch"));
      }
      List<byte[]> lines;
      try {
        lines = EvidenceLedger.readBatch(store, first);
      } catch (LedgerException e) {
        out.damaged.add(damaged(key, e.getMessage()));
        expect = Math.max(expect, first + 1);
        continue;
      } catch (IOException | RuntimeException e) {
        out.damaged.add(damaged(key, "cannot be read: " + e.getMessage()));
        expect = Math.max(expect, first + 1);
        continue;
      }
      for (int i = 0; i < lines.size(); i++) {
        LedgerEntry e = LedgerEntry.parse(lines.get(i));
        if (e.time().isAfter(latest)) {
          latest = e.time();
        }
        if (e.type().equals(EntryType.SEALED)) {
          // the first since its last disposal: a recording is sealed once, and a later entry for
          // it logs a substitute
          if (disposed.remove(e.subject()) != null || !out.sealed.containsKey(e.subject())) {
            out.sealed.put(e.subject(), Map.entry(first + i, e));
            out.rewrapped.remove(e.subject());
            out.retainedUntil.remove(e.subject());
          }
        } else if (e.type().equals(EntryType.DISPOSED)) {
          disposed.put(e.objectKey(), first + i);
          out.rewrapped.remove(e.objectKey());
          out.retainedUntil.remove(e.objectKey());
        } else if (e.type().equals(EntryType.RETENTION_DECIDED)
            && out.sealed.containsKey(e.subject())
            && !disposed.containsKey(e.subject())
            && e.time().equals(out.sealed.get(e.subject()).getValue().time())) {
          raiseRetention(out.retainedUntil, first + i, e);
        } else if (e.type().equals(EntryType.REWRAPPED)
            && out.sealed.containsKey(e.subject())
            && !disposed.containsKey(e.subject())) {
          out.rewrapped.put(e.subject(), e);
        }
      }
      expect = Math.max(expect, first + lines.size());
    }
    Instant now = latest;
    out.retainedUntil.values().removeIf(u -> !u.getValue().isAfter(now));
    for (String k : disposed.keySet()) {
      Map.Entry<Long, LedgerEntry> s = out.sealed.remove(k);
      if (s != null) {
        out.kept.put(k, s);
      }
    }
    return out;
  }

  /**
   * Takes a {@code retention-decided} entry's {@code until} if it is later than the one held for
   * its recording; an entry without a readable {@code until} (a permanent decision) asks nothing of
   * the store here.
   */
  private static void raiseRetention(
      Map<String, Map.Entry<Long, Instant>> retainedUntil, long index, LedgerEntry e) {
    String v = e.details().get("until");
    Instant until;
    try {
      until = v == null ? null : Instants.parse(v);
    } catch (RuntimeException notAnInstant) {
      return;
    }
    if (until == null) {
      return;
    }
    Map.Entry<Long, Instant> held = retainedUntil.get(e.subject());
    if (held == null || until.isAfter(held.getValue())) {
      retainedUntil.put(e.subject(), Map.entry(index, until));
    }
  }

  /**
   * A recording that checked out, held to the retention its ledger logged: retention
   * only ever extends, so a store holding an earlier one (or none) in force had it lowered around
   * the library (an insider editing the filesystem store's metadata to delete early), or never took
   * it. Only on a store that keeps retention; an object whose description cannot be read is
   * damaged.
   */
  static SweepReport.Item checkRetention(
      EvidenceStore store, SweepReport.Item item, Map.@Nullable Entry<Long, Instant> logged) {
    if (logged == null
        || item.status() != SweepReport.Status.OK
        || !store.capabilities().contains(Capability.RETENTION)) {
      return item;
    }
    ObjectInfo info;
    try {
      info = store.stat(ObjectKey.of(item.key()));
    } catch (IOException | RuntimeException e) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED, item.key(), "cannot be read: " + e.getMessage());
    }
    Optional<Instant> inForce = info.retainUntil();
    if (inForce.isPresent() && !inForce.get().isBefore(logged.getValue())) {
      return item;
    }
    if (logged.getValue().isAfter(PermanentRecords.FOREVER)
        && info.legalHold()
        && inForce.filter(u -> !u.isBefore(PermanentRecords.FOREVER)).isPresent()) {
      // a retention later than some stores count (S3 on Ceph RGW: 2106) is pushed down as the
      // latest every store keeps plus a legal hold, which only an approved disposition lifts
      // (RetentionPushDown, R-16): what the library does, not a lowered retention
      return item;
    }
    return new SweepReport.Item(
        SweepReport.Status.DAMAGED,
        item.key(),
        "retention in force "
            + inForce.map(t -> "until " + Instants.format(t)).orElse("none")
            + ", earlier than the retention until "
            + Instants.format(logged.getValue())
            + " logged at entry "
            + logged.getKey()
            + " (lowered around the library, or never applied)");
  }

  private static SweepReport.Item damaged(ObjectKey key, String why) {
    return new SweepReport.Item(
        SweepReport.Status.DAMAGED,
        key.value(),
        "ledger damaged: " + why + " (recordings are still swept)");
  }

  static SweepReport sweep(
      EvidenceStore store,
      BiConsumer<Integer, Integer> progress,
      List<? extends KeyEncryptionKey> keks)
      throws IOException {
    Logged logged = scanLedger(store);
    SortedSet<String> objects = new TreeSet<>();
    // keys only: an object whose description cannot be read must still be swept and reported
    try (Stream<ObjectKey> s = store.keys("")) {
      s.forEach(k -> objects.add(k.value()));
    }
    Map<String, Long> sealedAt = new TreeMap<>();
    logged.sealed.forEach((k, e) -> sealedAt.put(k, e.getKey()));
    SweepListing listing =
        SweepListing.classify(objects, sealedAt, logged.disposed, logged.complete());
    // one item per key: the first problem found for a key is the one reported
    Map<String, SweepReport.Item> byKey = new TreeMap<>();
    listing.settled().forEach(i -> byKey.put(i.key(), i));
    for (Map.Entry<String, Long> d : logged.disposed.entrySet()) {
      String k = d.getKey();
      if (!objects.contains(k) && objects.contains(k + EvidenceArchive.SEAL_SUFFIX)) {
        // the listing alone says a kept seal is there; whether it is the seal logged takes reading
        Map.Entry<Long, LedgerEntry> s = logged.kept.get(k);
        SweepReport.Item item =
            s == null
                ? SweepListing.checkKeptSeal(store, k, d.getValue(), -1, "")
                : SweepListing.checkKeptSeal(
                    store, k, d.getValue(), s.getKey(), s.getValue().payloadDigest().orElse(""));
        if (item.status() == SweepReport.Status.UNLOGGED && !logged.complete()) {
          item =
              new SweepReport.Item(
                  item.status(), k, item.detail() + " (its entry may be in a damaged batch)");
        }
        byKey.put(k, item);
      }
    }
    List<String> recordings = listing.toCheck();
    int done = 0;
    Verifier verifier = Verifier.create();
    for (String k : recordings) {
      SweepReport.Item item =
          checkRetention(
              store,
              check(store, k, logged.sealed.get(k), logged.rewrapped.get(k), verifier, keks),
              logged.retainedUntil.get(k));
      if (item.status() == SweepReport.Status.UNLOGGED && !logged.complete()) {
        item =
            new SweepReport.Item(
                item.status(), k, item.detail() + " (its entry may be in a damaged batch)");
      }
      byKey.putIfAbsent(k, item);
      done++;
      if (progress != null) {
        progress.accept(done, recordings.size());
      }
    }
    List<SweepReport.Item> items = new ArrayList<>(logged.damaged);
    items.addAll(byKey.values());
    items.sort(java.util.Comparator.comparing(SweepReport.Item::key));
    return new SweepReport(items);
  }

  /**
   * The stored seal of a recording; a damaged one is refused naming its object, as a case's report
   * reads many and the parser's complaint alone does not say which.
   */
  static Seal seal(EvidenceStore store, String key) throws IOException {
    byte[] b = sealBytes(store, key);
    String name = "seal " + key + EvidenceArchive.SEAL_SUFFIX;
    try {
      return Seal.parse(b);
    } catch (NotASealException e) {
      throw new NotASealException(name + " is " + e.getMessage());
    } catch (SealFormatException e) {
      throw new SealFormatException(name + ": " + e.getMessage());
    }
  }

  /**
   * The bytes of a recording's stored seal object, at most 64 MiB and at most what the heap can
   * hold: a 50 MiB object planted as a seal was an {@code OutOfMemoryError} in a 64 MiB heap.
   */
  private static byte[] sealBytes(EvidenceStore store, String key) throws IOException {
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

  /**
   * A disposed recording's seal, kept for good: it must be the seal its {@code sealed} entry
   * logged, byte for byte, or what was destroyed is no longer provable. A few KiB: its
   * content is gone, so nothing else is read.
   */
  static SweepReport.Item checkKept(
      EvidenceStore store, String k, long disposedAt, long sealedAt, String sealDigest) {
    String disposed = "disposed at ledger entry " + disposedAt + "; ";
    if (sealedAt < 0) {
      // nothing vouches for a kept seal no sealed entry logged, as for a live recording's
      return new SweepReport.Item(
          SweepReport.Status.UNLOGGED,
          k,
          disposed + "its kept seal has no sealed entry in the ledger");
    }
    String entry = "the seal logged at entry " + sealedAt;
    Seal seal;
    byte[] stored;
    try {
      stored = sealBytes(store, k);
      seal = Seal.parse(stored);
    } catch (NoSuchObjectException e) {
      return new SweepReport.Item(
          SweepReport.Status.MISSING, k, disposed + "its seal, kept for good, is gone: " + entry);
    } catch (IOException | RuntimeException e) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED,
          k,
          disposed + "its kept seal cannot be read (" + e.getMessage() + "): " + entry);
    }
    if (!seal.digest().hex().equals(sealDigest)) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED,
          k,
          disposed + "its kept seal differs from " + entry + " (replaced)");
    }
    if (!java.util.Arrays.equals(seal.toJson(), stored)) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED,
          k,
          disposed
              + "its kept seal object's bytes were altered: "
              + entry
              + ", stored in other than its canonical form");
    }
    return new SweepReport.Item(
        SweepReport.Status.OK,
        k,
        SweepListing.disposedText(disposedAt) + ", as logged at entry " + sealedAt);
  }

  /**
   * One recording: seal as logged, content as sealed; {@code rewrapped}, the latest {@code
   * rewrapped} entry since {@code logged}, or null if its key was never rotated.
   */
  static SweepReport.Item check(
      EvidenceStore store,
      String k,
      Map.Entry<Long, LedgerEntry> logged,
      @Nullable LedgerEntry rewrapped,
      Verifier verifier,
      List<? extends KeyEncryptionKey> keks) {
    Seal seal;
    byte[] stored;
    try {
      stored = sealBytes(store, k);
      seal = Seal.parse(stored);
    } catch (NoSuchObjectException e) {
      if (logged != null && !exists(store, k)) {
        // a spot check draws from the ledger, not a listing: both may be gone
        return new SweepReport.Item(
            SweepReport.Status.MISSING,
            k,
            "content and seal missing: sealed at ledger entry "
                + logged.getKey()
                + " and never disposed");
      }
      return new SweepReport.Item(
          SweepReport.Status.MISSING,
          k,
          logged == null
              ? "seal missing"
              : "seal missing: sealed at ledger entry "
                  + logged.getKey()
                  + ", the content is stored but its seal is gone");
    } catch (IOException | RuntimeException e) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED, k, "seal cannot be read: " + e.getMessage());
    }
    if (logged == null) {
      return new SweepReport.Item(SweepReport.Status.UNLOGGED, k, "no sealed entry in the ledger");
    }
    String want = logged.getValue().payloadDigest().orElse("");
    if (!seal.digest().hex().equals(want)) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED,
          k,
          "seal differs from the one logged at entry " + logged.getKey() + " (replaced)");
    }
    if (!java.util.Arrays.equals(seal.toJson(), stored)) {
      // the archive stores the canonical form and logs its SHA-256; other bytes that parse
      // to the same seal are an altered object, and break the digest an auditor recomputes
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED,
          k,
          "seal object's bytes were altered: the seal logged at entry "
              + logged.getKey()
              + ", stored in other than its canonical form");
    }
    try (SeekableByteChannel ch = store.openRead(ObjectKey.of(k))) {
      Map<String, String> details = asLogged(logged.getValue().details(), rewrapped);
      if (EncryptedRecording.looksEncrypted(ch)) {
        return checkEncrypted(k, ch, seal, verifier, keks, logged.getKey(), details);
      }
      if (details.containsKey(ENCRYPTION)) {
        // whoever replaced the ciphertext by the plaintext (an insider with the key) leaked
        // it at rest, even if every byte still matches the seal
        return new SweepReport.Item(
            SweepReport.Status.DAMAGED,
            k,
            "stored unencrypted, but logged at entry "
                + logged.getKey()
                + " as stored encrypted with "
                + details.get(ENCRYPTION)
                + ": the ciphertext was replaced");
      }
      ch.position(0);
      VerificationReport r = verifier.verify(ch, seal);
      if (!r.isIntact()) {
        return new SweepReport.Item(SweepReport.Status.DAMAGED, k, problems(r));
      }
      return new SweepReport.Item(SweepReport.Status.OK, k, "intact");
    } catch (NoSuchObjectException e) {
      return new SweepReport.Item(
          SweepReport.Status.MISSING,
          k,
          "content missing: sealed at ledger entry " + logged.getKey() + " and never disposed");
    } catch (IOException | RuntimeException e) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED, k, "cannot be read: " + e.getMessage());
    }
  }

  /**
   * Whether a recording's content is stored; one whose presence cannot be told is taken as there.
   */
  private static boolean exists(EvidenceStore store, String k) {
    try {
      return store.exists(ObjectKey.of(k));
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** The verdict, changed ranges and findings that say something is wrong. */
  private static String problems(VerificationReport r) {
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

  /**
   * What the ledger says of a recording's stored form: its {@code sealed} entry's details, with the
   * key id of the latest {@code rewrapped} entry since ({@code rewrapped}, null if none) in place
   * of the one logged at ingest; that entry's suite and nonce prefix stand in where the {@code
   * sealed} entry, logged before they were, names none. Only the latest rotation counts: a header
   * naming an earlier key id (an older copy put back) is not the one stored now.
   */
  static Map<String, String> asLogged(Map<String, String> sealed, @Nullable LedgerEntry rewrapped) {
    if (rewrapped == null) {
      return sealed;
    }
    Map<String, String> out = new TreeMap<>(sealed);
    Map<String, String> r = rewrapped.details();
    if (r.get(KEK) != null) {
      out.put(KEK, r.get(KEK));
    }
    for (String k : List.of(ENCRYPTION, NONCE_PREFIX)) {
      if (r.get(k) != null) {
        out.putIfAbsent(k, r.get(k));
      }
    }
    return out;
  }

  /**
   * Checks a stored ciphertext, without any key, against what its {@code sealed} entry logged: its
   * length always; the suite and key id, and the nonce prefix that names the one ciphertext stored
   * at ingest, where the entry logged them. The sweep and an export both ask.
   *
   * @throws DecryptionException if the ciphertext is not whole or not the one logged
   */
  static void checkAsLogged(SeekableByteChannel ch, Seal seal, Map<String, String> details)
      throws IOException {
    Optional<AeadSuite> suite =
        Optional.ofNullable(details.get(ENCRYPTION)).flatMap(AeadSuite::forId);
    String keyId = details.get(KEK);
    String noncePrefix = details.get(NONCE_PREFIX);
    if (suite.isEmpty() || keyId == null) {
      EncryptedRecording.checkLength(ch, seal);
    } else if (noncePrefix == null) {
      EncryptedRecording.checkStored(ch, seal, suite.get(), keyId);
    } else {
      try {
        EncryptedRecording.checkStored(ch, seal, suite.get(), keyId, noncePrefix);
      } catch (IllegalArgumentException e) {
        throw new DecryptionException(
            "the sealed entry's nonce prefix is malformed (" + e.getMessage() + ")");
      }
    }
  }

  private static SweepReport.Item checkEncrypted(
      String k,
      SeekableByteChannel ch,
      Seal seal,
      Verifier verifier,
      List<? extends KeyEncryptionKey> keks,
      long sealedAt,
      Map<String, String> details)
      throws IOException {
    // Without the key only the structure says anything: check it before looking for the key, so
    // a cut, extended or re-headed ciphertext is DAMAGED, not NOT_CHECKED.
    try {
      checkAsLogged(ch, seal, details);
    } catch (DecryptionException e) {
      return new SweepReport.Item(
          SweepReport.Status.DAMAGED, k, e.getMessage() + " (sealed at entry " + sealedAt + ")");
    }
    EncryptedRecording r;
    try {
      r = EncryptedRecording.open(ch, seal, List.copyOf(keks));
    } catch (NoMatchingKeyException e) {
      return new SweepReport.Item(
          SweepReport.Status.NOT_CHECKED, k, "encrypted; " + e.getMessage());
    } catch (DecryptionException e) {
      return new SweepReport.Item(SweepReport.Status.DAMAGED, k, e.getMessage());
    }
    try {
      VerificationReport v = verifier.verify(r.newPlaintextChannel(), seal);
      if (!v.isIntact()) {
        return new SweepReport.Item(SweepReport.Status.DAMAGED, k, "decrypted content: " + v);
      }
    } catch (DecryptionException e) {
      return new SweepReport.Item(SweepReport.Status.DAMAGED, k, e.getMessage());
    }
    return new SweepReport.Item(
        SweepReport.Status.OK, k, "intact (encrypted, " + r.suite().id() + ")");
  }
}
