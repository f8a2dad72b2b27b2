package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.seal.DeviceIds;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;

/**
 * Recordings, their seals and the ledger in one store: ingest appends a {@code sealed} entry,
 * export appends who, why and to whom and hands out an offline proof bundle (R-19), the sweep
 * re-verifies everything, spot checks pick recordings nobody could predict.
 *
 * <p>Layout: a recording at key {@code K} has its seal at {@code K.seal.json}; the ledger lives
 * under {@code ledger/}, catalog snapshots under {@code catalog/}, the records of disposition under
 * {@code tombstones/} and {@code disposition/} ({@link #isBookkeeping}). Anything else in the store
 * is unexpected and the sweep says so.
 */
public final class EvidenceArchive {
  /** Suffix of a recording's seal object. */
  public static final String SEAL_SUFFIX = ".seal.json";

  private final EvidenceStore store;
  private final EvidenceLedger ledger;
  private final Clock clock;

  private EvidenceArchive(EvidenceStore store, EvidenceLedger ledger, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * The names of the archive's own records other than the ledger's, exactly as their writers make
   * them, so that stray data under the same folders is still reported: catalog snapshots
   * (evidence-ingest's catalog index) and the records of disposition (retention: tombstones, plans,
   * approvals, destruction registers).
   */
  private static final Pattern RECORDS =
      Pattern.compile(
          "catalog/[0-9]{20}\\.tsv"
              + "|tombstones/[0-9a-f]{32}/[0-9]{20}-[a-z-]+\\.json"
              + "|disposition/plans/[0-9a-f]{64}\\.json"
              + "|disposition/approvals/[0-9a-f]{64}/[0-9a-f]{32}\\.json"
              + "|disposition/registers/[0-9a-f]{64}/[0-9]{20}\\.json");

  /**
   * Whether {@code key} is the archive's own bookkeeping, not a recording: the ledger (anything
   * under {@code ledger/}), a catalog snapshot ({@code catalog/}, 20 digits, {@code .tsv}) or a
   * record of disposition (a tombstone under {@code tombstones/}, a plan, approval or destruction
   * register under {@code disposition/}, each named as the library names it). Sweeps neither verify
   * nor report these as unexpected, and no recording may be stored under such a key.
   */
  public static boolean isBookkeeping(String key) {
    requireNonNull(key, "key");
    return key.startsWith("ledger/") || RECORDS.matcher(key).matches();
  }

  /**
   * Refuses a seal whose device id breaks {@link DeviceIds}'s rule before anything of it is stored:
   * its {@code sealed} entry logs the device, and a report, a spot check or a register could never
   * name it.
   */
  private static void checkDevice(Seal seal) {
    seal.metadata().flatMap(RecordingMetadata::deviceId).ifPresent(DeviceIds::check);
  }

  /**
   * Refuses a key no recording may take: one of the archive's own records ({@link #isBookkeeping})
   * or a seal's ({@link #SEAL_SUFFIX}). A recording stored there would never be swept.
   *
   * @throws IllegalArgumentException naming the key and why
   */
  public static void checkRecordingKey(String key) {
    requireNonNull(key, "key");
    if (isBookkeeping(key)) {
      throw new IllegalArgumentException(
          "'" + key + "' is where the archive keeps its own records; a recording cannot go there");
    }
    if (key.endsWith(SEAL_SUFFIX)) {
      throw new IllegalArgumentException(
          "'"
              + key
              + "' ends in "
              + SEAL_SUFFIX
              + ", which names seals; a recording cannot go there");
    }
  }

  /** Opens the archive (and its ledger) kept in {@code store}. */
  public static EvidenceArchive open(EvidenceStore store, Clock clock) throws IOException {
    requireNonNull(store, "store");
    requireNonNull(clock, "clock");
    return new EvidenceArchive(store, EvidenceLedger.open(store, clock), clock);
  }

  /**
   * Opens the archive with its entries timed by {@code clock} and its ledger opened with {@code
   * ledgerClock}, the clock the ledger bounds every entry's time by ({@link EvidenceLedger#open};
   * docs/ledger.md, "Entries"). For a caller whose {@code clock} answers one trusted reading taken
   * only after the ledger is open: the trusted clock's own entries (an initialisation, an accepted
   * jump), logged before that reading, are bounded by {@code ledgerClock}.
   */
  public static EvidenceArchive open(EvidenceStore store, Clock clock, Clock ledgerClock)
      throws IOException {
    requireNonNull(store, "store");
    requireNonNull(clock, "clock");
    requireNonNull(ledgerClock, "ledgerClock");
    return new EvidenceArchive(store, EvidenceLedger.open(store, ledgerClock), clock);
  }

  /**
   * Opens the archive with its ledger opened by {@link EvidenceLedger#openFromCheckpoint}: for
   * readers of large archives (reports, catalogs) that need the ledger's size, roots and some
   * entries, not every batch. Everything works as after {@link #open}; what needs every entry
   * (ingest's conditions, {@link #sealedRecordings}) reads it when asked.
   */
  public static EvidenceArchive openFromCheckpoint(EvidenceStore store, Clock clock)
      throws IOException {
    requireNonNull(store, "store");
    requireNonNull(clock, "clock");
    return new EvidenceArchive(store, EvidenceLedger.openFromCheckpoint(store, clock), clock);
  }

  public EvidenceLedger ledger() {
    return ledger;
  }

  public EvidenceStore store() {
    return store;
  }

  /**
   * Stores a recording and its seal and appends a {@code sealed} entry naming the seal's digest.
   * The content is verified against the seal while it is copied; on a mismatch nothing is kept.
   *
   * @return the ledger index of the {@code sealed} entry
   * @throws IOException if the content does not match the seal, or the key is taken
   * @throws IllegalArgumentException if the key is one of the archive's own records ({@link
   *     #isBookkeeping}) or a seal's: a recording there would never be swept
   */
  public long ingest(String key, Path file, Seal seal, String actor) throws IOException {
    requireNonNull(key, "key");
    requireNonNull(file, "file");
    requireNonNull(seal, "seal");
    requireNonNull(actor, "actor");
    checkRecordingKey(key);
    checkDevice(seal);
    ObjectKey content = ObjectKey.of(key);
    ObjectKey sealKey = ObjectKey.of(key + SEAL_SUFFIX);
    // A recording is sealed once until it is disposed of: with its objects removed from
    // under the store, a second sealed entry naming another seal would log a substitute.
    OptionalLong live = ledger.view().sealedIndex(key);
    if (live.isPresent()
        && !ledger.entry(live.getAsLong()).payloadDigest().orElse("").equals(seal.digest().hex())) {
      throw new org.evidencekit.storage.ObjectExistsException(
          key
              + " is logged as sealed with another seal at ledger entry "
              + live.getAsLong()
              + "; a recording is sealed once until it is disposed of, nothing was stored");
    }
    try (FileChannel in = BoundedFiles.openRegularFile(file)) {
      requireIntact(in, seal, file);
      in.position(0);
      try (WritableObject w = store.create(content)) {
        ChannelIo.copy(in, w);
        w.commit();
      }
    }
    putSeal(sealKey, seal);
    return ledger.append(sealedEntry(key, seal, actor));
  }

  /**
   * Stores a seal object, kept for good. A lock that failed after the commit does not
   * fail the ingest: the seal is stored and its {@code sealed} entry must follow, or a caller that
   * tried again would find the key taken; the ledger tries the lock again at that very append.
   */
  private void putSeal(ObjectKey sealKey, Seal seal) throws IOException {
    try {
      PermanentRecords.put(store, sealKey, seal.toJson());
    } catch (RecordNotRetainedException e) {
      ledger.lockLater(e);
    }
  }

  private LedgerEntry sealedEntry(String key, Seal seal, String actor) {
    Map<String, String> details = new TreeMap<>();
    seal.metadata()
        .ifPresent(
            md -> {
              md.deviceId().ifPresent(v -> details.put("device", v));
              md.officerId().ifPresent(v -> details.put("officer", v));
              md.recordingStart().ifPresent(v -> details.put("recordingStart", v.toString()));
              if (!md.caseIds().isEmpty()) {
                details.put("cases", String.join(",", md.caseIds()));
              }
            });
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(clock.instant())
        .actor(actor)
        .subject(key)
        .payloadDigest(seal.digest().hex())
        .details(details)
        .build();
  }

  /** How {@link #ingestOnce} went. */
  public enum IngestStatus {
    /**
     * Stored, sealed and logged now; also a recording lawfully disposed of that came in
     * again, logged anew under the seal kept for it ({@link IngestOutcome#disposedAt} says where it
     * was disposed of).
     */
    INGESTED,
    /**
     * An earlier ingest of the same bytes stopped part-way (content or seal stored, not logged):
     * the missing steps were done now, nothing was stored twice.
     */
    RESUMED,
    /** The same bytes were already fully ingested under this key: nothing was done. */
    ALREADY_INGESTED
  }

  /**
   * What {@link #ingestOnce} did.
   *
   * @param status what happened
   * @param key the recording's key
   * @param ledgerIndex the index of its {@code sealed} entry
   * @param seal the seal in force: the one given, or the one stored by the earlier ingest
   * @param disposedAt the index of the {@code disposed} entry when this recording had been disposed
   *     of under an approved plan and came in again (status {@link IngestStatus#INGESTED}: stored
   *     and logged again under its kept seal, as the ingest station reports it with {@code
   *     DISPOSED_BEFORE}); empty otherwise
   */
  public record IngestOutcome(
      IngestStatus status, String key, long ledgerIndex, Seal seal, OptionalLong disposedAt) {
    public IngestOutcome {
      requireNonNull(status, "status");
      requireNonNull(key, "key");
      requireNonNull(seal, "seal");
      requireNonNull(disposedAt, "disposedAt");
    }
  }

  /**
   * As {@link #ingest}, but idempotent and resumable: re-ingesting the same bytes under the
   * same key is recognised and stores nothing twice, and an ingest that stopped part-way (a crash
   * between storing the content, storing the seal and logging) is completed. Objects are
   * create-only, so nothing half-written is ever visible.
   *
   * @throws org.evidencekit.storage.ObjectExistsException if the key holds different bytes (or a
   *     seal of different bytes): nothing is changed
   * @throws IOException if the file does not match {@code seal}
   * @throws IllegalArgumentException as {@link #ingest} for a key no recording may take
   */
  public IngestOutcome ingestOnce(String key, Path file, Seal seal, String actor)
      throws IOException {
    requireNonNull(key, "key");
    requireNonNull(file, "file");
    requireNonNull(seal, "seal");
    requireNonNull(actor, "actor");
    checkRecordingKey(key);
    checkDevice(seal);
    ObjectKey content = ObjectKey.of(key);
    ObjectKey sealKey = ObjectKey.of(key + SEAL_SUFFIX);
    boolean haveContent = store.exists(content);
    boolean haveSeal = store.exists(sealKey);
    if (!haveContent && !haveSeal) {
      return new IngestOutcome(
          IngestStatus.INGESTED, key, ingest(key, file, seal, actor), seal, OptionalLong.empty());
    }
    try (FileChannel in = BoundedFiles.openRegularFile(file)) {
      requireIntact(in, seal, file);
    }
    Seal inForce = seal;
    if (haveSeal) {
      Seal stored = seal(key);
      if (!sameContent(stored, seal)) {
        throw new org.evidencekit.storage.ObjectExistsException(
            key + " is taken by a different recording (its stored seal differs)");
      }
      inForce = stored;
    }
    if (haveContent) {
      try (SeekableByteChannel ch = store.openRead(content)) {
        if (!Verifier.create().verify(ch, seal).isIntact()) {
          throw new org.evidencekit.storage.ObjectExistsException(
              key + " is taken by a different recording (its stored bytes differ)");
        }
      }
    }
    LedgerView view = ledger.view();
    OptionalLong logged = view.sealedIndex(key);
    if (haveContent && haveSeal && logged.isPresent()) {
      return new IngestOutcome(
          IngestStatus.ALREADY_INGESTED, key, logged.getAsLong(), inForce, OptionalLong.empty());
    }
    // disposed of under a plan, its seal kept for good: not a stopped ingest, a new one
    OptionalLong disposed = logged.isPresent() ? OptionalLong.empty() : view.disposedIndex(key);
    if (!haveContent) {
      try (FileChannel in = BoundedFiles.openRegularFile(file);
          WritableObject w = store.create(content)) {
        ChannelIo.copy(in, w);
        w.commit();
      }
    }
    if (haveSeal) {
      PermanentRecords.lock(store, sealKey); // its writer may have stopped before locking it
    } else {
      putSeal(sealKey, seal);
    }
    long index =
        logged.isPresent() ? logged.getAsLong() : ledger.append(sealedEntry(key, inForce, actor));
    return new IngestOutcome(
        disposed.isPresent() ? IngestStatus.INGESTED : IngestStatus.RESUMED,
        key,
        index,
        inForce,
        disposed);
  }

  private static void requireIntact(FileChannel in, Seal seal, Path file) throws IOException {
    VerificationReport r = Verifier.create().verify(in, seal);
    if (!r.isIntact()) {
      throw new IOException(file + " does not match its seal: " + r);
    }
  }

  /** Completes a raw seal (binds metadata, signs, timestamps); must not change what it seals. */
  @FunctionalInterface
  public interface SealFinisher {
    Seal finish(Seal raw) throws IOException;
  }

  /**
   * As {@link #ingestOnce(String, Path, Seal, String)}, reading the recording once: it is sealed
   * while it is copied into the store, {@code finisher} completes the seal (metadata, signature),
   * and only then is the content committed, so nothing unsealed is ever visible. When something is
   * already stored under the key, the file is sealed first and the resumable path is taken.
   *
   * @throws IllegalArgumentException if {@code finisher} returns a seal of other content
   */
  public IngestOutcome ingestOnce(
      String key,
      Path file,
      org.evidencekit.seal.Sealer sealer,
      SealFinisher finisher,
      String actor)
      throws IOException {
    requireNonNull(sealer, "sealer");
    requireNonNull(finisher, "finisher");
    requireNonNull(actor, "actor");
    ObjectKey content = ObjectKey.of(key);
    ObjectKey sealKey = ObjectKey.of(key + SEAL_SUFFIX);
    if (store.exists(content) || store.exists(sealKey)) {
      return ingestOnce(key, file, finisher.finish(sealer.seal(file)), actor);
    }
    Seal seal;
    try (FileChannel in = BoundedFiles.openRegularFile(file);
        WritableObject w = store.create(content);
        org.evidencekit.seal.SealingChannel sealing = sealer.newSealingChannel(w, in.size())) {
      ChannelIo.copy(in, sealing);
      Seal raw = sealing.finish();
      seal = finisher.finish(raw);
      if (seal.length() != raw.length() || !sameContent(raw, seal)) {
        throw new IllegalArgumentException("the finished seal is not a seal of the copied content");
      }
      checkDevice(seal);
      w.commit(); // visible only now, sealed
    }
    putSeal(sealKey, seal);
    return new IngestOutcome(
        IngestStatus.INGESTED,
        key,
        ledger.append(sealedEntry(key, seal, actor)),
        seal,
        OptionalLong.empty());
  }

  /** Same length, segment size and roots: seals of the same bytes. */
  private static boolean sameContent(Seal a, Seal b) {
    if (a.length() != b.length() || a.segmentSize() != b.segmentSize()) {
      return false;
    }
    for (org.evidencekit.hash.HashAlgorithm h : a.suite().algorithms()) {
      if (b.suite().algorithms().contains(h) && !a.root(h).equals(b.root(h))) {
        return false;
      }
    }
    return a.suite().algorithms().stream().anyMatch(b.suite().algorithms()::contains);
  }

  /**
   * A recording's latest {@code sealed} ledger entry and its index in the log.
   *
   * @param index the entry's index in the ledger
   * @param entry the entry
   */
  public record Sealed(long index, LedgerEntry entry) {}

  /**
   * The recordings in the archive: for each key, its latest {@code sealed} ledger entry with its
   * index (disposed recordings left out), in key order. Reads the ledger once.
   */
  public java.util.SortedMap<String, Sealed> sealedRecordings() throws IOException {
    java.util.SortedMap<String, Sealed> out = new TreeMap<>();
    sealedEntries().forEach((k, e) -> out.put(k, new Sealed(e.getKey(), e.getValue())));
    return out;
  }

  /**
   * Verifies one device's chain of seals as this archive holds it (R-07, R-18, Art. 21): the seal
   * of every {@code sealed} entry whose {@code device} detail is {@code deviceId}, those of
   * recordings disposed of included (their seals are kept for good, so a lawful disposal leaves the
   * chain whole), each read from the recording's seal object. A seal object that is gone or holds
   * another seal than the one logged leaves its link missing, which is what {@link
   * DeviceChain#verify} then reports.
   *
   * @return the chain's findings, empty if it is unbroken (or the device has no seal)
   */
  public List<DeviceChain.Finding> deviceChain(String deviceId) throws IOException {
    requireNonNull(deviceId, "deviceId");
    return DeviceChain.verify(deviceId, deviceSeals(deviceId));
  }

  /**
   * As {@link #deviceChain(String)}, each seal also checked on its own with {@code verifier}
   * ({@link DeviceChain#verify(String, List, Verifier)}): with the stations' trust anchors, a seal
   * no trusted station signed is {@link DeviceChain.Problem#UNTRUSTED}.
   */
  public List<DeviceChain.Finding> deviceChain(String deviceId, Verifier verifier)
      throws IOException {
    requireNonNull(deviceId, "deviceId");
    requireNonNull(verifier, "verifier");
    return DeviceChain.verify(deviceId, deviceSeals(deviceId), verifier);
  }

  /** The seal of every {@code sealed} entry logged for the device that reads as logged. */
  private List<Seal> deviceSeals(String deviceId) throws IOException {
    Map<String, Seal> byDigest = new LinkedHashMap<>();
    for (LedgerEntry e : ledger.entries()) {
      if (!e.type().equals(EntryType.SEALED)
          || !deviceId.equals(e.details().get("device"))
          || e.payloadDigest().isEmpty()
          || byDigest.containsKey(e.payloadDigest().get())) {
        continue;
      }
      Seal s;
      try {
        s = seal(e.subject());
      } catch (IOException | RuntimeException unreadable) {
        continue; // gone or damaged: its successor's link points at nothing
      }
      if (s.digest().hex().equals(e.payloadDigest().get())) {
        byDigest.put(e.payloadDigest().get(), s);
      }
    }
    return new ArrayList<>(byDigest.values());
  }

  /**
   * The stored seal of a recording, the object {@code key + SEAL_SUFFIX}.
   *
   * @param key the recording's key (as {@code IngestedRecording.key()} gives it), not its seal's
   * @throws NoSuchObjectException if no seal is stored for {@code key} (nothing was ingested under
   *     it, or its seal object is not written yet), naming the recording and the seal object, and
   *     saying so when {@code key} is itself a seal's key
   * @throws org.evidencekit.seal.SealFormatException if the stored object is not a readable seal
   */
  public Seal seal(String key) throws IOException {
    requireNonNull(key, "key");
    try {
      return ArchiveSweep.seal(store, key);
    } catch (NoSuchObjectException e) {
      throw new NoSuchObjectException(
          "no seal stored for recording "
              + key
              + " (no object "
              + key
              + SEAL_SUFFIX
              + ")"
              + (key.endsWith(SEAL_SUFFIX)
                  ? ": " + key + " is a seal's key; give its recording's key"
                  : ""),
          e);
    }
  }

  /**
   * The latest {@code sealed} entry of a live recording, with its ledger index, read through the
   * ledger's index rather than the whole log.
   *
   * @throws NoSuchObjectException if the key is not a live recording: never sealed, or disposed of
   *     (the message names the disposal's entry; the seal is kept for good)
   */
  private Map.Entry<Long, LedgerEntry> liveSealedEntry(String key) throws IOException {
    LedgerView view = ledger.view();
    java.util.OptionalLong i = view.sealedIndex(key);
    if (i.isPresent()) {
      return Map.entry(i.getAsLong(), ledger.entry(i.getAsLong()));
    }
    java.util.OptionalLong d = view.disposedIndex(key);
    throw new NoSuchObjectException(
        d.isPresent()
            ? key + " was disposed of at ledger entry " + d.getAsLong() + "; only its seal is kept"
            : "no sealed recording " + key);
  }

  /**
   * The latest {@code rewrapped} entry of a live recording since its {@code sealed} entry, or null
   * if its key was never rotated.
   */
  private @org.jspecify.annotations.Nullable LedgerEntry rewrapped(String key) throws IOException {
    OptionalLong i = ledger.rewrappedIndex(key);
    return i.isPresent() ? ledger.entry(i.getAsLong()) : null;
  }

  /** Latest {@code sealed} entry per recording key, with its ledger index. */
  private Map<String, Map.Entry<Long, LedgerEntry>> sealedEntries() throws IOException {
    Map<String, Map.Entry<Long, LedgerEntry>> out = new TreeMap<>();
    Set<String> disposed = new TreeSet<>();
    List<LedgerEntry> all = ledger.entries();
    for (int i = 0; i < all.size(); i++) {
      LedgerEntry e = all.get(i);
      if (e.type().equals(EntryType.SEALED)) {
        // the first since its last disposal: a recording is sealed once, and a later entry for it
        // logs a substitute
        if (disposed.remove(e.subject()) || !out.containsKey(e.subject())) {
          out.put(e.subject(), Map.entry((long) i, e));
        }
      } else if (e.type().equals(EntryType.DISPOSED)) {
        disposed.add(e.objectKey());
      }
    }
    out.keySet().removeAll(disposed);
    return out;
  }

  /**
   * Walks every object and every {@code sealed} ledger entry: re-verifies each recording
   * against its seal and the seal against the digest the ledger recorded. Never skips: an object
   * that cannot be read is reported as damaged with the reason, and each key is reported once.
   *
   * @param progress called after each recording with (done, total); may be null
   */
  public SweepReport sweep(java.util.function.BiConsumer<Integer, Integer> progress)
      throws IOException {
    return sweep(progress, List.of());
  }

  /**
   * As {@link #sweep(java.util.function.BiConsumer)}; encrypted recordings are decrypted with
   * {@code keks} and their plaintext verified against the seal. An encrypted recording whose key is
   * not given is reported {@code NOT_CHECKED} after its structure is checked.
   */
  public SweepReport sweep(
      java.util.function.BiConsumer<Integer, Integer> progress,
      List<? extends org.evidencekit.crypt.KeyEncryptionKey> keks)
      throws IOException {
    return sweep(store, progress, keks);
  }

  /**
   * Sweeps the archive kept in {@code store} without opening its ledger, so that a ledger which no
   * longer opens (a damaged or missing batch) is itself reported {@code DAMAGED} while every
   * readable recording is still checked against its seal and the entries that can be read.
   */
  public static SweepReport sweep(
      EvidenceStore store,
      java.util.function.BiConsumer<Integer, Integer> progress,
      List<? extends org.evidencekit.crypt.KeyEncryptionKey> keks)
      throws IOException {
    requireNonNull(store, "store");
    requireNonNull(keks, "keks");
    return ArchiveSweep.sweep(store, progress, keks);
  }

  /**
   * Checks, without any key, a recording's stored ciphertext against its {@code sealed} entry, as
   * {@link #sweep} does: that it holds the seal's length and, where the entry logged them, that its
   * header names the suite and key id and carries the nonce prefix of the ciphertext stored at
   * ingest, so that another encryption of the recording put in its place is told apart (R-05, R-19,
   * For sweeps that read the ledger elsewhere (the Spark sweep).
   *
   * @throws org.evidencekit.crypt.DecryptionException if the ciphertext is not whole, or not the
   *     one the entry logged
   */
  public static void checkStoredCiphertext(
      SeekableByteChannel ciphertext, Seal seal, LedgerEntry sealed) throws IOException {
    requireNonNull(ciphertext, "ciphertext");
    requireNonNull(seal, "seal");
    requireNonNull(sealed, "sealed");
    ArchiveSweep.checkAsLogged(ciphertext, seal, sealed.details());
  }

  /**
   * As {@link #checkStoredCiphertext(SeekableByteChannel, Seal, LedgerEntry)} for a recording whose
   * key-encryption key was rotated: {@code rewrapped} is the latest {@code rewrapped} entry logged
   * for it since {@code sealed} ({@link #rewrap}), whose key id the header must name.
   *
   * @throws IllegalArgumentException if {@code rewrapped} is not a {@code rewrapped} entry of the
   *     recording {@code sealed} logged
   */
  public static void checkStoredCiphertext(
      SeekableByteChannel ciphertext, Seal seal, LedgerEntry sealed, LedgerEntry rewrapped)
      throws IOException {
    requireNonNull(ciphertext, "ciphertext");
    requireNonNull(seal, "seal");
    requireNonNull(sealed, "sealed");
    requireNonNull(rewrapped, "rewrapped");
    if (!rewrapped.type().equals(EntryType.REWRAPPED)
        || !rewrapped.subject().equals(sealed.subject())) {
      throw new IllegalArgumentException(
          "not a rewrapped entry of " + sealed.subject() + ": " + rewrapped.type());
    }
    ArchiveSweep.checkAsLogged(
        ciphertext, seal, ArchiveSweep.asLogged(sealed.details(), rewrapped));
  }

  /**
   * Stores a recording encrypted at rest with its seal and logs a {@code sealed} entry. The
   * file is sealed again while it is encrypted, with the seal's suite and segment size; if the
   * roots differ from {@code seal}'s, nothing is kept. The ciphertext is bound to the seal.
   *
   * @return the ledger index of the {@code sealed} entry
   */
  public long ingestEncrypted(
      String key,
      Path file,
      Seal seal,
      org.evidencekit.crypt.AeadSuite suite,
      org.evidencekit.crypt.KeyEncryptionKey kek,
      String actor)
      throws IOException {
    requireNonNull(key, "key");
    requireNonNull(file, "file");
    requireNonNull(seal, "seal");
    requireNonNull(suite, "suite");
    requireNonNull(kek, "kek");
    requireNonNull(actor, "actor");
    checkDevice(seal);
    ObjectKey content = ObjectKey.of(key);
    String noncePrefix;
    org.evidencekit.seal.Sealer sealer =
        org.evidencekit.seal.Sealer.builder()
            .suite(seal.suite())
            .segmentSize(seal.segmentSize())
            .build();
    try (FileChannel in = BoundedFiles.openRegularFile(file);
        WritableObject w = store.create(content)) {
      Seal made;
      try (org.evidencekit.crypt.EncryptingChannel enc =
          org.evidencekit.crypt.EncryptingChannel.create(
              w, sealer, suite, 1 << 20, kek, in.size())) {
        ChannelIo.copy(in, enc);
        made = enc.finish();
        noncePrefix = enc.noncePrefix();
      }
      if (!made.roots().equals(seal.roots()) || made.length() != seal.length()) {
        w.abort();
        throw new IOException(file + " does not match its seal; nothing was stored");
      }
      w.commit();
    }
    putSeal(ObjectKey.of(key + SEAL_SUFFIX), seal);
    Map<String, String> details = new TreeMap<>();
    seal.metadata().flatMap(RecordingMetadata::deviceId).ifPresent(v -> details.put("device", v));
    seal.metadata().flatMap(RecordingMetadata::officerId).ifPresent(v -> details.put("officer", v));
    details.put(ArchiveSweep.ENCRYPTION, suite.id());
    details.put(ArchiveSweep.KEK, kek.keyId());
    // binds the one ciphertext stored now: another encryption of the same plaintext put in its
    // place later decrypts and verifies as before, but has another prefix
    details.put(ArchiveSweep.NONCE_PREFIX, noncePrefix);
    return ledger.append(
        LedgerEntry.builder()
            .type(EntryType.SEALED)
            .time(clock.instant())
            .actor(actor)
            .subject(key)
            .payloadDigest(seal.digest().hex())
            .details(details)
            .build());
  }

  /**
   * Key rotation of a recording stored encrypted: its data key is re-wrapped under {@code
   * newKek} ({@link org.evidencekit.crypt.EncryptedRecording#rewrap}: segments and nonce prefix
   * stay as they are), the stored ciphertext is replaced by the re-wrapped one, and a {@code
   * rewrapped} entry logs the recording, the key ids before and after, the unchanged nonce prefix,
   * who and why. Sweeps and exports then expect the new key id; a header whose key id changed
   * without such an entry stays {@code DAMAGED}.
   *
   * <p>Before anything changes the stored ciphertext is checked against what the ledger logged of
   * it (length, suite, key id, nonce prefix) and its data key unwrapped with {@code oldKek}, whose
   * key id must be the logged one. A ciphertext found already re-wrapped under {@code newKek} but
   * not logged (a rotation that stopped before its entry, or one done by hand with {@link
   * org.evidencekit.crypt.EncryptedRecording#rewrap}) is checked the same way, must open with
   * {@code newKek} and authenticate against the seal, and is only logged.
   *
   * <p>Objects are create-only: the stored ciphertext is deleted and the re-wrapped one created in
   * its place. The re-wrapped copy is made and checked in a temporary file and stored as an object
   * of its own under {@code ledger/rewrap/} before the delete, so the store always holds a checked
   * ciphertext of the recording: should the process stop (or the store fail) between the delete and
   * the new object, running the rotation again with the same keys finds the copy, checks it, stores
   * it in place and logs the rotation. A recording under retention or a legal hold cannot be
   * deleted, so it cannot be rotated in place: refused with nothing changed.
   *
   * @return the index of the {@code rewrapped} entry
   * @throws NoSuchObjectException if {@code key} is not a live recording, or its content is gone
   *     and no copy kept by a rotation that stopped checks out under {@code newKek}
   * @throws LedgerException if its stored seal is not the one logged, or it is not logged as stored
   *     encrypted
   * @throws org.evidencekit.crypt.DecryptionException if the stored ciphertext is not the one
   *     logged, or {@code oldKek} does not unwrap its data key (nothing changed)
   * @throws org.evidencekit.storage.RetentionLockedException if the store keeps the recording for
   *     now (nothing changed)
   * @throws IllegalArgumentException if {@code oldKek} does not have the key id logged for it
   */
  public long rewrap(
      String key,
      org.evidencekit.crypt.KeyEncryptionKey oldKek,
      org.evidencekit.crypt.KeyEncryptionKey newKek,
      String actor,
      String reason)
      throws IOException {
    requireNonNull(key, "key");
    requireNonNull(oldKek, "oldKek");
    requireNonNull(newKek, "newKek");
    requireNonNull(actor, "actor");
    requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a key rotation needs a reason");
    }
    Map.Entry<Long, LedgerEntry> sealed = liveSealedEntry(key);
    return new KeyRotation(store, ledger, clock)
        .rewrap(key, sealed, seal(key), rewrapped(key), oldKek, newKek, actor, reason);
  }

