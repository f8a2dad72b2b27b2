package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.crypt.EncryptingObject;
import org.evidencekit.crypt.KeyEncryptionKey;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerView;
import org.evidencekit.ledger.PendingLocks;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.ledger.RecordNotRetainedException;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.seal.SealRun;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.verify.Verifier;
import org.jspecify.annotations.Nullable;

/**
 * Puts one recording into the archive so that any number of stations can do the same at once:
 *
 * <ol>
 *   <li>the content is sealed while it is copied into a create-only object (a concurrent or earlier
 *       copy of the same bytes is recognised by verifying it against this seal);
 *   <li>the seal is completed with the device chain's current tip as its predecessor, signed, and
 *       staged (create-only), so a crash after logging never loses the exact seal that was logged:
 *       a group's seals in one object, a seal per line ({@code ledger/seals/SHA256.seals.jsonl},
 *       named in each entry's {@value #STAGED_IN} detail), a recording logged on its own under its
 *       seal's digest ({@code ledger/seals/DIGEST.seal.json});
 *   <li>the {@code sealed} entry is appended only if the recording has none and the device's tip is
 *       still that predecessor ({@link EvidenceLedger#appendIf}): the ledger's create-only batches
 *       make this one atomic step across processes; if another station moved the tip, the seal is
 *       completed again on the new tip (no rehash) and the step retried;
 *   <li>the seal is stored at {@code KEY.seal.json}, where verifiers and the sweep read it.
 * </ol>
 *
 * Each recording thus gets exactly one {@code sealed} entry and each device one unbroken chain,
 * whatever the interleaving.
 *
 * <p>A station's run goes through it in two steps that overlap: {@link #store} for each recording
 * (sealed as copied, in one {@link SealRun}; commits on committer threads), and {@link #logRun} for
 * consecutive groups of them on another thread while later files are still hashed: it waits for the
 * group's commits, chains its new recordings to each other and appends their entries in one
 * conditional batch ({@link EvidenceLedger#appendAllIf}), each entry still under the two conditions
 * above; a link another station raced goes through the steps one by one. {@link #store} and {@link
 * #logRun} may run on two threads at once; neither is for more threads than that.
 */
final class ArchiveWriter {
  static final String STAGED = "ledger/seals/";

  /** The suffix of an object holding a group's staged seals, one per line. */
  static final String STAGED_GROUP_SUFFIX = ".seals.jsonl";

  /** The {@code sealed} entry's detail naming the object its seal was staged in (a group's). */
  static final String STAGED_IN = "stagedIn";

  /**
   * A group's seals are staged in objects of about this many bytes at most (a seal larger than it
   * gets an object of its own): a re-run that completes one seal object reads no more than that.
   */
  private static final int MAX_STAGE_BYTES = 8 * 1024 * 1024;

  private static final int MAX_SEAL_BYTES = 64 * 1024 * 1024;
  private static final int MAX_ATTEMPTS = 1000;

  private final EvidenceStore store;
  private final EvidenceLedger ledger;
  private final @Nullable AeadSuite aead;
  private final @Nullable KeyEncryptionKey kek;

  /** Seals committed whose lock failed; see {@link #put}. */
  private final PendingLocks toLock;

  ArchiveWriter(
      EvidenceStore store,
      EvidenceLedger ledger,
      @Nullable AeadSuite aead,
      @Nullable KeyEncryptionKey kek) {
    this.store = store;
    this.toLock = new PendingLocks(store, ArchiveWriter.class);
    this.ledger = ledger;
    this.aead = aead;
    this.kek = kek;
  }

  /**
   * What writing one recording came to.
   *
   * @param key where the recording is stored when that is not the key it was given (its own was
   *     taken by other bytes: {@link TakenNames}); null when it is the key it was given
   * @param ours on a {@code CONFLICT} because the key it was given holds (or is logged with) other
   *     bytes: the seal of the recording's own bytes, from which the key it goes to instead
   *     follows; null otherwise
   */
  record Outcome(
      IngestStatus status,
      @Nullable Seal seal,
      long ledgerIndex,
      List<IngestFinding> findings,
      @Nullable ObjectKey key,
      @Nullable Seal ours) {
    Outcome(
        IngestStatus status, @Nullable Seal seal, long ledgerIndex, List<IngestFinding> findings) {
      this(status, seal, ledgerIndex, findings, null, null);
    }
  }

  /** Completes a raw seal for a given predecessor (metadata, signature, timestamp). */
  @FunctionalInterface
  interface Finisher {
    Seal finish(Seal raw, Optional<String> previousSealDigest, Instant ingestTime)
        throws IOException;
  }

  /**
   * A recording's content in the store, sealed, not logged yet: {@link #logRun} logs it. Either
   * {@code raw} is the seal of the stored bytes, or {@code failed} says why there is nothing to
   * log.
   */
  static final class Stored {
    final ObjectKey content;
    final Finisher finisher;
    final @Nullable Seal raw;
    final @Nullable Outcome failed;
    final boolean existedAtStart;
    final boolean storedNow;
    final boolean loggedAtStart;

    /**
     * How the content is stored encrypted, as its entry logs it: the ciphertext this
     * run stored, or the one an earlier run left that this run decrypted and found to be the
     * recording; null when it is stored unencrypted. Logged so that another encryption put in its
     * place, or a plaintext, is told apart.
     */
    final @Nullable StoredCipher cipher;

    /** The content's commit, still running; null once known to be done. */
    final java.util.concurrent.@Nullable Future<?> commit;

    /** The seal, while the content is still being sealed in a {@link SealRun}; else null. */
    java.util.concurrent.@Nullable CompletableFuture<Seal> sealing;

    /** Stores the recording again on its own, should its run fail before sealing it. */
    java.util.function.@Nullable Supplier<Stored> retry;

    /**
     * Stores the recording on its own under another key: the one derived from its content, when the
     * key it was given is taken by other bytes (R-13: a recording is never turned away).
     */
    java.util.function.@Nullable Function<ObjectKey, Stored> elsewhere;

    /** The key the recording was given and could not take (other bytes hold it); else null. */
    @Nullable ObjectKey taken;

    private Stored(
        ObjectKey content,
        Finisher finisher,
        @Nullable Seal raw,
        @Nullable Outcome failed,
        boolean existedAtStart,
        boolean storedNow,
        boolean loggedAtStart,
        @Nullable StoredCipher cipher,
        java.util.concurrent.@Nullable Future<?> commit) {
      this.content = content;
      this.finisher = finisher;
      this.raw = raw;
      this.failed = failed;
      this.existedAtStart = existedAtStart;
      this.storedNow = storedNow;
      this.loggedAtStart = loggedAtStart;
      this.cipher = cipher;
      this.commit = commit;
    }

    static Stored failed(ObjectKey content, Outcome o) {
      return new Stored(content, (r, p, t) -> r, null, o, false, false, false, null, null);
    }

    /** Whether sealing and commit are over (either way): {@link #logRun} would not wait for it. */
    boolean settled() {
      java.util.concurrent.CompletableFuture<Seal> s = sealing;
      return (s == null || s.isDone()) && (commit == null || commit.isDone());
    }

    /** Waits until {@link #settled}; how it ended is for {@link #logRun} to find out. */
    void awaitSettled() {
      java.util.concurrent.CompletableFuture<Seal> s = sealing;
      if (s != null) {
        awaitQuietly(s);
      }
      awaitQuietly(commit);
    }
  }

