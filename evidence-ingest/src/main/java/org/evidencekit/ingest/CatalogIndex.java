package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * Every recording's {@code sealed} ledger entry (the first since its last disposal, R-07, R-20),
 * the recordings disposed of with theirs, and the ledger entries of disposition plans,
 * read from a snapshot in the store plus the ledger entries appended after it, so that sweeps and
 * reports read O(new entries) of the ledger rather than all of it. docs/report.md ("Catalog index")
 * has the format and why only a snapshot signed by the ledger's key is taken.
 *
 * <p>A snapshot is the create-only object {@code catalog/{ledger size, 20 digits}.tsv}: the ledger
 * size and root it summarizes, the rows, and a signature by the key that signs the ledger's
 * checkpoints. Anyone who can write the store can add one, so a reader takes only one whose size
 * and root are the ledger's own at that size and whose signature a trusted ledger key made; any
 * other is refused (named in {@link #refused()}) and an older one, or the full ledger, is read
 * instead; at most {@link #MAX_TRIED} are tried.
 */
public final class CatalogIndex {
  /** Where snapshots are kept. */
  public static final String PREFIX = "catalog/";

  /** New ledger entries after which a writer writes a new snapshot (one full batch). */
  public static final int DEFAULT_EVERY = EvidenceLedger.MAX_BATCH;

  /**
   * Snapshots tried at one read, newest first, before the ledger itself is read. The bound keeps
   * what planted snapshots cost a reader (a read and a line of {@link #refused()} each) to this
   * many, however many the store lists.
   */
  static final int MAX_TRIED = 16;

  private static final Pattern SNAPSHOT_NAME = Pattern.compile("catalog/[0-9]{20}\\.tsv");

  /**
   * The format written: keys escaped ({@link #escape}); each live row citing the recording's first
   * {@code sealed} entry since its last disposal; each disposed recording with its {@code disposed}
   * entry and that {@code sealed} entry (its seal stays in the store for good, and the readers hold
   * it to the digest logged); the entries of disposition plans; which live recordings are logged as
   * stored encrypted ({@code e} before their row) and the latest key rotation of each ({@code r}
   * rows: a sweep holds a ciphertext's header to it, a plaintext in its place to the first, R-05,
   * R-20); and a signature by the ledger's key over all of it, since a row of an unsigned snapshot
   * can only be believed by folding the ledger.
   */
  private static final String MAGIC = "evidencekit-catalog 6";

  /** What the ledger key signs: this, then the hex SHA-256 of every byte before the signature. */
  private static final String SIGNED_PREFIX = "evidencekit-catalog 6 signature\n";

  /**
   * Earlier formats, still recognised and refused, each with why: a reader folds the ledger instead
   * (once: the next snapshot written is of the current format).
   */
  private static final Map<String, String> OLDER_FORMATS =
      Map.of(
          "evidencekit-catalog 5",
          "does not record which recordings are stored encrypted or had their key rotated: a sweep"
              + " would miss a plaintext put in a ciphertext's place and refuse a logged rotation",
          "evidencekit-catalog 4",
          "is not signed by the ledger's key: anyone who can write the store can plant one that"
              + " leaves a recording out or cites a substitute's sealed entry",
          "evidencekit-catalog 3",
          "may cite a recording's latest sealed entry, not its first since its last disposal",
          "evidencekit-catalog 2",
          "does not record which recordings were disposed of",
          "evidencekit-catalog 1",
          "does not record which recordings were disposed of");

  private static final String SUFFIX = ".tsv";

  /** The detail of a {@code sealed} or {@code rewrapped} entry that names the suite. */
  private static final String ENCRYPTION = "encryption";

  /** How a ledger entry names the disposition plan it concerns. */
  private static final String PLAN = "plan:";

  // the ledger's batch objects, as docs/ledger.md lays them out
  private static final String BATCHES = "ledger/batches/";
  private static final String BATCH_SUFFIX = ".jsonl";

  /**
   * A recording's {@code sealed} entry (the first since its last disposal).
   *
   * @param index its index in the ledger
   * @param sealDigest the entry's payload digest: the seal's digest, hex; empty if it logged none
   */
  public record Row(long index, String sealDigest) {
    public Row {
      requireNonNull(sealDigest, "sealDigest");
    }
  }

  private final SortedMap<String, Row> recordings;
  private final SortedMap<String, Long> disposed;
  private final SortedMap<String, Row> disposedSeals;
  private final SortedSet<String> encrypted;
  private final SortedMap<String, Long> rewrapped;
  private final SortedSet<Long> planEntries;
  private final long ledgerSize;
  private final OptionalLong snapshot;
  private final long entriesRead;
  private final List<String> refused;

  private CatalogIndex(
      Rows rows, long ledgerSize, OptionalLong snapshot, long entriesRead, List<String> refused) {
    this.recordings = Collections.unmodifiableSortedMap(rows.live);
    this.disposed = Collections.unmodifiableSortedMap(rows.disposed);
    this.disposedSeals = Collections.unmodifiableSortedMap(rows.disposedSeals);
    this.encrypted = Collections.unmodifiableSortedSet(rows.encrypted);
    this.rewrapped = Collections.unmodifiableSortedMap(rows.rewrapped);
    this.planEntries = Collections.unmodifiableSortedSet(rows.planEntries);
    this.ledgerSize = ledgerSize;
    this.snapshot = snapshot;
    this.entriesRead = entriesRead;
    this.refused = List.copyOf(refused);
  }

  /**
   * Recording key to its {@code sealed} entry (the first since its last disposal), disposed
   * recordings left out, key order.
   */
  public SortedMap<String, Row> recordings() {
    return recordings;
  }

  /**
   * Key of each recording disposed of (and not sealed again since) to the index of its {@code
   * disposed} entry, key order: its seal stays in the store for good, and a sweep that finds a seal
   * without its content tells the two apart by this.
   */
  public SortedMap<String, Long> disposed() {
    return disposed;
  }

  /**
   * Key of each recording of {@link #disposed()} to the {@code sealed} entry it had when it was
   * disposed of (the first since its previous disposal), key order; one disposed of without ever
   * being sealed is left out. The seal kept for good is the one that entry logged: a kept seal
   * object with another digest was replaced under the store, whoever signed it.
   */
  public SortedMap<String, Row> disposedSeals() {
    return disposedSeals;
  }

  /**
   * Keys of the live recordings of {@link #recordings()} logged as stored encrypted: their {@code
   * sealed} entry (or a {@code rewrapped} entry since) names a suite. A sweep that finds one of
   * them unencrypted reports its plaintext put in the ciphertext's place.
   */
  public SortedSet<String> encrypted() {
    return encrypted;
  }

  /**
   * Key of each live recording whose key-encryption key was rotated to the index of its latest
   * {@code rewrapped} entry since its {@code sealed} entry: its stored header names that entry's
   * key id.
   */
  public SortedMap<String, Long> rewrapped() {
    return rewrapped;
  }

  /**
   * Indexes of the ledger's {@code disposition-approved} and {@code destruction-registered} entries
   * of plans (subject {@code plan:<digest>}), ascending: who approved a plan and which destruction
   * registers were logged, read by index instead of by a pass over the ledger.
   */
  public SortedSet<Long> planEntries() {
    return planEntries;
  }

  /** The ledger size this index describes (the ledger's size when it was read). */
  public long ledgerSize() {
    return ledgerSize;
  }

  /** The size of the snapshot it started from; empty if it read the whole ledger. */
  public OptionalLong snapshot() {
    return snapshot;
  }

  /** Ledger entries read from batches after the snapshot. */
  public long entriesRead() {
    return entriesRead;
  }

  /** Snapshots refused on the way, one line each: which and why. */
  public List<String> refused() {
    return refused;
  }

  /**
   * Reads the index of the ledger as it stands from the whole ledger: with no trusted ledger key,
   * no snapshot is believed ({@link #read(EvidenceStore, EvidenceLedger, TrustAnchors)}).
   */
  public static CatalogIndex read(EvidenceStore store, EvidenceLedger ledger) throws IOException {
    return read(store, ledger, TrustAnchors.none());
  }

  /**
   * Reads the index of the ledger as it stands: the newest snapshot signed by one of {@code
   * ledgerKeys} and bound to {@code ledger} (its size and root), then the batches after it. With a
   * ledger opened by {@link EvidenceLedger#openFromCheckpoint} the whole read costs O(entries after
   * the snapshot and the newest checkpoint) batch reads, never O(ledger). With no key given every
   * snapshot is passed over unread.
   *
   * @param store the store the ledger is kept in
   * @param ledger that store's ledger, open
   * @param ledgerKeys the keys trusted to sign the ledger's checkpoints and its catalog snapshots
   */
  public static CatalogIndex read(
      EvidenceStore store, EvidenceLedger ledger, TrustAnchors ledgerKeys) throws IOException {
    requireNonNull(store, "store");
    requireNonNull(ledger, "ledger");
    requireNonNull(ledgerKeys, "ledgerKeys");
    long size = ledger.size();
    List<String> refused = new ArrayList<>();
    List<Long> sizes = ledgerKeys.isEmpty() ? List.of() : snapshotSizes(store, size);
    for (int i = sizes.size() - 1; i >= 0; i--) {
      long s = sizes.get(i);
      Rows rows;
      try {
        rows = checked(store, ledger, s, ledgerKeys);
      } catch (SnapshotRefused e) {
        refused.add(key(s).value() + ": " + e.getMessage());
        continue;
      }
      long read = fold(ledger, rows, s, size);
      return new CatalogIndex(rows, size, OptionalLong.of(s), read, refused);
    }
    Rows rows = new Rows();
    long read = fold(ledger, rows, 0, size);
    return new CatalogIndex(rows, size, OptionalLong.empty(), read, refused);
  }

  /**
   * Writes a snapshot at the ledger's size, signed by {@code ledgerKey}, if at least {@code every}
   * entries came after the newest one it signed (or none exists and the ledger has {@code every}
   * entries). Only the holder of the key that signs the ledger's checkpoints writes snapshots that
   * readers take: {@code evidence ledger checkpoint} does, after it signs the checkpoint. Another
   * writer that took the same size first is fine when it signed the same entries; a snapshot
   * planted at that size is refused by readers, who take an older one.
   *
   * @return the size of the snapshot written
   */
  public static OptionalLong write(
      EvidenceStore store, EvidenceLedger ledger, int every, SigningKeyProvider ledgerKey)
      throws IOException {
    requireNonNull(ledgerKey, "ledgerKey");
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1: " + every);
    }
    CatalogIndex now =
        read(store, ledger, TrustAnchors.ofPublicKeys(List.of(ledgerKey.publicKeyDer())));
    long from = now.snapshot.orElse(0);
    if (now.ledgerSize - from < every) {
      return OptionalLong.empty();
    }
    Rows rows = new Rows();
    rows.live.putAll(now.recordings);
    rows.disposed.putAll(now.disposed);
    rows.disposedSeals.putAll(now.disposedSeals);
    rows.encrypted.addAll(now.encrypted);
    rows.rewrapped.putAll(now.rewrapped);
    rows.planEntries.addAll(now.planEntries);
    byte[] bytes = format(now.ledgerSize, ledger.root(now.ledgerSize).hex(), rows, ledgerKey);
    try (WritableObject w = store.create(key(now.ledgerSize))) {
      w.write(java.nio.ByteBuffer.wrap(bytes));
      w.commit();
    } catch (ObjectExistsException taken) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(now.ledgerSize);
  }

  /**
   * Compares the newest snapshot signed by one of {@code ledgerKeys} (and the entries after it)
   * with the whole ledger (reads every entry): for an audit job, e.g. once a day, that holds the
   * key's holder to what it signed. Names the first difference.
   *
   * @return empty if the index read from the snapshot agrees with the ledger, else what differs
   */
  public static java.util.Optional<String> audit(
      EvidenceStore store, EvidenceLedger ledger, TrustAnchors ledgerKeys) throws IOException {
    CatalogIndex fast = read(store, ledger, ledgerKeys);
    Rows all = new Rows();
    fold(ledger, all, 0, fast.ledgerSize);
    SortedMap<String, Row> full = all.live;
    for (Map.Entry<String, Row> e : full.entrySet()) {
      Row r = fast.recordings.get(e.getKey());
      if (!e.getValue().equals(r)) {
        return java.util.Optional.of(
            e.getKey() + ": the ledger says " + e.getValue() + ", the index " + r);
      }
    }
    for (String k : fast.recordings.keySet()) {
      if (!full.containsKey(k)) {
        return java.util.Optional.of(k + ": in the index, not sealed in the ledger");
      }
    }
    if (!all.disposed.equals(fast.disposed)) {
      return java.util.Optional.of(
          "disposed recordings: the ledger says " + all.disposed + ", the index " + fast.disposed);
    }
    if (!all.disposedSeals.equals(fast.disposedSeals)) {
      return java.util.Optional.of(
          "sealed entries of disposed recordings: the ledger says "
              + all.disposedSeals
              + ", the index "
              + fast.disposedSeals);
    }
    if (!all.encrypted.equals(fast.encrypted)) {
      return java.util.Optional.of(
          "recordings stored encrypted: the ledger says "
              + all.encrypted
              + ", the index "
              + fast.encrypted);
    }
    if (!all.rewrapped.equals(fast.rewrapped)) {
      return java.util.Optional.of(
          "key rotations: the ledger says " + all.rewrapped + ", the index " + fast.rewrapped);
    }
    if (!all.planEntries.equals(fast.planEntries)) {
      return java.util.Optional.of(
          "entries of disposition plans: the ledger says "
              + all.planEntries
              + ", the index "
              + fast.planEntries);
    }
    return java.util.Optional.empty();
  }

  static ObjectKey key(long size) {
    return ObjectKey.of(PREFIX + String.format(Locale.ROOT, "%020d", size) + SUFFIX);
  }

  /**
   * Sizes of the {@link #MAX_TRIED} newest stored snapshots not larger than {@code size} (a larger
   * one was written after this ledger was read: the next reader takes it), ascending. Names that
   * are not snapshots, or whose number is past any ledger size, are ignored; the listing is kept to
   * the bound as it is read.
   */
  private static List<Long> snapshotSizes(EvidenceStore store, long size) throws IOException {
    TreeSet<Long> newest = new TreeSet<>();
    try (Stream<ObjectKey> s = store.keys(PREFIX)) {
      Iterator<ObjectKey> keys = s.iterator();
      while (keys.hasNext()) {
        String v = keys.next().value();
        if (!SNAPSHOT_NAME.matcher(v).matches()) {
          continue;
        }
        long n;
        try {
          n = Long.parseLong(v.substring(PREFIX.length(), PREFIX.length() + 20));
        } catch (NumberFormatException pastAnyLedger) {
          continue;
        }
        if (n <= size && newest.add(n) && newest.size() > MAX_TRIED) {
          newest.pollFirst();
        }
      }
    }
    return new ArrayList<>(newest);
  }

  private static final class SnapshotRefused extends Exception {
    private static final long serialVersionUID = 1L;

    SnapshotRefused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The snapshot of size {@code s}, checked against the ledger and the trusted keys, or refused.
   */
  private static Rows checked(
      EvidenceStore store, EvidenceLedger ledger, long s, TrustAnchors ledgerKeys)
      throws IOException, SnapshotRefused {
    // The signature first, in a streaming pass: a snapshot anyone could have planted (rows up to
    // 64 KiB each, as many as the ledger has entries) costs one hashing pass, not its rows' memory.
    Parsed p;
    byte[] signed;
    SnapshotSignature sig;
    try (SeekableByteChannel ch = store.openRead(key(s))) {
      String header = SnapshotSignature.header(ch);
      if (OLDER_FORMATS.containsKey(header)) {
        throw new SnapshotRefused(olderFormat(header));
      }
      if (!MAGIC.equals(header)) {
        throw new SnapshotRefused("not a catalog snapshot: no '" + MAGIC + "' header");
      }
      sig = SnapshotSignature.read(ch, maxBytes(s));
      signed = signed(HexFormat.of().formatHex(sig.bodySha256()));
      if (!ledgerKeys.verifiesSignature(sig.signer(), signed, sig.signature())) {
        throw new SnapshotRefused(
            "not signed by a trusted ledger key (signer "
                + org.evidencekit.trust.KeyIds.of(sig.signer())
                + ")");
      }
      ch.position(0);
      p = read(Channels.newInputStream(ch), s);
    } catch (NoSuchObjectException e) {
      throw new SnapshotRefused("deleted while read");
    } catch (IllegalArgumentException e) {
      throw new SnapshotRefused("not a catalog snapshot: " + e.getMessage());
    }
    if (!Arrays.equals(p.signed, signed)
        || !Arrays.equals(p.signer, sig.signer())
        || !Arrays.equals(p.signature, sig.signature())) {
      throw new SnapshotRefused("changed while read: not the bytes whose signature was checked");
    }
    if (p.size != s) {
      throw new SnapshotRefused("its name says ledger size " + s + ", its content " + p.size);
    }
    // writers snapshot whole ledgers, whose sizes are batch ends: any other size was made up
    if (s < ledger.size() && !store.exists(batchKey(s))) {
      throw new SnapshotRefused(
          "no ledger batch starts at entry " + s + ", so no ledger ended there");
    }
    String root = ledger.root(s).hex();
    if (!root.equals(p.root)) {
      throw new SnapshotRefused(
          "ledger root " + p.root + " at size " + s + ", the ledger's is " + root);
    }
    for (Map.Entry<String, Row> r : p.rows.live.entrySet()) {
      if (r.getValue().index() < 0 || r.getValue().index() >= s) {
        throw new SnapshotRefused(r.getKey() + " cites entry " + r.getValue().index());
      }
    }
    for (Map.Entry<String, Long> d : p.rows.disposed.entrySet()) {
      Row sealed = p.rows.disposedSeals.get(d.getKey());
      if (d.getValue() < 0
          || d.getValue() >= s
          || (sealed != null && (sealed.index() < 0 || sealed.index() >= d.getValue()))) {
        throw new SnapshotRefused(d.getKey() + " disposed at entry " + d.getValue());
      }
    }
    for (Map.Entry<String, Long> r : p.rows.rewrapped.entrySet()) {
      Row sealed = p.rows.live.get(r.getKey());
      if (sealed == null || r.getValue() <= sealed.index() || r.getValue() >= s) {
        throw new SnapshotRefused(r.getKey() + " rewrapped at entry " + r.getValue());
      }
    }
    if (!p.rows.planEntries.isEmpty()
        && (p.rows.planEntries.first() < 0 || p.rows.planEntries.last() >= s)) {
      throw new SnapshotRefused("a plan's entry outside the ledger it names");
    }
    return p.rows;
  }

  /** Live and disposed recordings and plan entries, as a fold of the ledger leaves them. */
  private static final class Rows {
    final SortedMap<String, Row> live = new TreeMap<>();
    final SortedMap<String, Long> disposed = new TreeMap<>();
    final SortedMap<String, Row> disposedSeals = new TreeMap<>();

    /** Live recordings logged as stored encrypted. */
    final SortedSet<String> encrypted = new TreeSet<>();

    /** Live recordings to their latest {@code rewrapped} entry since their {@code sealed} one. */
    final SortedMap<String, Long> rewrapped = new TreeMap<>();

    final SortedSet<Long> planEntries = new TreeSet<>();

    int count() {
      return live.size() + disposed.size() + planEntries.size() + rewrapped.size();
    }
  }

  /** Applies entries {@code [from, to)} to {@code rows}, reading only their batches. */
  private static long fold(EvidenceLedger ledger, Rows rows, long from, long to)
      throws IOException {
    ledger.forEachEntry(from, to, (e, index) -> apply(rows, index, e));
    return to - from;
  }

  private static ObjectKey batchKey(long first) {
    return ObjectKey.of(BATCHES + String.format(Locale.ROOT, "%020d", first) + BATCH_SUFFIX);
  }

  private static void apply(Rows rows, long index, LedgerEntry e) {
    if (e.type().equals(EntryType.SEALED)) {
      // the first since its last disposal: a recording is sealed once, and a later entry for it
      // logs a substitute
      if (rows.live.putIfAbsent(e.subject(), new Row(index, e.payloadDigest().orElse("")))
          == null) {
        rows.rewrapped.remove(e.subject());
        if (e.details().containsKey(ENCRYPTION)) {
          rows.encrypted.add(e.subject());
        } else {
          rows.encrypted.remove(e.subject());
        }
      }
      rows.disposed.remove(e.subject());
      rows.disposedSeals.remove(e.subject());
    } else if (e.type().equals(EntryType.REWRAPPED)) {
      if (rows.live.containsKey(e.subject())) {
        rows.rewrapped.put(e.subject(), index);
        if (e.details().containsKey(ENCRYPTION)) {
          rows.encrypted.add(e.subject()); // a sealed entry older than the encryption detail
        }
      }
    } else if (e.type().equals(EntryType.DISPOSED)) {
      rows.encrypted.remove(e.objectKey());
      rows.rewrapped.remove(e.objectKey());
      Row sealed = rows.live.remove(e.objectKey());
      rows.disposed.put(e.objectKey(), index);
      // the seal kept for good is the one its sealed entry logged; a second disposed entry of a
      // recording already gone (an execution completed after interruption) changes nothing of it
      if (sealed != null) {
        rows.disposedSeals.put(e.objectKey(), sealed);
      }
    } else if ((e.type().equals(EntryType.DISPOSITION_APPROVED)
            || e.type().equals(EntryType.DESTRUCTION_REGISTERED))
        && e.subject().startsWith(PLAN)) {
      rows.planEntries.add(index);
    }
  }

  /** A snapshot's bytes: the rows, then the signature of {@code ledgerKey} over all before it. */
  static byte[] format(long size, String root, Rows rows, SigningKeyProvider ledgerKey)
      throws IOException {
    byte[] body = body(size, root, rows);
    byte[] signature = ledgerKey.sign(signed(HashAlgorithm.SHA256.hash(body).hex()));
    String line =
        "signature\t"
            + Base64.getEncoder().encodeToString(ledgerKey.publicKeyDer())
            + "\t"
            + Base64.getEncoder().encodeToString(signature)
            + "\n";
    byte[] tail = line.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(body, body.length + tail.length);
    System.arraycopy(tail, 0, out, body.length, tail.length);
    return out;
  }

  /** The message the ledger key signs for a snapshot whose bytes before the signature hash so. */
  private static byte[] signed(String bodySha256Hex) {
    return (SIGNED_PREFIX + bodySha256Hex).getBytes(StandardCharsets.UTF_8);
  }

  /** Everything of a snapshot before its signature line. */
  static byte[] body(long size, String root, Rows rows) {
    StringBuilder b = new StringBuilder();
    b.append(MAGIC).append('\n');
    b.append("ledger-size\t").append(size).append('\n');
    b.append("ledger-root\t").append(root).append('\n');
    rows.live.forEach(
        (k, r) ->
            b.append(rows.encrypted.contains(k) ? "e\t" : "")
                .append(r.index())
                .append('\t')
                .append(r.sealDigest())
                .append('\t')
                .append(escape(k))
                .append('\n'));
    rows.disposed.forEach(
        (k, i) -> {
          Row sealed = rows.disposedSeals.get(k);
          b.append("d\t").append(i).append('\t');
          if (sealed == null) {
            b.append("-\t-\t");
          } else {
            b.append(sealed.index()).append('\t').append(sealed.sealDigest()).append('\t');
          }
          b.append(escape(k)).append('\n');
        });
    rows.planEntries.forEach(i -> b.append("p\t").append(i).append('\n'));
    rows.rewrapped.forEach(
        (k, i) -> b.append("r\t").append(i).append('\t').append(escape(k)).append('\n'));
    b.append("end\t")
        .append(rows.live.size())
        .append('\t')
        .append(rows.disposed.size())
        .append('\t')
        .append(rows.planEntries.size())
        .append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A snapshot of live rows only, signed by {@code key}: for tests that plant one. */
  static byte[] format(long size, String root, SortedMap<String, Row> live, SigningKeyProvider key)
      throws IOException {
    return format(size, root, rows(live, new TreeMap<>(), new TreeMap<>(), new TreeSet<>()), key);
  }

  /** Rows for a snapshot a test writes: live ones, disposed ones with their sealed entries. */
  static Rows rows(
      SortedMap<String, Row> live,
      SortedMap<String, Long> disposed,
      SortedMap<String, Row> disposedSeals,
      SortedSet<Long> planEntries) {
    Rows r = new Rows();
    r.live.putAll(live);
    r.disposed.putAll(disposed);
    r.disposedSeals.putAll(disposedSeals);
    r.planEntries.addAll(planEntries);
    return r;
  }

  /**
   * A parsed snapshot: what it says, and its signature: the signer's key, the message it must have
   * signed (over the bytes read) and the signature value.
   */
  private record Parsed(
      long size, String root, Rows rows, byte[] signer, byte[] signed, byte[] signature) {}

  /** Why a snapshot of an earlier format is not taken. */
  private static String olderFormat(String header) {
    return "'" + header + "' " + OLDER_FORMATS.get(header) + ": the ledger is read instead";
  }

  /**
   * Longest line read: a row is two indexes (at most 20 digits each), a 64-digit digest and a
   * recording key, and the key is the subject of a ledger entry, which is at most {@link
   * EvidenceLedger#MAX_ENTRY_BYTES}; 200 bytes more cover the rest of a row (a {@code d} row's two
   * indexes and digest take 109). The signature line is under 300 bytes. Real rows are about 100
   * bytes.
   */
  static final int MAX_LINE_BYTES = EvidenceLedger.MAX_ENTRY_BYTES + 200;

  /**
   * The most bytes a snapshot of a ledger of {@code s} entries holds: at most {@code s} rows (each
   * cites a distinct entry below {@code s}) and four other lines, each within {@link
   * #MAX_LINE_BYTES}, and the signature line. A larger one is refused before a byte of it is read.
   */
  static long maxBytes(long s) {
    long lines = s + 4;
    return lines > (Long.MAX_VALUE - SnapshotSignature.MAX_SIGNATURE_LINE_BYTES) / MAX_LINE_BYTES
        ? Long.MAX_VALUE
        : lines * MAX_LINE_BYTES + SnapshotSignature.MAX_SIGNATURE_LINE_BYTES;
  }

  /**
   * Parses the snapshot in {@code in}, whose signature was checked, that names ledger size {@code
   * s}, line by line: a line over {@link #MAX_LINE_BYTES}, more rows than {@code s} (each cites a
   * distinct entry below it) or anything after the signature line is refused as soon as it is met,
   * so even a snapshot its key's holder got wrong never costs more memory than the rows a ledger of
   * that size can justify (read whole, a 4 GiB one was an OutOfMemoryError).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  private static Parsed read(InputStream in, long s) throws IOException {
    Lines r = new Lines(in);
    String header = r.next();
    if (!MAGIC.equals(header)) {
      throw new IllegalArgumentException("no '" + MAGIC + "' header");
    }
    long size = decimal(field(r.required(), "ledger-size"), r.number, "the ledger size");
    String root = field(r.required(), "ledger-root");
    Rows rows = new Rows();
    for (String line = r.required(); ; line = r.required()) {
      if (line.startsWith("end\t")) {
        String[] counts = field(line, "end").split("\t", -1);
        if (counts.length != 3
            || decimal(counts[0], r.number, "a count") != rows.live.size()
            || decimal(counts[1], r.number, "a count") != rows.disposed.size()
            || decimal(counts[2], r.number, "a count") != rows.planEntries.size()) {
          throw new IllegalArgumentException("the end line's counts are not the number of rows");
        }
        byte[] signed = signed(r.digestHex());
        String[] sig = field(r.required(), "signature").split("\t", -1);
        if (sig.length != 2) {
          throw new IllegalArgumentException("the signature line has not two fields");
        }
        if (!r.atEnd()) {
          throw new IllegalArgumentException("bytes after its signature line");
        }
        return new Parsed(
            size,
            root,
            rows,
            SnapshotSignature.base64(sig[0], "signer's key"),
            signed,
            SnapshotSignature.base64(sig[1], "signature"));
      }
      if (rows.count() >= s) {
        // each row cites a distinct entry below s
        throw new IllegalArgumentException(
            "line " + r.number + ": more than the " + s + " rows a ledger of " + s + " has");
      }
      // an escaped key holds no tab, so another field is a broken row, not part of a key
      String[] f = line.split("\t", -1);
      boolean repeated;
      if (f[0].equals("p")) {
        if (f.length != 2) {
          throw new IllegalArgumentException("line " + r.number + " has not two fields");
        }
        repeated = !rows.planEntries.add(decimal(f[1], r.number, "the entry index"));
      } else if (f[0].equals("d")) {
        if (f.length != 5) {
          throw new IllegalArgumentException("line " + r.number + " has not five fields");
        }
        String key = unescape(f[4], r.number);
        if (!f[2].equals("-")) {
          rows.disposedSeals.put(key, new Row(decimal(f[2], r.number, "the entry index"), f[3]));
        } else if (!f[3].equals("-")) {
          throw new IllegalArgumentException("line " + r.number + ": a digest without its entry");
        }
        repeated =
            rows.disposed.put(key, decimal(f[1], r.number, "the entry index")) != null
                || rows.live.containsKey(key);
      } else if (f[0].equals("r")) {
        if (f.length != 3) {
          throw new IllegalArgumentException("line " + r.number + " has not three fields");
        }
        String key = unescape(f[2], r.number);
        if (!rows.live.containsKey(key)) {
          throw new IllegalArgumentException(
              "line " + r.number + ": a key rotation of a recording with no live row");
        }
        repeated = rows.rewrapped.put(key, decimal(f[1], r.number, "the entry index")) != null;
      } else {
        // a live row, "e" first when the recording is logged as stored encrypted
        int at = f[0].equals("e") ? 1 : 0;
        if (f.length != 3 + at) {
          throw new IllegalArgumentException(
              "line " + r.number + " has not " + (at == 1 ? "four" : "three") + " fields");
        }
        String key = unescape(f[2 + at], r.number);
        repeated =
            rows.live.put(key, new Row(decimal(f[at], r.number, "the entry index"), f[1 + at]))
                    != null
                || rows.disposed.containsKey(key);
        if (at == 1) {
          rows.encrypted.add(key);
        }
      }
      if (repeated) {
        throw new IllegalArgumentException("line " + r.number + " repeats a row");
      }
    }
  }

  /**
   * A count or index as the writer puts it: decimal digits only, within a {@code long}. Anything
   * else (a sign, a blank, an exponent, 20 nines) is named with its line, not left to {@code
   * Long.parseLong}'s "For input string".
   */
  private static long decimal(String v, int line, String what) {
    boolean digits = !v.isEmpty() && v.length() <= 19;
    for (int i = 0; digits && i < v.length(); i++) {
      digits = v.charAt(i) >= '0' && v.charAt(i) <= '9';
    }
    if (digits) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException pastLong) {
        // 19 digits past 2^63 - 1: named below
      }
    }
    throw new IllegalArgumentException(
        "line "
            + line
            + ": "
            + what
            + " '"
            + (v.length() > 40 ? v.substring(0, 40) + "..." : v)
            + "' is not a decimal number of at most 19 digits");
  }

  /** The lines of a snapshot, each read through a buffer and refused past the length bound. */
  private static final class Lines {
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[256];

    /** Lines returned so far. */
    int number;

    /** SHA-256 of the bytes of every line returned so far, line breaks included. */
    private final java.security.MessageDigest digest = sha256();

    Lines(InputStream in) {
      this.in = in;
    }

    /** The next line without its line break; null at the end. */
    String next() throws IOException {
      int n = 0;
      while (true) {
        if (pos == end) {
          pos = 0;
          end = Math.max(0, in.read(buf));
          if (end == 0) {
            if (n > 0) {
              throw new IllegalArgumentException("not newline-terminated");
            }
            return null;
          }
        }
        int i = pos;
        while (i < end && buf[i] != '\n') {
          i++;
        }
        int len = i - pos;
        if (n + len > MAX_LINE_BYTES) {
          throw new IllegalArgumentException(
              "line "
                  + (number + 1)
                  + " is longer than "
                  + MAX_LINE_BYTES
                  + " bytes, more than any row can be");
        }
        if (n + len > line.length) {
          line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, 2 * (n + len)));
        }
        System.arraycopy(buf, pos, line, n, len);
        n += len;
        pos = i;
        if (i < end) {
          pos++;
          number++;
          digest.update(line, 0, n);
          digest.update((byte) '\n');
          return new String(line, 0, n, StandardCharsets.UTF_8);
        }
      }
    }

    /** The hex SHA-256 of the lines returned so far; the digest goes on from there. */
    String digestHex() {
      try {
        return java.util.HexFormat.of()
            .formatHex(((java.security.MessageDigest) digest.clone()).digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("SHA-256 cannot be cloned", e);
      }
    }

    private static java.security.MessageDigest sha256() {
      try {
        return java.security.MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("no SHA-256", e);
      }
    }

    /** Whether nothing follows; reads at most one buffer to know. */
    boolean atEnd() throws IOException {
      if (pos == end) {
        pos = 0;
        end = Math.max(0, in.read(buf));
      }
      return pos == end;
    }

    /** The next line, which must be there. */
    String required() throws IOException {
      String l = next();
      if (l == null) {
        throw new IllegalArgumentException("no end line");
      }
      return l;
    }
  }

  /**
   * A key as a row's last field: backslash, tab, line feed and carriage return as {@code \\},
   * {@code \t}, {@code \n}, {@code \r}; every other character as it is. Never longer than the
   * ledger's own JSON of the same subject (which escapes these in two bytes too, and other control
   * characters in six), so a row stays within {@link #MAX_LINE_BYTES}. The ledger admits no lone
   * surrogate (RFC 7493), so the UTF-8 of the rest is exact.
   */
  static String escape(String key) {
    StringBuilder b = null;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      String esc =
          switch (c) {
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> null;
          };
      if (esc != null && b == null) {
        b = new StringBuilder(key.length() + 16).append(key, 0, i);
      }
      if (b != null) {
        if (esc != null) {
          b.append(esc);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? key : b.toString();
  }

  /** The inverse of {@link #escape}; any other backslash sequence is refused. */
  static String unescape(String field, int line) {
    int first = field.indexOf('\\');
    if (first < 0) {
      return field;
    }
    StringBuilder b = new StringBuilder(field.length()).append(field, 0, first);
    for (int i = first; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char next = i + 1 < field.length() ? field.charAt(i + 1) : 0;
      switch (next) {
        case '\\' -> b.append('\\');
        case 't' -> b.append('\t');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        default ->
            throw new IllegalArgumentException(
                "line " + line + ": a key with a backslash that escapes nothing");
      }
      i++;
    }
    return b.toString();
  }

  private static String field(String line, String name) {
    if (!line.startsWith(name + "\t")) {
      throw new IllegalArgumentException("expected '" + name + "', found '" + line + "'");
    }
    return line.substring(name.length() + 1);
  }
}