  /**
   * A spot check of the recordings {@code criteria} select: {@link #spotCheck(LogCheckpoint,
   * WitnessPolicy, int, String, Predicate, String)} with the criteria's {@link
   * SpotCheckCriteria#text() text} as the seed's and the entries' criteria and the criteria as the
   * filter.
   *
   * @throws LedgerException if the checkpoint is not of this ledger or lacks the witnesses' quorum
   */
  public SpotCheckResult spotCheck(
      LogCheckpoint checkpoint,
      WitnessPolicy witnesses,
      int count,
      SpotCheckCriteria criteria,
      String actor)
      throws IOException {
    requireNonNull(criteria, "criteria");
    return spotCheck(checkpoint, witnesses, count, criteria.text(), criteria, actor);
  }

  /**
   * Selects {@code count} recordings matching {@code filter} with a seed from a checkpoint of this
   * ledger cosigned by the witnesses {@code witnesses} requires (R-17, Art. 20), verifies them, and
   * appends a {@code spot-checked} entry per recording. Anyone holding the cosigned checkpoint and
   * the same candidate list re-derives the selection with {@link #select}; nobody could know or
   * steer it before the witnesses signed, since their signatures are part of the seed.
   *
   * @throws LedgerException if the checkpoint is not of this ledger or lacks the witnesses' quorum
   */
  public SpotCheckResult spotCheck(
      LogCheckpoint checkpoint,
      WitnessPolicy witnesses,
      int count,
      String criteria,
      Predicate<Seal> filter,
      String actor)
      throws IOException {
    requireNonNull(checkpoint, "checkpoint");
    requireNonNull(witnesses, "witnesses");
    requireNonNull(criteria, "criteria");
    requireNonNull(filter, "filter");
    requireNonNull(actor, "actor");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (!ledger.isStateOfThisLog(checkpoint)) {
      throw new LedgerException("the checkpoint is not of this ledger: " + checkpoint);
    }
    Map<String, java.time.Instant> cosigned = witnesses.cosignatures(checkpoint);
    List<String> candidates = new ArrayList<>();
    Map<String, Map.Entry<Long, LedgerEntry>> logged = sealedEntries();
    for (Map.Entry<String, Map.Entry<Long, LedgerEntry>> e : logged.entrySet()) {
      if (e.getValue().getKey() >= checkpoint.size()) {
        continue; // sealed after the checkpoint: not in the population it fixes
      }
      Seal s;
      try {
        s = seal(e.getKey());
      } catch (IOException ex) {
        candidates.add(e.getKey()); // a missing seal must not shrink the population
        continue;
      }
      if (!s.digest().hex().equals(e.getValue().getValue().payloadDigest().orElse(""))) {
        // not the seal the ledger logged: what it says (its device, officer, start) is not
        // vouched for, and a substitute signed with a stolen station key must not steer the
        // recording out of the population it belongs to
        candidates.add(e.getKey());
        continue;
      }
      if (filter.test(s)) {
        candidates.add(e.getKey());
      }
    }
    List<String> chosen = select(checkpoint, witnesses, criteria, candidates, count);
    Verifier verifier = Verifier.create();
    Map<String, SweepReport.Item> results = new LinkedHashMap<>();
    for (String k : chosen) {
      SweepReport.Item item =
          ArchiveSweep.check(store, k, logged.get(k), rewrapped(k), verifier, List.of());
      results.put(k, item);
      ledger.append(
          LedgerEntry.builder()
              .type(EntryType.SPOT_CHECKED)
              .time(clock.instant())
              .actor(actor)
              .subject(k)
              .details(
                  Map.of(
                      "checkpointSize",
                      Long.toString(checkpoint.size()),
                      "checkpointRoot",
                      checkpoint.root().hex(),
                      "witnesses",
                      String.join(",", cosigned.keySet()),
                      "criteria",
                      criteria,
                      "result",
                      item.status().name(),
                      "population",
                      Integer.toString(candidates.size())))
              .build());
    }
    return new SpotCheckResult(checkpoint, criteria, candidates.size(), results);
  }