  /**
   * Puts a recording's content into the store, sealed as it is copied (or, when the key already
   * holds content, seals the source and checks that the stored bytes are the same).
   *
   * @param retention the retention a new copy is committed with where the store can ({@link
   *     WritableObject#retainOnCommit}), or null for none; only for a recording with no seal yet
   *     (neither logged nor left as a seal object), whose seal this run makes. Asked when the copy
   *     is created and, if it had none then, again just before the commit (an archive with no
   *     entries gives one only once the run has logged its first group)
   */
  Stored store(
      RecordingSource source,
      ObjectKey content,
      Sealer sealer,
      @Nullable SealRun run,
      Finisher finisher,
      LongConsumer progress,
      Supplier<@Nullable Instant> retention) {
    Stored s = storeAt(source, content, sealer, run, finisher, progress, retention);
    s.elsewhere = k -> storeAt(source, k, sealer, null, finisher, progress, retention);
    return s;
  }

  private Stored storeAt(
      RecordingSource source,
      ObjectKey content,
      Sealer sealer,
      @Nullable SealRun run,
      Finisher finisher,
      LongConsumer progress,
      Supplier<@Nullable Instant> retention) {
    boolean existedAtStart;
    boolean storedNow = false;
    boolean loggedAtStart = ledger.view().sealedIndex(content.value()).isPresent();
    Seal raw = null;
    java.util.concurrent.Future<?> commit = null;
    java.util.concurrent.CompletableFuture<Seal> sealing = null;
    StoredCipher cipher = null;
    try {
      existedAtStart = store.exists(content);
      if (!existedAtStart
          && (loggedAtStart || ledger.view().disposedIndex(content.value()).isPresent())) {
        // The key has a seal already (logged, its content lost or removed once its retention
        // ended; or kept for good when it was disposed of): restored there only if this is that
        // recording. Sealed first, so another recording's bytes never go where that seal says
        // other bytes belong; a restore reads the file twice.
        Seal ours = sealOnly(source, sealer, progress);
        Seal claimed = claimedSeal(content, true);
        if (claimed != null && !sameContent(claimed, ours)) {
          return Stored.failed(
              content,
              taken(
                  content.value() + " has a seal of other bytes (its content is not in the store)",
                  ours));
        }
      }
      if (!existedAtStart) {
        // Content restored for a recording logged before (lost, or removed once its retention
        // ended): its decision counts from that seal's ingest time, before this run's, so the
        // caller's retention could be longer than it, and retention cannot be shortened. Set
        // after the commit, with the decision (copySealed does the same for a legacy seal).
        Supplier<@Nullable Instant> retain = loggedAtStart ? () -> null : retention;
        try {
          // content restored for a logged recording is stored in the form its entry names
          String prefix = loggedAtStart ? loggedNoncePrefix(content) : null;
          Copy c = copySealed(source, content, sealer, run, progress, retain, prefix);
          if (c.raw().isDone() && !c.raw().isCompletedExceptionally()) {
            raw = c.raw().join();
          } else {
            sealing = c.raw();
          }
          commit = c.commit();
          cipher = c.noncePrefix() == null ? null : storedNow(c.noncePrefix());
          storedNow = true;
        } catch (ObjectExistsException e) {
          raw = null; // another station committed the same key meanwhile: compared below
        }
      }
      if (raw == null && sealing == null) {
        raw = sealOnly(source, sealer, progress);
        ledger.refresh();
        // logged already: the seal in force must be of these bytes (compared again in log());
        // otherwise the stored bytes must be these
        if (ledger.view().sealedIndex(content.value()).isPresent()) {
          Seal claimed = claimedSeal(content, false);
          if (claimed != null && !sameContent(claimed, raw)) {
            return Stored.failed(
                content, taken(content.value() + " is logged with a seal of other bytes", raw));
          }
        } else {
          Found found = storedMatches(content, raw);
          if (!found.matches()) {
            return Stored.failed(
                content,
                taken(content.value() + " holds other bytes (its stored content differs)", raw));
          }
          // an earlier run's ciphertext, decrypted and found to be the recording, is
          // logged as a normal ingest logs its own, so that it is bound as firmly
          cipher = found.cipher();
        }
      }
    } catch (IOException e) {
      return Stored.failed(content, storeFailed(e));
    }
    Stored out =
        new Stored(
            content, finisher, raw, null, existedAtStart, storedNow, loggedAtStart, cipher, commit);
    if (sealing != null) {
      out.sealing = sealing;
      out.retry = () -> store(source, content, sealer, null, finisher, progress, retention);
    }
    return out;
  }

  /**
   * Logs stored recordings of one device (a run, or the next group of one), in chain order.
   * Recordings new to the archive (stored by this run, not logged, no seal object left by an
   * earlier ingest) are chained to each other and to the device's tip, their seals staged, and
   * their {@code sealed} entries appended in one conditional batch ({@link
   * EvidenceLedger#appendAllIf}): one durable ledger append per group, not per recording. Each
   * entry still carries its own condition (no entry for the key, the device's tip is the seal it
   * names as predecessor), so another station that logged or moved the tip meanwhile makes the
   * affected entries, and the ones chained after them, fall back to the one-by-one protocol of
   * {@link #write}. Everything else goes one by one too.
   */
  List<Outcome> logRun(List<Stored> given, String deviceId, String actor, Instant time) {
    List<Stored> run = new java.util.ArrayList<>(given.size());
    for (Stored s : given) {
      run.add(elsewhereIfTaken(committed(s)));
    }
    Outcome[] out = new Outcome[run.size()];
    List<Integer> grouped = new java.util.ArrayList<>();
    try {
      ledger.refresh();
      LedgerView view = ledger.view();
      for (int i = 0; i < run.size(); i++) {
        Stored s = run.get(i);
        if (s.failed != null) {
          out[i] = s.failed;
        } else if (s.storedNow
            && !s.existedAtStart
            && view.sealedIndex(s.content.value()).isEmpty()
            && readSeal(sealKey(s.content)) == null) {
          grouped.add(i);
        }
      }
      if (grouped.size() > 1) {
        logGrouped(run, grouped, out, view, deviceId, actor, time);
      }
    } catch (org.evidencekit.ledger.EntryTimeRefusedException e) {
      // another station's later entries landed between this group's look at the ledger and its
      // append, so its time trails them by more than the ledger takes: nothing of the group was
      // appended; one by one, each looks again and takes the ledger's time
    } catch (IOException e) {
      for (int i : grouped) {
        if (out[i] == null) {
          out[i] = incomplete(e);
        }
      }
    }
    for (int i = 0; i < run.size(); i++) {
      if (out[i] == null) {
        Stored s = run.get(i);
        Outcome o = logOne(s, deviceId, actor, time);
        if (o.ours() != null && s.taken == null && s.elsewhere != null) {
          // another station logged other bytes under the key between this run's look and its
          // append (or a seal of other bytes was left there): this recording goes elsewhere
          Stored moved = Stored.failed(s.content, o);
          moved.elsewhere = s.elsewhere;
          s = elsewhereIfTaken(moved);
          run.set(i, s);
          o = logOne(s, deviceId, actor, time);
        }
        out[i] = o;
      }
    }
    for (int i = 0; i < run.size(); i++) {
      Stored s = run.get(i);
      if (s.taken != null) {
        out[i] = TakenNames.storedElsewhere(out[i], s.taken, s.content);
      }
    }
    toLock.retry();
    return List.of(out);
  }

  /**
   * {@code s}, or, when the key it was given is taken by other bytes, the recording stored again on
   * its own under the key derived from its content ({@link TakenNames#derivedKey}): every station
   * and every re-run derives the same one, so the create-only store and the ledger tell "already
   * here" from "taken" there as at any key. Never derived twice: if the derived key is taken too
   * (only someone who put other bytes there can have done that), that is the conflict reported.
   */
  private Stored elsewhereIfTaken(Stored s) {
    Outcome o = s.failed;
    if (o == null || o.ours() == null || s.taken != null || s.elsewhere == null) {
      return s;
    }
    ObjectKey derived;
    try {
      derived = TakenNames.derivedKey(s.content, o.ours());
      EvidenceArchive.checkRecordingKey(derived.value());
      sealKey(derived); // its seal's key must be one too
    } catch (IllegalArgumentException e) {
      List<IngestFinding> f = new java.util.ArrayList<>(o.findings());
      f.add(
          finding(
              IngestCodes.KEY_TAKEN,
              "no key can be derived from the recording's content to store it under instead: "
                  + e.getMessage()));
      return Stored.failed(s.content, new Outcome(o.status(), null, -1, f));
    }
    Stored moved = committed(s.elsewhere.apply(derived));
    moved.taken = s.content;
    return moved;
  }

