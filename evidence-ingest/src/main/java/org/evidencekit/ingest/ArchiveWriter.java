package org.evidencekit.ingest;

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
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.crypt.KeyEncryptionKey;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerView;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
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
 *       staged under its own digest ({@code ledger/seals/DIGEST.seal.json}, create-only), so a
 *       crash after logging never loses the exact seal that was logged;
 *   <li>the {@code sealed} entry is appended only if the recording has none and the device's tip is
 *       still that predecessor ({@link EvidenceLedger#appendIf}): the ledger's create-only batches
 *       make this one atomic step across processes; if another station moved the tip, the seal is
 *       completed again on the new tip (no rehash) and the step retried;
 *   <li>the seal is stored at {@code KEY.seal.json}, where verifiers and the sweep read it.
 * </ol>
 *
 * Each recording thus gets exactly one {@code sealed} entry and each device one unbroken chain,
 * whatever the interleaving.
 */
final class ArchiveWriter {
  static final String STAGED = "ledger/seals/";
  private static final int MAX_SEAL_BYTES = 64 * 1024 * 1024;
  private static final int MAX_ATTEMPTS = 1000;

  private final EvidenceStore store;
  private final EvidenceLedger ledger;
  private final @Nullable AeadSuite aead;
  private final @Nullable KeyEncryptionKey kek;

  ArchiveWriter(
      EvidenceStore store,
      EvidenceLedger ledger,
      @Nullable AeadSuite aead,
      @Nullable KeyEncryptionKey kek) {
    this.store = store;
    this.ledger = ledger;
    this.aead = aead;
    this.kek = kek;
  }

  /** What writing one recording came to. */
  record Outcome(
      IngestStatus status, @Nullable Seal seal, long ledgerIndex, List<IngestFinding> findings) {}

  /** Completes a raw seal for a given predecessor (metadata, signature, timestamp). */
  @FunctionalInterface
  interface Finisher {
    Seal finish(Seal raw, Optional<String> previousSealDigest, Instant ingestTime)
        throws IOException;
  }

  Outcome write(
      RecordingSource source,
      ObjectKey content,
      Sealer sealer,
      Finisher finisher,
      String deviceId,
      String actor,
      Instant time,
      LongConsumer progress) {
    ObjectKey sealKey = ObjectKey.of(content.value() + EvidenceArchive.SEAL_SUFFIX);
    boolean existedAtStart;
    boolean storedNow = false;
    boolean loggedAtStart = ledger.view().sealedIndex(content.value()).isPresent();
    Seal raw = null;
    try {
      existedAtStart = store.exists(content);
      if (!existedAtStart) {
        try {
          raw = copySealed(source, content, sealer, progress);
          storedNow = true;
        } catch (ObjectExistsException e) {
          raw = null; // another station committed the same key meanwhile: compared below
        }
      }
      if (raw == null) {
        raw = sealOnly(source, sealer, progress);
        ledger.refresh();
        // logged already: the seals are compared in log(); otherwise the stored bytes must be these
        if (ledger.view().sealedIndex(content.value()).isEmpty() && !storedMatches(content, raw)) {
          return conflict(content.value() + " holds other bytes (its stored content differs)");
        }
      }
    } catch (IOException e) {
      return new Outcome(
          IngestStatus.FAILED,
          null,
          -1,
          List.of(finding(IngestCodes.STORE_FAILED, "nothing stored: " + e.getMessage())));
    }
    // What this run did decides its status: it logged the recording (INGESTED, or RESUMED when
    // the content was left by an earlier run), it restored the content of a logged recording
    // (RESUMED), or another station had done it all (ALREADY).
    try {
      return log(
          content,
          sealKey,
          raw,
          finisher,
          deviceId,
          actor,
          time,
          existedAtStart ? IngestStatus.RESUMED : IngestStatus.INGESTED,
          storedNow && loggedAtStart ? IngestStatus.RESUMED : IngestStatus.ALREADY);
    } catch (IOException e) {
      return new Outcome(
          IngestStatus.INCOMPLETE,
          null,
          -1,
          List.of(
              finding(
                  IngestCodes.STORE_FAILED,
                  "the content is stored, its seal is not logged yet ("
                      + e.getMessage()
                      + "); run the same ingest again to complete it")));
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
      IngestStatus ifLoggedBefore)
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
        // A seal stored without a ledger entry: left by an ingest that did not log first.
        if (!sameContent(legacy, raw)) {
          return conflict(sealKey.value() + " is a seal of other bytes");
        }
        OptionalLong idx =
            ledger.appendIf(
                sealedEntry(content.value(), legacy, actor, time, previous(legacy)),
                v -> v.sealedIndex(content.value()).isEmpty());
        if (idx.isPresent()) {
          return new Outcome(IngestStatus.RESUMED, legacy, idx.getAsLong(), List.of());
        }
        continue;
      }
      List<IngestFinding> duplicate = duplicateOf(view, content.value(), raw);
      Optional<String> prev = view.latestSealOf(deviceId).flatMap(s -> s.entry().payloadDigest());
      // never before anything the log holds, so ingest times never run backwards along a chain
      Instant at = view.latestTime().filter(t -> t.isAfter(time)).orElse(time);
      Seal seal = finisher.finish(raw, prev, at);
      if (!sameContent(seal, raw) || seal.length() != raw.length()) {
        throw new IllegalStateException("the finished seal is not a seal of the copied content");
      }
      try {
        put(staged(seal.digest().hex()), seal.toJson());
      } catch (ObjectExistsException sameDigest) {
        // content-addressed: another station made the very same seal (same bytes, same time)
      }
      OptionalLong idx =
          ledger.appendIf(
              sealedEntry(content.value(), seal, actor, at, prev),
              v ->
                  v.sealedIndex(content.value()).isEmpty()
                      && Objects.equals(
                          v.latestSealOf(deviceId).flatMap(s -> s.entry().payloadDigest()), prev));
      if (idx.isEmpty()) {
        continue; // another station logged this recording or moved the device's tip: look again
      }
      List<IngestFinding> findings = new java.util.ArrayList<>(duplicate);
      findings.addAll(storeSealObject(sealKey, seal));
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
    Seal atKey = readSeal(sealKey);
    Seal inForce =
        atKey != null && atKey.digest().hex().equals(digest) ? atKey : readSeal(staged(digest));
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
      return conflict(
          content.value() + " is logged (entry " + index + ") with a seal of other bytes");
    }
    List<IngestFinding> findings = List.of();
    if (atKey == null) {
      // Logged, seal object not there yet: another station is about to write it, or one stopped
      // before it could. Either way writing it (create-only, the logged seal) is harmless; it does
      // not make this run the one that ingested the recording.
      findings = new java.util.ArrayList<>(storeSealObject(sealKey, inForce));
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
    } else if (!atKey.digest().hex().equals(digest)) {
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
    return List.of(
        new IngestFinding(
            IngestCodes.DUPLICATE_CONTENT,
            IngestFinding.Severity.WARNING,
            "byte for byte the recording already logged as "
                + e.subject()
                + " (entry "
                + candidate.getAsLong()
                + "); both are kept and both keys name the same content"));
  }

  private List<IngestFinding> storeSealObject(ObjectKey sealKey, Seal seal) throws IOException {
    try {
      put(sealKey, seal.toJson());
      return List.of();
    } catch (ObjectExistsException e) {
      Seal there = readSeal(sealKey);
      if (there != null && there.digest().equals(seal.digest())) {
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

  private static LedgerEntry sealedEntry(
      String key, Seal seal, String actor, Instant time, Optional<String> previous) {
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
    previous.ifPresent(p -> details.put("previousSeal", p));
    details.put("root", seal.root(seal.suite().algorithms().get(0)).hex());
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(time)
        .actor(actor)
        .subject(key)
        .payloadDigest(seal.digest().hex())
        .details(details)
        .build();
  }

  /** Seals while copying into a new create-only object; nothing is visible unless it all went. */
  private Seal copySealed(
      RecordingSource source, ObjectKey key, Sealer sealer, LongConsumer progress)
      throws IOException {
    try (SeekableByteChannel in = source.open();
        WritableObject w = store.create(key)) {
      long size = in.size();
      Seal raw;
      if (aead != null && kek != null) {
        try (EncryptingChannel enc =
            EncryptingChannel.create(w, sealer, aead, 1 << 20, kek, size)) {
          copy(in, enc, progress);
          raw = enc.finish();
        }
      } else {
        try (SealingChannel sealing = sealer.newSealingChannel(w, size)) {
          copy(in, sealing, progress);
          raw = sealing.finish();
        }
      }
      w.commit(); // visible only now, whole
      return raw;
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

  /** Whether the stored content is the sealed bytes (decrypted first when encrypted). */
  private boolean storedMatches(ObjectKey key, Seal raw) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key)) {
      if (EncryptedRecording.looksEncrypted(ch)) {
        if (kek == null) {
          throw new IOException(
              key.value() + " is stored encrypted; give the key-encryption key to compare it");
        }
        ch.position(0);
        EncryptedRecording r = EncryptedRecording.open(ch, raw, List.of(kek));
        return Verifier.create().verify(r.newPlaintextChannel(), raw).isIntact();
      }
      ch.position(0);
      return Verifier.create().verify(ch, raw).isIntact();
    } catch (org.evidencekit.crypt.DecryptionException e) {
      return false;
    }
  }

  private @Nullable Seal readSeal(ObjectKey k) throws IOException {
    try (SeekableByteChannel ch = store.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      byte[] b = in.readNBytes(MAX_SEAL_BYTES + 1);
      if (b.length > MAX_SEAL_BYTES) {
        throw new SealFormatException(k.value() + " is larger than 64 MiB");
      }
      return Seal.parse(b);
    } catch (NoSuchObjectException e) {
      return null;
    }
  }

  private void put(ObjectKey key, byte[] bytes) throws IOException {
    try (WritableObject w = store.create(key)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        w.write(b);
      }
      w.commit();
    }
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

  private static Outcome conflict(String message) {
    return new Outcome(
        IngestStatus.CONFLICT,
        null,
        -1,
        List.of(finding(IngestCodes.KEY_TAKEN, message + "; nothing was changed")));
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