  /**
   * The deterministic selection: candidates ordered by SHA-256(seed || key), the first {@code
   * count} taken, where seed = SHA-256("evidencekit.spot-check/2\n" || criteria || "\n" ||
   * checkpoint text || the verified cosignature lines of the policy's witnesses, in name order).
   *
   * @throws LedgerException if fewer witnesses than the policy's quorum cosigned the checkpoint
   */
  public static List<String> select(
      LogCheckpoint checkpoint,
      WitnessPolicy witnesses,
      String criteria,
      List<String> candidates,
      int count)
      throws LedgerException {
    requireNonNull(checkpoint, "checkpoint");
    requireNonNull(witnesses, "witnesses");
    requireNonNull(criteria, "criteria");
    requireNonNull(candidates, "candidates");
    byte[] label =
        ("evidencekit.spot-check/2\n" + criteria + "\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] material = witnesses.seedMaterial(checkpoint);
    byte[] seedInput = new byte[label.length + material.length];
    System.arraycopy(label, 0, seedInput, 0, label.length);
    System.arraycopy(material, 0, seedInput, label.length, material.length);
    byte[] seed = HashAlgorithm.SHA256.hash(seedInput).toByteArray();
    Map<String, String> rank = new HashMap<>();
    for (String c : new TreeSet<>(candidates)) {
      byte[] key = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] in = new byte[seed.length + key.length];
      System.arraycopy(seed, 0, in, 0, seed.length);
      System.arraycopy(key, 0, in, seed.length, key.length);
      rank.put(c, HashAlgorithm.SHA256.hash(in).hex());
    }
    return rank.keySet().stream()
        .sorted(Comparator.comparing(rank::get))
        .limit(count)
        .collect(Collectors.toList());
  }