  /**
   * The stored recording once its content's commit is in: nothing is logged before the content it
   * names is durable. A key another station committed first holds either the same bytes (then this
   * recording goes on as one this run did not store) or other bytes (a conflict).
   */
  private Stored committed(Stored s) {
    Stored c = committedAs(s);
    if (c != s) {
      if (c.elsewhere == null) {
        c.elsewhere = s.elsewhere;
      }
      if (c.taken == null) {
        c.taken = s.taken;
      }
    }
    return c;
  }

  private Stored committedAs(Stored s) {
    if (s.sealing != null) {
      try {
        Seal raw = s.sealing.get();
        Stored sealed =
            new Stored(
                s.content,
                s.finisher,
                raw,
                null,
                s.existedAtStart,
                s.storedNow,
                s.loggedAtStart,
                s.cipher,
                s.commit);
        return committed(sealed);
      } catch (java.util.concurrent.ExecutionException e) {
        // The run stopped before this recording was sealed (a file that changed while it was
        // read, a worker's write that failed): its copy was aborted; store it again on its own.
        awaitQuietly(s.commit);
        return committed(requireNonNull(s.retry).get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Stored.failed(s.content, storeFailed(new java.io.InterruptedIOException()));
      }
    }
    if (s.commit == null) {
      return s;
    }
    try {
      awaitCommit(s.commit);
      return new Stored(
          s.content,
          s.finisher,
          s.raw,
          null,
          s.existedAtStart,
          true,
          s.loggedAtStart,
          s.cipher,
          null);
    } catch (ObjectExistsException e) {
      try {
        ledger.refresh();
        Found found = null;
        if (ledger.view().sealedIndex(s.content.value()).isEmpty()) {
          found = storedMatches(s.content, s.raw);
          if (!found.matches()) {
            return Stored.failed(
                s.content,
                taken(
                    s.content.value() + " holds other bytes (its stored content differs)", s.raw));
          }
        } else {
          Seal claimed = claimedSeal(s.content, false);
          if (claimed != null && !sameContent(claimed, s.raw)) {
            return Stored.failed(
                s.content,
                taken(s.content.value() + " is logged with a seal of other bytes", s.raw));
          }
        }
        return new Stored(
            s.content,
            s.finisher,
            s.raw,
            null,
            s.existedAtStart,
            false,
            s.loggedAtStart,
            found == null ? null : found.cipher(),
            null);
      } catch (IOException again) {
        return Stored.failed(s.content, storeFailed(again));
      }
    } catch (IOException e) {
      return Stored.failed(s.content, commitFailed(s.content, e));
    }
  }

  /**
   * A failed commit stored nothing, unless the store made the content visible before it failed (a
   * folder that could not be synced): then the content is there but not known to be durable, and it
   * is left unlogged so that the ledger never names what a crash could still take away.
   */
  private Outcome commitFailed(ObjectKey content, IOException e) {
    boolean visible;
    try {
      visible = store.exists(content);
    } catch (IOException again) {
      visible = false;
    }
    if (!visible) {
      return storeFailed(e);
    }
    return new Outcome(
        IngestStatus.INCOMPLETE,
        null,
        -1,
        List.of(
            finding(
                IngestCodes.STORE_FAILED,
                content.value()
                    + " is stored, but the store could not confirm it is durable ("
                    + reason(e)
                    + "), so its seal is not logged; run the same ingest again to complete it")));
  }

  /**
   * What a person is told about a store failure: some exceptions (a channel another worker closed
   * after the disk filled) carry no message of their own, only the failure that caused them.
   */
  static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  private static Outcome storeFailed(IOException e) {
    return new Outcome(
        IngestStatus.FAILED,
        null,
        -1,
        List.of(finding(IngestCodes.STORE_FAILED, "nothing stored: " + reason(e))));
  }

  private void logGrouped(
      List<Stored> run,
      List<Integer> grouped,
      Outcome[] out,
      LedgerView view,
      String deviceId,
      String actor,
      Instant time)
      throws IOException {
    Optional<String> prev = view.latestSealOf(deviceId).flatMap(s -> s.entry().payloadDigest());
    Instant at = notBeforeLog(view, time);
    List<Seal> seals = new java.util.ArrayList<>();
    List<Optional<String>> previous = new java.util.ArrayList<>();
    List<List<IngestFinding>> duplicates = new java.util.ArrayList<>();
    Map<String, String> runRoots = new java.util.HashMap<>();
    for (int i : grouped) {
      Stored s = run.get(i);
      Seal raw = s.raw;
      List<IngestFinding> dup =
          new java.util.ArrayList<>(duplicateOf(view, s.content.value(), raw));
      String root = raw.root(raw.suite().algorithms().get(0)).hex();
      String earlier = runRoots.putIfAbsent(root, s.content.value());
      if (dup.isEmpty() && earlier != null) {
        dup.add(duplicateFinding(earlier, "in this run"));
      }
      duplicates.add(dup);
      Seal seal = s.finisher.finish(raw, prev, at);
      if (!sameContent(seal, raw) || seal.length() != raw.length()) {
        throw new IllegalStateException("the finished seal is not a seal of the copied content");
      }
      seals.add(seal);
      previous.add(prev);
      prev = Optional.of(seal.digest().hex());
    }
    List<ObjectKey> stagedIn = stageGroup(seals);
    List<LedgerEntry> entries = new java.util.ArrayList<>();
    List<java.util.function.Predicate<LedgerView>> conditions = new java.util.ArrayList<>();
    for (int k = 0; k < grouped.size(); k++) {
      String key = run.get(grouped.get(k)).content.value();
      Optional<String> p = previous.get(k);
      entries.add(
          sealedEntry(
              key,
              seals.get(k),
              actor,
              at,
              p,
              stagedIn.get(k),
              encryptedNow(run.get(grouped.get(k)))));
      conditions.add(
          v ->
              v.sealedIndex(key).isEmpty()
                  && Objects.equals(
                      v.latestSealOf(deviceId).flatMap(s -> s.entry().payloadDigest()), p));
    }
    List<OptionalLong> idx = ledger.appendAllIf(entries, conditions);
    List<Integer> logged = new java.util.ArrayList<>();
    for (int k = 0; k < grouped.size(); k++) {
      if (idx.get(k).isPresent()) {
        logged.add(k);
      }
    }
    List<Outcome> sealObjects =
        inParallel(
            logged.size(),
            j -> {
              int k = logged.get(j);
              ObjectKey sealKey = sealKey(run.get(grouped.get(k)).content);
              long index = idx.get(k).getAsLong();
              try {
                List<IngestFinding> findings = new java.util.ArrayList<>(duplicates.get(k));
                findings.addAll(storeSealObject(sealKey, seals.get(k)));
                return new Outcome(IngestStatus.INGESTED, seals.get(k), index, findings);
              } catch (IOException e) {
                return sealObjectMissing(index, sealKey, seals.get(k), e);
              }
            });
    for (int j = 0; j < logged.size(); j++) {
      out[grouped.get(logged.get(j))] = sealObjects.get(j);
    }
  }

  /** An I/O step per item, {@code n} of them, several at once: their fsyncs overlap. */
  private static <T> List<T> inParallel(int n, IoFunction<T> step) throws IOException {
    if (n == 0) {
      return List.of();
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(n, PARALLEL_PUTS),
            r -> {
              Thread t = new Thread(r, "evidencekit-ingest-put");
              t.setDaemon(true);
              return t;
            });
    try {
      List<java.util.concurrent.Future<T>> fs = new java.util.ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int k = i;
        fs.add(pool.submit(() -> step.apply(k)));
      }
      List<T> out = new java.util.ArrayList<>(n);
      IOException failure = null;
      for (java.util.concurrent.Future<T> f : fs) {
        try {
          out.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException) {
            throw (RuntimeException) c;
          }
          if (c instanceof Error) {
            throw (Error) c;
          }
          failure = c instanceof IOException ? (IOException) c : new IOException(c);
          out.add(null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while storing");
        }
      }
      if (failure != null) {
        throw failure;
      }
      return out;
    } finally {
      pool.shutdown();
      awaitTermination(pool); // a step that threw leaves no put running after the group
    }
  }