  /**
   * Records an export: appends who, why and to whom, signs a fresh checkpoint, and returns
   * the proof bundle that travels with the copy. The bundle proves the recording's {@code sealed}
   * entry against the newest stored checkpoint of this key and origin that holds it and for which
   * the log keeps witness cosignatures ({@link EvidenceLedger#keepCosignatures}), carrying those
   * cosignature lines in its checkpoint note; without one, against the fresh checkpoint.
   * Those lines are not verified here: lines planted in the store can make it pick a checkpoint the
   * real witnesses never cosigned. Give the witnesses ({@link #export(String, String, String,
   * String, SigningKeyProvider, WitnessPolicy)}) when the bundle must pass a check with them.
   *
   * <p>Before anything is logged the stored content is checked, cheaply: it must be there, a
   * regular object the store can open, and of the size its seal says (for a copy encrypted at rest,
   * a ciphertext's header and size for that many bytes). Its bytes are not re-read: the sweep
   * verifies them, {@link #exportDecrypted} too.
   *
   * @throws NoSuchObjectException if the key is not a live recording, or its content is missing
   * @throws LedgerException if its stored seal is not the logged one, or its content is not of the
   *     sealed size; nothing is logged
   */
  public ProofBundle export(
      String key, String actor, String reason, String recipient, SigningKeyProvider checkpointKey)
      throws IOException {
    return export(key, actor, reason, recipient, checkpointKey, Optional.empty());
  }

  /**
   * As {@link #export(String, String, String, String, SigningKeyProvider)}, proving against the
   * newest stored checkpoint holding the entry that a quorum of {@code witnesses} cosigned in the
   * lines the log keeps, carrying only their verified lines; without one, against the fresh
   * checkpoint (the bundle then fails a check with these witnesses). Whoever can write the store
   * can plant lines of witnesses of their own in {@code ledger/cosignatures/}, for any checkpoint
   * the log stores: without the witnesses' keys an export cannot tell those from the real ones and
   * may prove against a checkpoint that carries only them; told the witnesses, it cannot be misled
   * (R-18, R-19, R-20).
   */
  public ProofBundle export(
      String key,
      String actor,
      String reason,
      String recipient,
      SigningKeyProvider checkpointKey,
      WitnessPolicy witnesses)
      throws IOException {
    requireNonNull(witnesses, "witnesses");
    return export(key, actor, reason, recipient, checkpointKey, Optional.of(witnesses));
  }

  private ProofBundle export(
      String key,
      String actor,
      String reason,
      String recipient,
      SigningKeyProvider checkpointKey,
      Optional<WitnessPolicy> witnesses)
      throws IOException {
    requireNonNull(key, "key");
    requireNonNull(reason, "reason");
    requireNonNull(recipient, "recipient");
    requireNonNull(checkpointKey, "checkpointKey");
    Map.Entry<Long, LedgerEntry> sealed = liveSealedEntry(key);
    Seal seal = seal(key);
    if (!seal.digest().hex().equals(sealed.getValue().payloadDigest().orElse(""))) {
      throw new LedgerException(
          "the stored seal of " + key + " is not the one the ledger recorded; refusing to export");
    }
    checkContentWhole(key, sealed, seal);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.EXPORTED)
            .time(clock.instant())
            .actor(actor)
            .subject(key)
            .payloadDigest(seal.digest().hex())
            .details(Map.of("reason", reason, "to", recipient))
            .build());
    LogCheckpoint signed = ledger.checkpoint(logName(checkpointKey), checkpointKey);
    // no witness has seen the checkpoint just signed; one they cosigned is what a court can check
    // without relying on the ledger's key alone, so the bundle proves against the newest
    // of those that holds the entry, carrying the cosignatures the log keeps for it
    LogCheckpoint cp =
        ledger
            .newestCosigned(
                sealed.getKey(),
                signed,
                TrustAnchors.ofPublicKeys(List.of(checkpointKey.publicKeyDer())),
                witnesses)
            .orElse(signed);
    InclusionProof proof = ledger.proveInclusion(sealed.getKey(), cp.size());
    return new ProofBundle(seal, sealed.getValue(), proof, cp);
  }

  /**
   * An export must not log a copy of content that is not there: the stored object is
   * opened (the store refuses a pipe or device planted as its content) and its size compared with
   * the seal's, without reading its bytes. A ciphertext is also checked, without any key, against
   * what the {@code sealed} entry logged of it (suite, key id, the nonce prefix of the one stored
   * at ingest); and a recording logged as stored encrypted but found in the clear is refused: its
   * plaintext was put in the ciphertext's place, an incident to look into before any copy
   * goes out under the ledger's name.
   */
  private void checkContentWhole(String key, Map.Entry<Long, LedgerEntry> sealed, Seal seal)
      throws IOException {
    Map<String, String> details =
        ArchiveSweep.asLogged(sealed.getValue().details(), rewrapped(key));
    try (SeekableByteChannel ch = store.openRead(ObjectKey.of(key))) {
      if (org.evidencekit.crypt.EncryptedRecording.looksEncrypted(ch)) {
        try {
          ArchiveSweep.checkAsLogged(ch, seal, details);
        } catch (org.evidencekit.crypt.DecryptionException e) {
          throw new LedgerException(
              "the stored content of "
                  + key
                  + " (encrypted) is not whole or not the one stored: "
                  + e.getMessage()
                  + "; refusing to export");
        }
      } else if (details.containsKey(ArchiveSweep.ENCRYPTION)) {
        throw new LedgerException(
            "the stored content of "
                + key
                + " is unencrypted, but ledger entry "
                + sealed.getKey()
                + " logged it as stored encrypted with "
                + details.get(ArchiveSweep.ENCRYPTION)
                + ": the ciphertext was replaced by the plaintext; refusing to export");
      } else if (ch.size() != seal.length()) {
        throw new LedgerException(
            "the stored content of "
                + key
                + " has "
                + ch.size()
                + " bytes, its seal "
                + seal.length()
                + " (truncated, extended or replaced); refusing to export");
      }
    } catch (NoSuchObjectException e) {
      throw new NoSuchObjectException(
          "the content of "
              + key
              + " is missing (sealed at ledger entry "
              + sealed.getKey()
              + ", never disposed of); refusing to export");
    }
  }

  /**
   * The origin of the newest stored checkpoint if this key signed it as a note, else the key's
   * {@link EvidenceLedger#defaultOrigin}: a log its operator named keeps that name in the
   * checkpoints exports sign, so a witness that follows the name can cosign them too.
   */
  private String logName(SigningKeyProvider key) throws IOException {
    Optional<LogCheckpoint> latest;
    try {
      latest = ledger.latestCheckpoint();
    } catch (LedgerException e) {
      return EvidenceLedger.defaultOrigin(key); // an unreadable one names nothing
    }
    if (latest.isPresent()
        && latest.get().isNote()
        && latest.get().verify(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer())))) {
      return latest.get().origin();
    }
    return EvidenceLedger.defaultOrigin(key);
  }

  /**
   * An authorised export of an encrypted recording's plaintext: decrypts it to {@code
   * plaintext}, verifying every byte against the seal, and only then logs the export and returns
   * the proof bundle. If decryption fails nothing is logged (and {@code plaintext} holds a prefix
   * the caller must discard).
   *
   * @throws org.evidencekit.crypt.DecryptionException if the stored copy does not decrypt, or is
   *     stored unencrypted (export that with {@link #export})
   */
  public ProofBundle exportDecrypted(
      String key,
      String actor,
      String reason,
      String recipient,
      SigningKeyProvider checkpointKey,
      List<? extends org.evidencekit.crypt.KeyEncryptionKey> keks,
      java.nio.channels.WritableByteChannel plaintext)
      throws IOException {
    return exportDecrypted(
        key, actor, reason, recipient, checkpointKey, Optional.empty(), keks, plaintext);
  }

  /**
   * As {@link #exportDecrypted(String, String, String, String, SigningKeyProvider, List,
   * java.nio.channels.WritableByteChannel)}, the bundle proving against a checkpoint these
   * witnesses cosigned, as {@link #export(String, String, String, String, SigningKeyProvider,
   * WitnessPolicy)} does.
   */
  public ProofBundle exportDecrypted(
      String key,
      String actor,
      String reason,
      String recipient,
      SigningKeyProvider checkpointKey,
      WitnessPolicy witnesses,
      List<? extends org.evidencekit.crypt.KeyEncryptionKey> keks,
      java.nio.channels.WritableByteChannel plaintext)
      throws IOException {
    requireNonNull(witnesses, "witnesses");
    return exportDecrypted(
        key, actor, reason, recipient, checkpointKey, Optional.of(witnesses), keks, plaintext);
  }

  private ProofBundle exportDecrypted(
      String key,
      String actor,
      String reason,
      String recipient,
      SigningKeyProvider checkpointKey,
      Optional<WitnessPolicy> witnesses,
      List<? extends org.evidencekit.crypt.KeyEncryptionKey> keks,
      java.nio.channels.WritableByteChannel plaintext)
      throws IOException {
    requireNonNull(keks, "keks");
    requireNonNull(plaintext, "plaintext");
    Seal seal = seal(key);
    try (SeekableByteChannel ch = store.openRead(ObjectKey.of(key))) {
      // a ciphertext is always longer than its plaintext (header, one tag per segment)
      if (ch.size() == seal.length()) {
        throw new org.evidencekit.crypt.DecryptionException(
            key
                + " is stored unencrypted (its "
                + seal.length()
                + " bytes are the sealed recording itself): export it without decrypting");
      }
      // before a byte is decrypted: another encryption put in the stored one's place decrypts
      // and verifies, and would be written out before the export's own check refused it
      ArchiveSweep.checkAsLogged(
          ch,
          seal,
          ArchiveSweep.asLogged(liveSealedEntry(key).getValue().details(), rewrapped(key)));
      org.evidencekit.crypt.EncryptedRecording r =
          org.evidencekit.crypt.EncryptedRecording.open(ch, seal, keks);
      ChannelIo.copy(
          Verifier.create().newVerifyingChannel(r.newPlaintextChannel(), seal), plaintext);
    }
    return export(key, actor, reason + " (decrypted)", recipient, checkpointKey, witnesses);
  }

  /** Device of a seal, for filters. */
  public static Optional<String> device(Seal s) {
    return s.metadata().flatMap(RecordingMetadata::deviceId);
  }

  /** Recording start of a seal, for period filters. */
  public static Optional<java.time.Instant> recordingStart(Seal s) {
    return s.metadata().flatMap(RecordingMetadata::recordingStart);
  }

  /** Officer of a seal, for filters. */
  public static Optional<String> officer(Seal s) {
    return s.metadata().flatMap(RecordingMetadata::officerId);
  }
}