  /** Small objects written at once by {@link #inParallel}: enough for the disk to merge fsyncs. */
  private static final int PARALLEL_PUTS = 8;

  @FunctionalInterface
  private interface IoFunction<T> {
    T apply(int index) throws IOException;
  }

  private static ObjectKey sealKey(ObjectKey content) {
    return ObjectKey.of(content.value() + EvidenceArchive.SEAL_SUFFIX);
  }

  private static Outcome incomplete(IOException e) {
    return new Outcome(
        IngestStatus.INCOMPLETE,
        null,
        -1,
        List.of(
            finding(
                IngestCodes.STORE_FAILED,
                "the content is stored, its seal is not logged yet ("
                    + reason(e)
                    + "); run the same ingest again to complete it")));
  }

  /**
   * Logged at {@code index} (the staged seal is the entry's copy), but the seal object at {@code
   * sealKey} could not be written: not complete, yet not "not logged" either.
   */
  private static Outcome sealObjectMissing(
      long index, ObjectKey sealKey, Seal seal, IOException e) {
    return new Outcome(
        IngestStatus.INCOMPLETE,
        seal,
        index,
        List.of(
            finding(
                IngestCodes.STORE_FAILED,
                "the seal is logged at entry "
                    + index
                    + ", but its seal object "
                    + sealKey.value()
                    + " could not be written ("
                    + reason(e)
                    + "); run the same ingest again to complete it")));
  }

  /** The one-by-one protocol for one stored recording. */
  private Outcome logOne(Stored s, String deviceId, String actor, Instant time) {
    if (s.failed != null) {
      return s.failed;
    }
    // What this run did decides its status: it logged the recording (INGESTED, or RESUMED when
    // the content was left by an earlier run), it restored the content of a logged recording
    // (RESUMED), or another station had done it all (ALREADY).
    try {
      return log(
          s.content,
          sealKey(s.content),
          s.raw,
          s.finisher,
          deviceId,
          actor,
          time,
          s.existedAtStart ? IngestStatus.RESUMED : IngestStatus.INGESTED,
          s.storedNow && s.loggedAtStart ? IngestStatus.RESUMED : IngestStatus.ALREADY,
          encryptedNow(s));
    } catch (IOException e) {
      return incomplete(e);
    }
  }

  private Outcome log(
      ObjectKey content,
      ObjectKey sealKey,
      Seal raw,
      Finisher finisher,
      String deviceId,
      String actor,
      Instant time,
      IngestStatus ifLoggedNow,
      IngestStatus ifLoggedBefore,
      @Nullable StoredCipher encryptedNow)
      throws IOException {
    ledger.refresh();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      LedgerView view = ledger.view();
      OptionalLong logged = view.sealedIndex(content.value());
      if (logged.isPresent()) {
        return alreadyLogged(content, sealKey, raw, logged.getAsLong(), ifLoggedBefore);
      }
      Seal legacy = readSeal(sealKey);
      if (legacy != null) {
        // A seal stored without a live ledger entry: left by an ingest that did not log first,
        // or kept for good when its recording was disposed of, which is now back.
        if (!sameContent(legacy, raw)) {
          return taken(sealKey.value() + " is a seal of other bytes", raw);
        }
        OptionalLong disposed = view.disposedIndex(content.value());
        Instant now = notBeforeLog(view, time);
        OptionalLong idx =
            ledger.appendIf(
                sealedEntry(
                    content.value(), legacy, actor, now, previous(legacy), null, encryptedNow),
                v -> v.sealedIndex(content.value()).isEmpty());
        if (idx.isEmpty()) {
          continue;
        }
        if (disposed.isPresent()) {
          return new Outcome(
              IngestStatus.INGESTED, legacy, idx.getAsLong(), List.of(disposedBefore(disposed)));
        }
        return new Outcome(IngestStatus.RESUMED, legacy, idx.getAsLong(), List.of());
      }
      List<IngestFinding> duplicate = duplicateOf(view, content.value(), raw);
      Optional<String> prev = view.latestSealOf(deviceId).flatMap(s -> s.entry().payloadDigest());
      Instant at = notBeforeLog(view, time);
      Seal seal = finisher.finish(raw, prev, at);
      if (!sameContent(seal, raw) || seal.length() != raw.length()) {
        throw new IllegalStateException("the finished seal is not a seal of the copied content");
      }
      try {
        put(staged(seal.digest().hex()), seal.toJson());
      } catch (ObjectExistsException sameDigest) {
        // content-addressed: another station made the very same seal (same bytes, same time);
        // locked again in case that station stopped between its commit and its lock
        PermanentRecords.lock(store, staged(seal.digest().hex()));
      }
      OptionalLong idx =
          ledger.appendIf(
              sealedEntry(content.value(), seal, actor, at, prev, null, encryptedNow),
              v ->
                  v.sealedIndex(content.value()).isEmpty()
                      && Objects.equals(
                          v.latestSealOf(deviceId).flatMap(s -> s.entry().payloadDigest()), prev));
      if (idx.isEmpty()) {
        continue; // another station logged this recording or moved the device's tip: look again
      }
      List<IngestFinding> findings = new java.util.ArrayList<>(duplicate);
      try {
        findings.addAll(storeSealObject(sealKey, seal));
      } catch (IOException e) {
        return sealObjectMissing(idx.getAsLong(), sealKey, seal, e);
      }
      return new Outcome(ifLoggedNow, seal, idx.getAsLong(), findings);
    }
    throw new IOException(
        "could not log the seal after " + MAX_ATTEMPTS + " attempts against other stations");
  }

  /** The recording has a {@code sealed} entry: the same bytes (ALREADY), or a conflict. */
  private Outcome alreadyLogged(
      ObjectKey content, ObjectKey sealKey, Seal raw, long index, IngestStatus status)
      throws IOException {
    LedgerEntry e = ledger.entry(index);
    String digest = e.payloadDigest().orElse("");
    Seal atKey;
    try {
      atKey = readSeal(sealKey);
    } catch (SealFormatException unreadable) {
      // logged, so "not logged yet" would be false; and the store never replaces a seal object, so
      // a re-run cannot mend it: someone must look at what is stored there
      return new Outcome(
          IngestStatus.INCOMPLETE,
          null,
          index,
          List.of(
              finding(
                  IngestCodes.STORE_FAILED,
                  "the recording is logged at entry "
                      + index
                      + ", but its seal object cannot be read: "
                      + reason(unreadable)
                      + "; a re-run does not replace it")));
    }
    Seal inForce = atKey != null && atKey.digest().hex().equals(digest) ? atKey : stagedSeal(e);
    if (inForce == null || !inForce.digest().hex().equals(digest)) {
      return new Outcome(
          IngestStatus.INCOMPLETE,
          null,
          index,
          List.of(
              finding(
                  IngestCodes.STORE_FAILED,
                  "ledger entry "
                      + index
                      + " logs seal "
                      + digest
                      + ", which is in neither "
                      + sealKey.value()
                      + " nor the staged seals")));
    }
    if (!sameContent(inForce, raw)) {
      return taken(
          content.value() + " is logged (entry " + index + ") with a seal of other bytes", raw);
    }
    List<IngestFinding> findings = List.of();
    if (atKey == null) {
      // Logged, seal object not there yet: another station is about to write it, or one stopped
      // before it could. Either way writing it (create-only, the logged seal) is harmless; it does
      // not make this run the one that ingested the recording.
      try {
        findings = new java.util.ArrayList<>(storeSealObject(sealKey, inForce));
      } catch (IOException failed) {
        return sealObjectMissing(index, sealKey, inForce, failed);
      }
      if (findings.isEmpty()) {
        findings.add(
            new IngestFinding(
                IngestCodes.SEAL_OBJECT_COMPLETED,
                IngestFinding.Severity.NOTICE,
                "the recording was logged at entry "
                    + index
                    + "; its seal object "
                    + sealKey.value()
                    + " was written from the staged copy"));
      }
    } else if (atKey.digest().hex().equals(digest)) {
      // kept for good; its writer may have stopped between its commit and its lock
      PermanentRecords.lock(store, sealKey);
    } else {
      findings =
          List.of(
              new IngestFinding(
                  IngestCodes.SEAL_OBJECT_DIFFERS,
                  IngestFinding.Severity.ERROR,
                  sealKey.value()
                      + " holds seal "
                      + atKey.digest().hex()
                      + ", not the logged "
                      + digest));
    }
    return new Outcome(status, inForce, index, findings);
  }

  /**
   * The same bytes already logged under another key (a copy renamed on the card, or the same file
   * offered twice under two names): stored again, but said, naming both keys.
   */
  private List<IngestFinding> duplicateOf(LedgerView view, String key, Seal raw)
      throws IOException {
    String root = raw.root(raw.suite().algorithms().get(0)).hex();
    OptionalLong candidate = view.sealedIndexByRoot(root);
    if (candidate.isEmpty()) {
      return List.of();
    }
    LedgerEntry e = ledger.entry(candidate.getAsLong());
    if (e.subject().equals(key)
        || !root.equals(e.details().get("root"))
        || view.sealedIndex(e.subject()).isEmpty()) {
      return List.of();
    }
    return List.of(duplicateFinding(e.subject(), "entry " + candidate.getAsLong()));
  }

  /**
   * A recording disposed of under an approved plan came in again (a copy left on a card or another
   * station): stored and logged again under the seal kept for it, which says when it was first
   * ingested, so its retention counts from then and it may be disposable at once. Nothing is lost,
   * and the records officer sees that destroyed evidence is back.
   */
  private static IngestFinding disposedBefore(OptionalLong disposedAt) {
    return new IngestFinding(
        IngestCodes.DISPOSED_BEFORE,
        IngestFinding.Severity.WARNING,
        "this recording was disposed of at ledger entry "
            + disposedAt.getAsLong()
            + "; stored and logged again under the seal kept for it, whose ingest time its"
            + " retention counts from");
  }

  private static IngestFinding duplicateFinding(String otherKey, String where) {
    return new IngestFinding(
        IngestCodes.DUPLICATE_CONTENT,
        IngestFinding.Severity.WARNING,
        "byte for byte the recording already logged as "
            + otherKey
            + " ("
            + where
            + "); both are kept and both keys name the same content");
  }

  private List<IngestFinding> storeSealObject(ObjectKey sealKey, Seal seal) throws IOException {
    try {
      put(sealKey, seal.toJson());
      return List.of();
    } catch (ObjectExistsException e) {
      Seal there = readSeal(sealKey);
      if (there != null && there.digest().equals(seal.digest())) {
        PermanentRecords.lock(store, sealKey); // in case its writer stopped before locking it
        return List.of(); // another station completed it
      }
      return List.of(
          new IngestFinding(
              IngestCodes.SEAL_OBJECT_DIFFERS,
              IngestFinding.Severity.ERROR,
              sealKey.value()
                  + " holds "
                  + (there == null ? "an unreadable seal" : "seal " + there.digest().hex())
                  + ", not the logged "
                  + seal.digest().hex()));
    }
  }

  private static Optional<String> previous(Seal s) {
    return s.metadata().flatMap(RecordingMetadata::previousSealDigest);
  }

  static ObjectKey staged(String digestHex) {
    return ObjectKey.of(STAGED + digestHex + EvidenceArchive.SEAL_SUFFIX);
  }

  /**
   * Stages a group's seals before their entries are appended: their stored JSON, one per line (RFC
   * 8785 JSON has no line break outside strings and escapes it inside), in create-only objects of
   * at most about {@link #MAX_STAGE_BYTES}, each named by the SHA-256 of its bytes, so the very
   * same seals staged again are the same object. One object instead of one per seal: each object is
   * a directory, two files and four fsyncs on a filesystem store, a PUT on S3.
   *
   * @return the object each seal is staged in, in the order of {@code seals}
   */
  private List<ObjectKey> stageGroup(List<Seal> seals) throws IOException {
    List<byte[]> lines = new java.util.ArrayList<>(seals.size());
    for (Seal seal : seals) {
      lines.add(seal.toJson());
    }
    Packed packed = pack(lines, MAX_STAGE_BYTES);
    List<ObjectKey> keys =
        inParallel(
            packed.objects().size(),
            k -> {
              byte[] bytes = packed.objects().get(k);
              ObjectKey key =
                  ObjectKey.of(
                      STAGED + HashAlgorithm.SHA256.hash(bytes).hex() + STAGED_GROUP_SUFFIX);
              try {
                put(key, bytes);
              } catch (ObjectExistsException sameBytes) {
                // content-addressed: the very same seals are staged already (locked again in
                // case their writer stopped between its commit and its lock)
                PermanentRecords.lock(store, key);
              }
              return key;
            });
    List<ObjectKey> out = new java.util.ArrayList<>(seals.size());
    for (int k = 0; k < seals.size(); k++) {
      out.add(keys.get(packed.objectOf()[k]));
    }
    return out;
  }

  /** Lines packed into objects, and the object each line went to. */
  record Packed(List<byte[]> objects, int[] objectOf) {}

  /**
   * Packs lines (none holding a line break) in order into objects of at most {@code max} bytes,
   * each line followed by one; a line too long for that gets an object of its own.
   */
  static Packed pack(List<byte[]> lines, int max) {
    List<byte[]> objects = new java.util.ArrayList<>();
    int[] objectOf = new int[lines.size()];
    java.io.ByteArrayOutputStream next = new java.io.ByteArrayOutputStream();
    for (int k = 0; k < lines.size(); k++) {
      byte[] line = lines.get(k);
      for (byte b : line) {
        if (b == '\n') {
          throw new IllegalArgumentException("line " + k + " holds a line break");
        }
      }
      if (next.size() > 0 && next.size() + line.length + 1L > max) {
        objects.add(next.toByteArray());
        next.reset();
      }
      next.write(line, 0, line.length);
      next.write('\n');
      objectOf[k] = objects.size();
    }
    if (next.size() > 0) {
      objects.add(next.toByteArray());
    }
    return new Packed(objects, objectOf);
  }

  /**
   * The seal a {@code sealed} entry logs, read from where it was staged: the group object its
   * {@value #STAGED_IN} detail names (only an object under {@code ledger/seals/}), else the
   * per-digest copy; null if it is in neither (the digest decides, whatever the object holds).
   */
  static @Nullable Seal stagedSeal(EvidenceStore store, LedgerEntry entry) throws IOException {
    String digest = entry.payloadDigest().orElse(null);
    if (digest == null) {
      return null;
    }
    String in = entry.details().get(STAGED_IN);
    if (in == null) {
      Seal s = readSeal(store, staged(digest));
      return s != null && s.digest().hex().equals(digest) ? s : null;
    }
    byte[] all = readStaged(store, in);
    byte[] line = all == null ? null : find(all, digest);
    return line == null ? null : Seal.parse(line);
  }

  /**
   * The group staging object read last, by line digest: a re-run reads each group's once. Not under
   * the writer's lock (the committer's): two threads at worst both read one object.
   */
  private volatile @Nullable StagedLines lastStaged;

  private record StagedLines(String key, Map<String, byte[]> byDigest) {}

  /**
   * {@link #stagedSeal(EvidenceStore, LedgerEntry)}, remembering the last group object read: a
   * re-run completes a group's entries one after another, and reading the object again for each
   * would cost a group of n some n reads of up to {@link #MAX_STAGE_BYTES} and n&sup2; hashes.
   * Staging objects are create-only and found by digest, so a remembered one cannot go stale.
   */
  private @Nullable Seal stagedSeal(LedgerEntry entry) throws IOException {
    String digest = entry.payloadDigest().orElse(null);
    String in = entry.details().get(STAGED_IN);
    if (digest == null || in == null) {
      return stagedSeal(store, entry);
    }
    StagedLines last = lastStaged;
    if (last == null || !last.key().equals(in)) {
      byte[] all = readStaged(store, in);
      if (all == null) {
        return null;
      }
      Map<String, byte[]> lines = index(all);
      if (lines == null) {
        byte[] line = find(all, digest); // not a group's object: searched, not remembered
        return line == null ? null : Seal.parse(line);
      }
      last = new StagedLines(in, lines);
      lastStaged = last;
    }
    byte[] line = last.byDigest().get(digest);
    return line == null ? null : Seal.parse(line);
  }

  /**
   * The bytes of the group staging object {@code in}; null if {@code in} is not a staging object's
   * key or there is no such object.
   */
  private static byte @Nullable [] readStaged(EvidenceStore store, String in) throws IOException {
    if (!in.startsWith(STAGED) || !in.endsWith(STAGED_GROUP_SUFFIX) || !ObjectKey.isValid(in)) {
      return null;
    }
    return read(store, ObjectKey.of(in), MAX_SEAL_BYTES + (long) MAX_STAGE_BYTES);
  }

  /**
   * The lines of a staging object by their SHA-256 (a seal's digest is that of its stored form);
   * null if it has more lines than a group has seals ({@link EvidenceLedger#MAX_BATCH}): not an
   * object this writer made, and millions of short lines would take gigabytes to index.
   */
  static @Nullable Map<String, byte[]> index(byte[] all) {
    Map<String, byte[]> out = new java.util.HashMap<>();
    boolean[] tooMany = {false};
    firstLine(
        all,
        line -> {
          if (out.size() == EvidenceLedger.MAX_BATCH) {
            tooMany[0] = true;
            return true;
          }
          out.putIfAbsent(HashAlgorithm.SHA256.hash(line).hex(), line);
          return false;
        });
    return tooMany[0] ? null : out;
  }

  /** The line of {@code all} whose SHA-256 is {@code digest}, or null. */
  private static byte @Nullable [] find(byte[] all, String digest) {
    return firstLine(all, line -> HashAlgorithm.SHA256.hash(line).hex().equals(digest));
  }

  /** The first non-empty line of {@code all} that {@code stop} takes, or null: one at a time. */
  private static byte @Nullable [] firstLine(
      byte[] all, java.util.function.Predicate<byte[]> stop) {
    int from = 0;
    for (int i = 0; i <= all.length; i++) {
      if (i == all.length || all[i] == '\n') {
        if (i > from) {
          byte[] line = java.util.Arrays.copyOfRange(all, from, i);
          if (stop.test(line)) {
            return line;
          }
        }
        from = i + 1;
      }
    }
    return null;
  }

  /**
   * How {@code s}'s content is stored encrypted, as its entry logs it: the ciphertext this run
   * stored, or the one an earlier run left that this run decrypted and verified (RESUMED); null for
   * content stored unencrypted.
   */
  private static @Nullable StoredCipher encryptedNow(Stored s) {
    return s.cipher;
  }

  /** A ciphertext this run stored, under its own suite and key. */
  private StoredCipher storedNow(String noncePrefix) {
    return new StoredCipher(requireNonNull(aead).id(), requireNonNull(kek).keyId(), noncePrefix);
  }

  /**
   * A stored ciphertext as a {@code sealed} entry logs it: suite, key id and nonce prefix (R-05,
   *
   */
  record StoredCipher(String suite, String keyId, String noncePrefix) {}

  /**
   * Whether stored content is the sealed bytes, and if so how it is stored encrypted (null:
   * unencrypted, or not the bytes).
   */
  private record Found(boolean matches, @Nullable StoredCipher cipher) {}

  private LedgerEntry sealedEntry(
      String key,
      Seal seal,
      String actor,
      Instant time,
      Optional<String> previous,
      @Nullable ObjectKey stagedIn,
      @Nullable StoredCipher encryptedNow) {
    Map<String, String> details = new TreeMap<>();
    if (encryptedNow != null) {
      // as EvidenceArchive.ingestEncrypted: the sweep then refuses a ciphertext whose header names
      // another suite or key, another encryption of the recording (an older copy, a re-encryption)
      // and a plaintext stored in its place
      details.put("encryption", encryptedNow.suite());
      details.put("kek", encryptedNow.keyId());
      details.put("noncePrefix", encryptedNow.noncePrefix());
    }
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
    previous.ifPresent(p -> details.put("previousSeal", p));
    details.put("root", seal.root(seal.suite().algorithms().get(0)).hex());
    if (stagedIn != null) {
      details.put(STAGED_IN, stagedIn.value());
    }
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(time)
        .actor(actor)
        .subject(key)
        .payloadDigest(seal.digest().hex())
        .details(details)
        .build();
  }

  /**
   * A sealed copy whose commit runs in the background: {@link #awaitCommit} before logging. {@code
   * noncePrefix}: the stored ciphertext's, or null when the copy is stored unencrypted.
   */
  private record Copy(
      java.util.concurrent.CompletableFuture<Seal> raw,
      java.util.concurrent.Future<?> commit,
      @Nullable String noncePrefix) {}

  /**
   * Seals while copying into a new create-only object; nothing is visible unless it all went. The
   * commit (the content's fsyncs and the rename that makes it visible) runs on a committer thread
   * while the next recording is hashed; the run waits for it before logging anything.
   */
  private Copy copySealed(
      RecordingSource source,
      ObjectKey key,
      Sealer sealer,
      @Nullable SealRun run,
      LongConsumer progress,
      Supplier<@Nullable Instant> retention,
      @Nullable String restoredPrefix)
      throws IOException {
    WritableObject w = store.create(key);
    // committed already retained where the store can; else set after, with the decision
    Instant retainUntil = retention.get();
    if (retainUntil != null && w.retainOnCommit(retainUntil) && store.exists(sealKey(key))) {
      // a seal object left without a ledger entry is logged as it is, decided from its own
      // (earlier) ingest time: no retention from this run's. Asked only of a store that takes
      // retention at commit: a local stat on the filesystem store, a version listing and a HEAD
      // on S3.
      w.close(); // aborts: nothing was written
      w = store.create(key);
    }
    if (run != null && !runBroken) {
      SeekableByteChannel in;
      try {
        in = source.open();
      } catch (IOException | RuntimeException e) {
        w.close();
        throw e;
      }
      if (in instanceof java.nio.channels.FileChannel && w.supportsPositionalWrites()) {
        java.util.concurrent.CompletableFuture<Seal> sealed;
        WritableObject target;
        try {
          target = encrypting(w, in.size(), restoredPrefix);
        } catch (IOException | RuntimeException e) {
          closeQuietly(in);
          w.close();
          throw e;
        }
        try {
          sealed = run.submitInto((java.nio.channels.FileChannel) in, target, progress);
        } catch (IOException | RuntimeException e) {
          // the run is broken (an earlier file failed it): this and later files go on their own
          runBroken = true;
          closeQuietly(in);
          target.close();
          return copySealed(source, key, sealer, null, progress, retention, restoredPrefix);
        }
        WritableObject out = target;
        Retaining late = retainUntil == null ? new Retaining(w, key, retention) : null;
        java.util.concurrent.CompletableFuture<Seal> done =
            sealed.whenComplete((r, t) -> closeQuietly(in));
        java.util.concurrent.Future<?> commit =
            done.handleAsync(
                (r, t) -> {
                  try {
                    if (t != null) {
                      out.close(); // aborts: nothing of this copy remains
                      return null;
                    }
                    if (late != null) {
                      late.askAgain();
                    }
                    return finishAndCommit(out, r);
                  } catch (IOException | RuntimeException e) {
                    closeQuietly(out);
                    throw new java.util.concurrent.CompletionException(e);
                  }
                },
                committer());
        return new Copy(done, commit, noncePrefix(out));
      }
      closeQuietly(in);
    }
    Seal raw;
    WritableObject target = w;
    String noncePrefix = null;
    try (SeekableByteChannel in = source.open()) {
      long size = in.size();
      if (in instanceof java.nio.channels.FileChannel && w.supportsPositionalWrites()) {
        // the hash workers store (and encrypt) what they read: one read of each byte, no funnel
        //
        target = encrypting(w, size, restoredPrefix);
        raw = sealer.sealInto((java.nio.channels.FileChannel) in, target, progress);
        if (target instanceof EncryptingObject) {
          ((EncryptingObject) target).finish(raw);
        }
        noncePrefix = noncePrefix(target);
      } else if (aead != null && kek != null) {
        try (EncryptingChannel enc =
            restoredPrefix == null
                ? EncryptingChannel.create(w, sealer, aead, CRYPT_SEGMENT, kek, size)
                : EncryptingChannel.create(
                    w, sealer, aead, CRYPT_SEGMENT, kek, size, restoredPrefix)) {
          copy(in, enc, progress);
          raw = enc.finish();
          noncePrefix = enc.noncePrefix();
        }
      } else {
        try (SealingChannel sealing = sealer.newSealingChannel(w, size)) {
          copy(in, sealing, progress);
          raw = sealing.finish();
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      target.close(); // aborts: nothing of this copy remains
      throw e;
    }
    WritableObject out = target;
    Retaining late = retainUntil == null ? new Retaining(w, key, retention) : null;
    return new Copy(
        java.util.concurrent.CompletableFuture.completedFuture(raw),
        committer()
            .submit(
                () -> {
                  if (late != null) {
                    late.askAgain();
                  }
                  return commitAndClose(out);
                }),
        noncePrefix);
  }

  /**
   * A copy created with no retention to commit with, asked again just before its commit: on an
   * archive with no entries the bound appears once the run has logged its first group, so only the
   * recordings committed before then are visible without retention until the push-down.
   */
  private final class Retaining {
    private final WritableObject writer;
    private final ObjectKey key;
    private final Supplier<@Nullable Instant> retention;

    Retaining(WritableObject writer, ObjectKey key, Supplier<@Nullable Instant> retention) {
      this.writer = writer;
      this.key = key;
      this.retention = retention;
    }

    void askAgain() throws IOException {
      // a seal object left without a ledger entry is decided from its own ingest time (above)
      if (store.exists(sealKey(key))) {
        return;
      }
      Instant r = retention.get();
      if (r != null) {
        writer.retainOnCommit(r);
      }
    }
  }

  /** The nonce prefix of the ciphertext {@code w} stores, or null if it stores plaintext. */
  private static @Nullable String noncePrefix(WritableObject w) {
    return w instanceof EncryptingObject ? ((EncryptingObject) w).noncePrefix() : null;
  }

  /**
   * Ciphertext segment size: 1 MiB. A seal segment of the default size or larger holds whole
   * ciphertext segments, so each is encrypted by the hash worker that read it.
   */
  private static final int CRYPT_SEGMENT = 1 << 20;

  /**
   * {@code w} itself, or with encryption, {@code w} behind an {@link EncryptingObject} that the
   * hash workers fill: each encrypts and stores the segments it read.
   */
  private WritableObject encrypting(WritableObject w, long size, @Nullable String restoredPrefix)
      throws IOException {
    if (aead == null || kek == null) {
      return w;
    }
    return restoredPrefix == null
        ? EncryptingObject.create(w, aead, CRYPT_SEGMENT, kek, size)
        : EncryptingObject.create(w, aead, CRYPT_SEGMENT, kek, size, restoredPrefix);
  }

  /**
   * The nonce prefix the live {@code sealed} entry of {@code content} logged for its ciphertext,
   * when this station encrypts as that entry says (same suite and key id); else null. Content
   * restored for a logged recording (lost, or removed once its retention ended) logs no new entry:
   * stored under a new random prefix it would read, to the sweep and every export, as another
   * encryption put in place of the one stored at ingest. Under a fresh data key
   * the prefix is never used twice with one key.
   */
  private @Nullable String loggedNoncePrefix(ObjectKey content) throws IOException {
    if (aead == null || kek == null) {
      return null;
    }
    OptionalLong index = ledger.view().sealedIndex(content.value());
    if (index.isEmpty()) {
      return null;
    }
    Map<String, String> details = ledger.entry(index.getAsLong()).details();
    String prefix = details.get("noncePrefix");
    if (prefix == null
        || !prefix.matches("[0-9a-fA-F]{14}")
        || !aead.id().equals(details.get("encryption"))
        || !kek.keyId().equals(details.get("kek"))) {
      return null;
    }
    return prefix;
  }

  /** Binds an encrypted copy's last segment to its seal, then commits. */
  private static Void finishAndCommit(WritableObject w, Seal raw) throws IOException {
    if (w instanceof EncryptingObject) {
      ((EncryptingObject) w).finish(raw);
    }
    return commitAndClose(w);
  }

  /**
   * Set once a {@link SealRun} failed: the run's remaining files are sealed one by one. Volatile: a
   * run's logging thread stores a file again on its own while the run goes on.
   */
  private volatile boolean runBroken;

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // a source channel (nothing was written through it), or a copy being aborted
    }
  }

  private static void awaitQuietly(java.util.concurrent.@Nullable Future<?> f) {
    if (f == null) {
      return;
    }
    try {
      f.get();
    } catch (java.util.concurrent.ExecutionException ignored) {
      // the abort's own failure: the staging object is gone or swept later
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Void commitAndClose(WritableObject w) throws IOException {
    try (w) {
      w.commit(); // visible only now, whole
    }
    return null;
  }

  /**
   * Threads committing at once: a commit is mostly waiting for the disk (the content's and the
   * metadata's fsyncs, two directory fsyncs), so several overlap; one thread alone took longer to
   * commit 500 small recordings than the workers took to hash them.
   */
  private static final int COMMITTERS = 4;

  /** Commits waiting for a committer at most: each holds an open object (a file, an upload). */
  private static final int MAX_COMMITS_QUEUED = 8;

  private java.util.concurrent.@Nullable ThreadPoolExecutor committer;

  private synchronized java.util.concurrent.ThreadPoolExecutor committer() {
    if (committer == null) {
      // a full queue makes the submitting thread commit itself: at most a few copies wait
      committer =
          new java.util.concurrent.ThreadPoolExecutor(
              COMMITTERS,
              COMMITTERS,
              0,
              java.util.concurrent.TimeUnit.SECONDS,
              new java.util.concurrent.ArrayBlockingQueue<>(MAX_COMMITS_QUEUED),
              r -> {
                Thread t = new Thread(r, "evidencekit-ingest-commit");
                t.setDaemon(true);
                return t;
              },
              new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
    }
    return committer;
  }

  /** Waits for a background commit; its failure as the commit would have thrown it. */
  private static void awaitCommit(java.util.concurrent.Future<?> commit) throws IOException {
    try {
      commit.get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new IOException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while committing");
    }
  }

  /**
   * Waits for the commits handed to the committer threads, then lets them end: after a run, or when
   * a run stops early on an exception (its content stays committed, unlogged: a re-run logs it).
   * Nothing of the run is written once its ingest has returned or thrown, and no thread is left.
   */
  void close() {
    java.util.concurrent.ExecutorService c = shutdownCommitter();
    if (c != null) {
      awaitTermination(c);
    }
    toLock.retry();
  }

  /** Stops taking commits; the ones handed over still run. */
  private synchronized java.util.concurrent.@Nullable ExecutorService shutdownCommitter() {
    java.util.concurrent.ExecutorService c = committer;
    if (c != null) {
      c.shutdown();
      committer = null;
    }
    return c;
  }

  /**
   * Waits, uninterruptibly, for a shut-down pool's tasks: its writes end before the caller goes.
   */
  private static void awaitTermination(java.util.concurrent.ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Seal sealOnly(RecordingSource source, Sealer sealer, LongConsumer progress)
      throws IOException {
    try (SeekableByteChannel in = source.open();
        SealingChannel sealing = sealer.newSealingChannel(in.size())) {
      copy(in, sealing, progress);
      return sealing.finish();
    }
  }

  /**
   * Whether the stored content is the sealed bytes (decrypted first when encrypted), and how it is
   * stored encrypted: the header of a ciphertext that decrypted to them.
   */
  private Found storedMatches(ObjectKey key, Seal raw) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key)) {
      if (EncryptedRecording.looksEncrypted(ch)) {
        if (kek == null) {
          throw new IOException(
              key.value() + " is stored encrypted; give the key-encryption key to compare it");
        }
        ch.position(0);
        EncryptedRecording r = EncryptedRecording.open(ch, raw, List.of(kek));
        boolean intact = Verifier.create().verify(r.newPlaintextChannel(), raw).isIntact();
        return new Found(
            intact, intact ? new StoredCipher(r.suite().id(), r.keyId(), r.noncePrefix()) : null);
      }
      ch.position(0);
      return new Found(Verifier.create().verify(ch, raw).isIntact(), null);
    } catch (org.evidencekit.crypt.DecryptionException e) {
      return new Found(false, null);
    }
  }

  private @Nullable Seal readSeal(ObjectKey k) throws IOException {
    return readSeal(store, k);
  }

  /** The seal stored at {@code k}, null if absent; one that cannot be read is refused naming it. */
  private static @Nullable Seal readSeal(EvidenceStore store, ObjectKey k) throws IOException {
    byte[] b = read(store, k, MAX_SEAL_BYTES);
    if (b == null) {
      return null;
    }
    try {
      return Seal.parse(b);
    } catch (SealFormatException e) {
      throw new SealFormatException(k.value() + ": " + e.getMessage());
    }
  }

  /**
   * An object's bytes, at most {@code max} of them (more is a format error) and at most a quarter
   * of the heap, the share evidence-core's readers give a document's bytes: a 50 MiB object planted
   * where a seal belongs was an {@code OutOfMemoryError} in a 64 MiB heap, at the ingest of the
   * recording it claimed to seal. Null if absent.
   */
  private static byte @Nullable [] read(EvidenceStore store, ObjectKey k, long max)
      throws IOException {
    long room = Math.min(max, Runtime.getRuntime().maxMemory() / 4);
    try (SeekableByteChannel ch = store.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, room + 1));
      if (b.length > max) {
        throw new SealFormatException(k.value() + " is larger than " + max + " bytes");
      }
      if (b.length > room) {
        throw new SealFormatException(
            k.value()
                + " has more than "
                + room
                + " bytes, too many to read into memory: more than a quarter of this JVM's "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB heap (give it more with -Xmx if it is genuine)");
      }
      return b;
    } catch (NoSuchObjectException e) {
      return null;
    }
  }

  /**
   * Stores a seal, staged or at its recording's key, as a record kept for good: the seal of
   * a recording disposed of under a plan is what shows what was destroyed. A seal committed whose
   * lock then failed is stored: the ingest goes on as after any other put (its entry must follow,
   * and staging or storing it again would find the key taken), and the lock is tried again at the
   * next group this writer logs and when it closes.
   */
  private void put(ObjectKey key, byte[] bytes) throws IOException {
    try {
      PermanentRecords.put(store, key, bytes);
    } catch (RecordNotRetainedException e) {
      toLock.add(e);
    }
  }

  /**
   * {@code time}, or the log's latest time if that is later: what is logged now is never timed
   * before what the log holds (ingest times never run backwards along a chain, and the ledger
   * refuses an entry that trails its latest by more than two minutes, which a run's time may).
   */
  private static Instant notBeforeLog(LedgerView view, Instant time) {
    return view.latestTime().filter(t -> t.isAfter(time)).orElse(time);
  }

  /** Same length, segment size and roots of every shared hash: seals of the same bytes. */
  static boolean sameContent(Seal a, Seal b) {
    if (a.length() != b.length() || a.segmentSize() != b.segmentSize()) {
      return false;
    }
    boolean shared = false;
    for (HashAlgorithm h : a.suite().algorithms()) {
      if (b.suite().algorithms().contains(h)) {
        shared = true;
        if (!a.root(h).equals(b.root(h))) {
          return false;
        }
      }
    }
    return shared;
  }

  /**
   * The key holds (or is logged with) other bytes than {@code ours}, the seal of the recording's
   * own: nothing is changed there, and the recording goes to the key derived from its content
   * ({@link #elsewhereIfTaken}).
   */
  private static Outcome taken(String message, Seal ours) {
    return new Outcome(
        IngestStatus.CONFLICT,
        null,
        -1,
        List.of(finding(IngestCodes.KEY_TAKEN, message + "; nothing was changed")),
        null,
        ours);
  }

  /**
   * The seal the archive holds for {@code content}'s key: the one its live {@code sealed} entry
   * logs (at the seal key, else where it was staged), else a seal object left at the seal key (an
   * unchained ingest's, or kept for good when its recording was disposed of); null if there is none
   * or it cannot be found or read, which {@link #log} then reports as it always has.
   *
   * @param staged whether to look where a logged seal was staged when its seal object is not there:
   *     only where nothing else would catch other bytes (content gone, about to be copied). A
   *     re-run whose seal objects are missing finds them in {@link #log}, which reads each group's
   *     staging object once; read here too, from the storing thread, the two would take turns at
   *     the one remembered object and read it again for each recording.
   */
  private @Nullable Seal claimedSeal(ObjectKey content, boolean staged) throws IOException {
    ObjectKey sealKey = sealKey(content);
    try {
      OptionalLong index = ledger.view().sealedIndex(content.value());
      Seal atKey = readSeal(sealKey);
      if (index.isEmpty()) {
        return atKey;
      }
      LedgerEntry e = ledger.entry(index.getAsLong());
      String digest = e.payloadDigest().orElse("");
      if (atKey != null && atKey.digest().hex().equals(digest)) {
        return atKey;
      }
      Seal inForce = staged ? stagedSeal(store, e) : null;
      return inForce != null && inForce.digest().hex().equals(digest) ? inForce : null;
    } catch (SealFormatException unreadable) {
      return null;
    }
  }

  private static IngestFinding finding(String code, String message) {
    return new IngestFinding(code, IngestFinding.Severity.ERROR, message);
  }

  private static void copy(ReadableByteChannel in, WritableByteChannel out, LongConsumer progress)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long done = 0;
    while (in.read(buf) >= 0) {
      buf.flip();
      done += buf.remaining();
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      buf.clear();
      progress.accept(done);
    }
  }
}
