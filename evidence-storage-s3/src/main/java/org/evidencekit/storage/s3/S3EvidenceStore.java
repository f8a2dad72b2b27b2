package org.evidencekit.storage.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An {@link EvidenceStore} over S3-compatible object storage (AWS S3, Ceph RGW, MinIO) with Object
 * Lock in COMPLIANCE mode (R-14 central storage, R-16 retention, R-20 integrity). When the bucket
 * has Object Lock enabled, retention and legal holds are enforced by the storage itself: nobody,
 * administrators included, can delete a locked object early, whatever they use.
 *
 * <h2>Layout</h2>
 *
 * Under the store's prefix {@code P}:
 *
 * <ul>
 *   <li>{@code P commits/<key>}: the commit record. For an object that fits in one part (default 8
 *       MiB) the record is the object: its bytes, with metadata {@code evidence-inline: true}, the
 *       size and the client-side SHA-256. For a larger one it is an empty object whose metadata
 *       names the data object and its version, size and SHA-256. It is created with {@code
 *       If-None-Match: *}, and of racing writers exactly one commits (the oldest record version);
 *       the losers delete their record and data. Nothing is visible before its record exists.
 *   <li>{@code P data/<write-id>}: the bytes of one multipart write, under a key unique to that
 *       write, so a write never touches anything another writer made.
 *   <li>{@code P claims/<key>}: on a bucket with Object Lock, an empty version per commit while its
 *       race is decided ({@link Builder#claimLifetime}, {@link Builder#claimWait}); never read by
 *       readers, never locked.
 * </ul>
 *
 * <p>Reads address the committed record version by its id, never "the latest": a version added
 * around the store, by anyone with write access, is never read. Version ids come from a listing
 * ({@link #keys}, or a read-ahead listing of the next thousand record versions when a key is opened
 * that no listing named yet) and are remembered, so a sweep in key order costs one listing per
 * thousand objects plus one GET per object (two for a multipart one: record, then data).
 *
 * <p>Retention and holds are put on both the data version and the record version, and read back
 * from the server after setting (the data version's values are reported). A commit given its
 * retention ({@link WritableObject#retainOnCommit}) claims its key first, locks its data before the
 * record exists and sends the retention with the record's PUT, so the object is never visible
 * unlocked, even if the process dies between two requests. Deletion deletes those versions by
 * version id (never a delete marker), so the server refuses it while they are locked.
 *
 * <p>The store has no {@link Capability#INJECTED_CLOCK}: the server's clock decides expiry. It
 * rounds retention instants up to whole seconds (S3 stores seconds) and refuses one that is not in
 * the future with {@link IllegalArgumentException}, since Object Lock cannot record an expired
 * retention.
 *
 * <p>Client settings that S3-compatible servers need are applied: path-style addressing with an
 * endpoint, checksums only when the operation requires them (Ceph RGW 16 rejects the SDK's default
 * trailing checksums). The SHA-256 is computed here, kept in the record, and checked when an object
 * is read through to its end.
 */
public final class S3EvidenceStore implements EvidenceStore {
  static final String META_DATA_KEY = "evidence-data";
  static final String META_VERSION = "evidence-version";
  static final String META_SIZE = "evidence-size";
  static final String META_SHA256 = "evidence-sha256";
  static final String META_KEY = "evidence-key";
  static final String META_INLINE = "evidence-inline";

  /** {@link #META_SHA256} of content written at positions: no whole-object digest. */
  static final String NO_DIGEST = "none";

  /** Record versions one read-ahead listing asks for (S3's page size). */
  static final int READ_AHEAD = 1000;

  /** Committed record versions remembered for reading (about 100 bytes each). */
  static final int REMEMBERED_VERSIONS = 200_000;

  private final S3Client s3;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final int partSize;
  private final int uploadConcurrency;
  private final int openParts;
  private final java.util.concurrent.ExecutorService uploads;
  private final boolean lockEnabled;
  private final Set<Capability> capabilities;

  /**
   * Key value to its committed record version, learned from version listings and kept in LRU order.
   * An entry stays true while that version exists: a record version is never changed, no version
   * older than a listed one appears later (the commit protocol rests on that too), and a deleted
   * one is noticed when reading it answers 404, which drops the entry.
   */
  private final Map<String, String> committedVersions =
      Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > REMEMBERED_VERSIONS;
            }
          });

  private final S3Claims claims;

  private volatile boolean closed;

  private S3EvidenceStore(Builder b, S3Client s3, boolean ownsClient) throws IOException {
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.partSize = b.partSize;
    this.uploadConcurrency = b.uploadConcurrency;
    this.openParts = b.openParts;
    this.claims = new S3Claims(this, b.claimLifetime, b.claimWait);
    this.lockEnabled = readLockEnabled();
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    this.uploads =
        java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "evidencekit-s3-upload-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Set<Capability> caps = new LinkedHashSet<>();
    caps.add(Capability.RANGE_READ);
    caps.add(Capability.LIST);
    caps.add(Capability.PERSISTENT);
    if (lockEnabled) {
      caps.add(Capability.RETENTION);
      caps.add(Capability.LEGAL_HOLD);
      caps.add(Capability.STORAGE_ENFORCED_RETENTION);
    }
    this.capabilities = Collections.unmodifiableSet(caps);
  }

  /** A builder; {@code bucket} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates a bucket with Object Lock enabled (which turns versioning on), as an operator would
   * once before pointing stores at it. For tests and set-up tools.
   */
  public static void createLockedBucket(S3Client s3, String bucket) throws IOException {
    try {
      s3.createBucket(
          CreateBucketRequest.builder().bucket(bucket).objectLockEnabledForBucket(true).build());
    } catch (SdkException e) {
      throw S3Errors.map(e, "create bucket " + bucket);
    }
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The key prefix inside the bucket ({@code ""} or ending in {@code /}). */
  public String prefix() {
    return prefix;
  }

  /** Whether the bucket enforces Object Lock (read from the server when the store was opened). */
  public boolean objectLockEnabled() {
    return lockEnabled;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  // ------------------------------------------------------------------ write

  @Override
  public WritableObject create(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    ensureOpen();
    // an early answer only (a record version, even a losing writer's, means the key is taken or
    // about to be): the commit decides for good
    if (!recordVersions(key).isEmpty()) {
      throw new ObjectExistsException(key.value() + " already exists");
    }
    return new S3WritableObject(this, key, partSize, uploadConcurrency, openParts);
  }

  /**
   * Publishes the commit record for a data version: of racing writers of a key exactly one
   * succeeds, the one whose record version is the oldest. Called by {@link
   * S3WritableObject#commit()}; on conflict the caller deletes its data.
   *
   * <p>{@code If-None-Match: *} is sent too, so a server that honours it refuses a second record at
   * once; Ceph RGW 16 ignores it on versioned (Object Lock) buckets, and the version order decides.
   */
  ObjectInfo publish(
      ObjectKey key,
      String dataKey,
      String dataVersion,
      long size,
      byte @Nullable [] sha256,
      @Nullable Instant retainUntil)
      throws IOException {
    Map<String, String> meta =
        Map.of(
            META_DATA_KEY,
            dataKey,
            META_VERSION,
            dataVersion,
            META_SIZE,
            Long.toString(size),
            META_SHA256,
            digestValue(sha256));
    return publish(key, meta, RequestBody.empty(), retainUntil);
  }

  /**
   * Publishes a commit record that carries the bytes themselves (an object that fits in one part):
   * one object, so a reader that knows the record's version reads the content with one GET. The
   * same race rule as {@link #publish(ObjectKey, String, String, long, byte[], Instant)}; a losing
   * record is deleted here and leaves nothing.
   */
  ObjectInfo publishInline(
      ObjectKey key,
      RequestBody bytes,
      long size,
      byte @Nullable [] sha256,
      @Nullable Instant retainUntil)
      throws IOException {
    Map<String, String> meta =
        Map.of(
            META_INLINE, "true", META_SIZE, Long.toString(size), META_SHA256, digestValue(sha256));
    return publish(key, meta, bytes, retainUntil);
  }

  /**
   * The record's {@link #META_SHA256}: the hex digest, or {@link #NO_DIGEST} for content written at
   * positions, which arrives out of order and has no whole-object digest (its writer keeps a seal).
   * Said explicitly, so a record that lost the field still reads as damaged.
   */
  private static String digestValue(byte @Nullable [] sha256) {
    return sha256 == null ? NO_DIGEST : HexFormat.of().formatHex(sha256);
  }

  /**
   * Writes the record and decides the race. With {@code retainUntil} the record is written already
   * retained (COMPLIANCE mode and the retain-until date on the PUT itself, with the Content-MD5
   * that Object Lock requires), so no moment exists, not even if this process dies right after the
   * PUT, in which the object is visible unprotected. Such a writer has won its {@link
   * S3Claims#claim} first, as has every writer of this version on such a bucket; should it still
   * lose (to an EvidenceKit from before claims, whose record landed within the few requests since
   * the claim looked at the records), its locked record version cannot be deleted, but, newer than
   * the committed one, it is never read, and {@link #delete} refuses while it is locked.
   */
  private ObjectInfo publish(
      ObjectKey key, Map<String, String> meta, RequestBody body, @Nullable Instant retainUntil)
      throws IOException {
    String mine;
    try {
      String md5 = retainUntil == null ? null : md5Of(body);
      PutObjectResponse r =
          s3.putObject(
              x -> {
                x.bucket(bucket).key(commitKey(key)).ifNoneMatch("*").metadata(meta);
                if (retainUntil != null) {
                  x.contentMD5(md5)
                      .objectLockMode(ObjectLockMode.COMPLIANCE)
                      .objectLockRetainUntilDate(retainUntil);
                }
              },
              body);
      mine = versionOf(r, commitKey(key));
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        throw new ObjectExistsException(
            key.value() + " already exists (committed by another writer)");
      }
      throw S3Errors.map(e, "commit " + key.value());
    } catch (SdkException e) {
      throw S3Errors.map(e, "commit " + key.value());
    }
    List<ObjectVersion> versions = recordVersions(key);
    if (versions.isEmpty() || !versions.get(versions.size() - 1).versionId().equals(mine)) {
      ObjectExistsException lost =
          new ObjectExistsException(key.value() + " already exists (committed by another writer)");
      try {
        deleteVersion(commitKey(key), mine);
      } catch (IOException locked) {
        if (retainUntil == null) {
          throw locked;
        }
        // retained by the PUT: it stays until then, newer than the committed record, never read
        lost.addSuppressed(locked);
      }
      throw lost;
    }
    committedVersions.put(key.value(), mine);
    // the committed version is known: one HEAD reads what the server applied (default retention)
    Record r =
        headRecord(key, mine)
            .orElseThrow(() -> new NoSuchObjectException(key.value() + " was deleted at once"));
    ObjectInfo info = info(r);
    if (retainUntil != null) {
      Instant recordKept = r.head == null ? null : r.head.objectLockRetainUntilDate();
      Instant dataKept = info.retainUntil().orElse(null);
      if (recordKept == null
          || recordKept.isBefore(retainUntil)
          || dataKept == null
          || dataKept.isBefore(retainUntil)) {
        throw new StoreUnavailableException(
            "the server did not keep the retention of "
                + key.value()
                + " given with its commit: asked "
                + retainUntil
                + ", the record has "
                + recordKept
                + ", its data "
                + dataKept);
      }
    }
    return info;
  }

  /** Content-MD5 of a body of at most one part, which Object Lock requires on a PUT. */
  private static String md5Of(RequestBody body) throws IOException {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is mandatory in every JDK", e);
    }
    try (java.io.InputStream in = body.contentStreamProvider().newStream()) {
      byte[] b = new byte[64 * 1024];
      for (int n; (n = in.read(b)) >= 0; ) {
        md5.update(b, 0, n);
      }
    }
    return java.util.Base64.getEncoder().encodeToString(md5.digest());
  }

  /**
   * Locks a completed data version until {@code retainUntil} before its record is published: the
   * object is visible only once the record exists, by then protected. Sent after the upload, not
   * with it: Ceph RGW ignores Object Lock headers on {@code CreateMultipartUpload}, and the
   * retention may be asked after the upload began.
   */
  void retainData(ObjectKey key, String dataKey, String dataVersion, Instant retainUntil)
      throws IOException {
    putRetention(key, dataKey, dataVersion, retainUntil);
  }

  /**
   * The retain-until a commit sends for {@code retainUntil}, as {@link #setRetention} would set it:
   * rounded up to whole seconds, in the future and at most {@link #MAX_RETAIN_UNTIL}.
   *
   * @throws IllegalArgumentException otherwise, before anything is sent
   */
  static Instant commitRetention(Instant retainUntil) {
    Instant until = ceilSeconds(retainUntil);
    if (!until.isAfter(Instant.now())) {
      throw new IllegalArgumentException(
          "retain-until "
              + until
              + " is not in the future; S3 Object Lock cannot record an expired retention");
    }
    if (until.isAfter(MAX_RETAIN_UNTIL)) {
      throw new IllegalArgumentException(
          "retain-until " + until + " is after " + MAX_RETAIN_UNTIL + ", the latest S3 keeps");
    }
    return until;
  }

  /** Deletes one version for good (a plain delete would only add a delete marker). */
  void deleteVersion(String s3Key, String versionId) throws IOException {
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(s3Key).versionId(versionId));
    } catch (SdkException e) {
      throw S3Errors.map(e, "delete " + s3Key);
    }
  }

  /**
   * The versions of a key's commit record, newest first (S3's listing order), delete markers left
   * out. The last one is the committed record; any others are writers that lost and have not
   * removed their record yet.
   */
  List<ObjectVersion> recordVersions(ObjectKey key) throws IOException {
    return versions(commitKey(key), key);
  }

  /** The versions of one S3 key, newest first, delete markers left out. */
  List<ObjectVersion> versions(String k, ObjectKey key) throws IOException {
    List<ObjectVersion> out = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    try {
      while (true) {
        String km = keyMarker;
        String vm = versionMarker;
        ListObjectVersionsResponse r =
            s3.listObjectVersions(
                l -> l.bucket(bucket).prefix(k).maxKeys(50).keyMarker(km).versionIdMarker(vm));
        boolean past = false;
        for (ObjectVersion v : r.versions()) {
          if (v.key().equals(k)) {
            out.add(v);
          } else {
            past = true; // keys sort after this one: its versions are all listed
          }
        }
        if (past || !Boolean.TRUE.equals(r.isTruncated())) {
          return out;
        }
        keyMarker = r.nextKeyMarker();
        versionMarker = r.nextVersionIdMarker();
      }
    } catch (SdkException e) {
      throw S3Errors.map(e, "read " + key.value());
    }
  }

  // ------------------------------------------------------------------ read

  /**
   * Opens with one GET of the committed record version, found without a request per key when a
   * listing already named it ({@link #keys}, or the read-ahead of an earlier open). A record that
   * carries its bytes is read from that same response; one that points at a data object reads it
   * with ranged GETs from the first read on.
   */
  @Override
  public SeekableByteChannel openRead(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    ensureOpen();
    for (int attempt = 0; attempt < 3; attempt++) {
      String version = attempt == 0 ? committedVersions.get(key.value()) : null;
      if (version == null) {
        Optional<String> listed = readAhead(key);
        if (listed.isEmpty()) {
          throw new NoSuchObjectException(key.value() + " does not exist");
        }
        version = listed.get();
      }
      String v = version;
      ResponseInputStream<GetObjectResponse> in;
      try {
        in = s3.getObject(g -> g.bucket(bucket).key(commitKey(key)).versionId(v));
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          committedVersions.remove(key.value(), v); // deleted since listed: look again
          continue;
        }
        throw S3Errors.map(e, "read " + key.value());
      } catch (SdkException e) {
        throw S3Errors.map(e, "read " + key.value());
      }
      GetObjectResponse h = in.response();
      Record r;
      try {
        r = parseRecord(key, v, h.lastModified(), h.metadata(), h.contentLength());
      } catch (StoreUnavailableException | RuntimeException e) {
        S3ReadChannel.discard(in, true);
        throw e;
      }
      if (r.inline()) {
        return new S3ReadChannel(this, key, r.dataKey, r.dataVersion, r.size, r.sha256, in);
      }
      S3ReadChannel.discard(in, false); // an empty body: the connection is reused
      return new S3ReadChannel(this, key, r.dataKey, r.dataVersion, r.size, r.sha256, null);
    }
    throw new StoreUnavailableException(
        key.value() + " keeps changing while being read (concurrent deletes)");
  }

  /**
   * The committed record version of {@code key} from one listing of up to {@link #READ_AHEAD}
   * record versions starting at the key; every key on that page whose versions are all on it is
   * remembered, so opening the keys that follow costs no listing. A sweep reads keys in order: one
   * listing per about a thousand objects.
   */
  private Optional<String> readAhead(ObjectKey key) throws IOException {
    String k = commitKey(key);
    String commits = prefix + "commits/";
    // keys strictly after the marker: the key itself and what follows it
    String marker = k.substring(0, k.length() - 1);
    ListObjectVersionsResponse r;
    try {
      r =
          s3.listObjectVersions(
              l -> l.bucket(bucket).prefix(commits).keyMarker(marker).maxKeys(READ_AHEAD));
    } catch (SdkException e) {
      throw S3Errors.map(e, "read " + key.value());
    }
    Map<String, String> oldest = new java.util.LinkedHashMap<>();
    String last = null;
    for (ObjectVersion v : r.versions()) {
      oldest.put(v.key(), v.versionId()); // newest first: the last one seen is the oldest
      last = v.key();
    }
    boolean truncated = Boolean.TRUE.equals(r.isTruncated());
    if (truncated && last != null) {
      oldest.remove(last); // its older versions may be on the next page
    }
    oldest.forEach((s3Key, v) -> committedVersions.put(s3Key.substring(commits.length()), v));
    String mine = oldest.get(k);
    if (mine != null) {
      return Optional.of(mine);
    }
    if (!truncated || (last != null && compareUtf8(k, last) < 0)) {
      return Optional.empty(); // the listing passed where the key would be
    }
    List<ObjectVersion> versions = recordVersions(key);
    return versions.isEmpty()
        ? Optional.empty()
        : Optional.of(versions.get(versions.size() - 1).versionId());
  }

  /** S3 lists keys in the order of their UTF-8 bytes. */
  private static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public ObjectInfo stat(ObjectKey key) throws IOException {
    ensureOpen();
    return info(record(key));
  }

  /** Whether the committed record of {@code key} points at {@code dataKey}. */
  boolean isCommittedAs(ObjectKey key, String dataKey) throws IOException {
    return findRecord(key).map(r -> r.dataKey.equals(dataKey)).orElse(false);
  }

  @Override
  public boolean exists(ObjectKey key) throws IOException {
    ensureOpen();
    return findRecord(key).isPresent();
  }

  @Override
  public Stream<ObjectInfo> list(String keyPrefix) throws IOException {
    return keys(keyPrefix).map(this::listed).filter(Objects::nonNull);
  }

  /**
   * One version listing of the commit records, a request per thousand record versions and none per
   * key; each key's committed version is remembered for {@link #openRead}. A key whose committed
   * record lies under a delete marker someone added around the store is listed: it is still read.
   */
  @Override
  public Stream<ObjectKey> keys(String keyPrefix) throws IOException {
    requireNonNull(keyPrefix, "prefix");
    ensureOpen();
    String commits = prefix + "commits/";
    Iterable<ObjectVersion> versions;
    try {
      versions =
          s3.listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(commits + keyPrefix))
              .versions();
    } catch (SdkException e) {
      throw S3Errors.map(e, "list " + keyPrefix);
    }
    java.util.Iterator<ObjectVersion> it = versions.iterator();
    java.util.Iterator<ObjectKey> keys =
        new java.util.Iterator<>() {
          private ObjectVersion pending = advance();
          private ObjectKey next = group();

          private ObjectVersion advance() {
            try {
              return it.hasNext() ? it.next() : null;
            } catch (SdkException e) {
              throw new UncheckedIOException(S3Errors.map(e, "list " + keyPrefix));
            }
          }

          /** The next valid key, its versions consumed (newest first: the last is committed). */
          private ObjectKey group() {
            while (pending != null) {
              String s3Key = pending.key();
              String committed = pending.versionId();
              pending = advance();
              while (pending != null && pending.key().equals(s3Key)) {
                committed = pending.versionId();
                pending = advance();
              }
              ObjectKey k = validKey(s3Key.substring(commits.length()));
              if (k != null) {
                committedVersions.put(k.value(), committed);
                return k;
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public ObjectKey next() {
            if (next == null) {
              throw new java.util.NoSuchElementException();
            }
            ObjectKey k = next;
            next = group();
            return k;
          }
        };
    return StreamSupport.stream(
        java.util.Spliterators.spliteratorUnknownSize(
            keys, java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL),
        false);
  }

  /**
   * The key a record name stands for, or null for a name no {@link ObjectKey} can have (written
   * around the store, e.g. {@code commits/a//b}): it cannot have been committed through the SPI.
   */
  private static ObjectKey validKey(String name) {
    try {
      return ObjectKey.of(name);
    } catch (IllegalArgumentException notAKey) {
      return null;
    }
  }

  private ObjectInfo listed(ObjectKey key) {
    try {
      // the listing that produced the key named its committed version
      String v = committedVersions.get(key.value());
      Optional<Record> r = v == null ? Optional.empty() : headRecord(key, v);
      if (r.isEmpty()) {
        r = findRecord(key);
      }
      return r.isPresent() ? info(r.get()) : null;
    } catch (NoSuchObjectException gone) {
      return null; // deleted while listed: may or may not appear
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ retention and holds

  /**
   * The latest retain-until this store sets: 2106-02-07T06:28:15Z, 2<sup>32</sup> − 1 seconds after
   * the epoch. Ceph RGW keeps the date in 32 unsigned bits and reads a later one back wrapped (9999
   * came back as 1992, 2200 as 2063), which under COMPLIANCE mode could neither be corrected nor,
   * if in the past, protect anything. A later date is refused before any request.
   */
  public static final Instant MAX_RETAIN_UNTIL = Instant.ofEpochSecond(0xFFFF_FFFFL);

  @Override
  public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
    requireNonNull(key, "key");
    requireNonNull(retainUntil, "retainUntil");
    ensureOpen();
    requireLock(Capability.RETENTION);
    Instant until = ceilSeconds(retainUntil);
    Record r = record(key);
    Instant current = lock(r).retainUntil;
    if (current != null && until.isBefore(current)) {
      throw new RetentionLockedException(
          key.value()
              + " is retained until "
              + current
              + "; retention only extends (asked "
              + until
              + ")");
    }
    if (until.equals(current)) {
      return;
    }
    if (!until.isAfter(Instant.now())) {
      throw new IllegalArgumentException(
          "retain-until "
              + until
              + " is not in the future; S3 Object Lock cannot record an expired retention");
    }
    if (until.isAfter(MAX_RETAIN_UNTIL)) {
      // refused before anything is sent: the server would keep a wrapped date, possibly one in
      // the past, and COMPLIANCE mode would then forbid putting it right
      throw new IllegalArgumentException(
          "retain-until "
              + until
              + " is after "
              + MAX_RETAIN_UNTIL
              + ", the latest an S3 server is known to keep (Ceph RGW counts it in 32-bit"
              + " seconds and keeps a later one wrapped into the past)");
    }
    // restrictions go on the record first: delete removes the record first, so a delete racing
    // this call is refused by the record's lock rather than leaving locked data without a record
    putRetention(key, commitKey(key), r.recordVersion, until);
    if (!r.inline()) {
      putRetention(key, r.dataKey, r.dataVersion, until);
    }
    Instant readBack = lock(r).retainUntil;
    if (readBack == null || readBack.isBefore(until)) {
      throw new StoreUnavailableException(
          "the server did not keep the retention of "
              + key.value()
              + ": set "
              + until
              + ", read back "
              + readBack);
    }
  }

  private void putRetention(ObjectKey key, String s3Key, String version, Instant until)
      throws IOException {
    try {
      s3.putObjectRetention(
          r ->
              r.bucket(bucket)
                  .key(s3Key)
                  .versionId(version)
                  .retention(
                      t -> t.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until)));
    } catch (SdkException e) {
      // a concurrent writer may have extended further: the server refuses shortening
      Instant now = retentionOf(s3Key, version);
      if (now != null && until.isBefore(now)) {
        throw new RetentionLockedException(
            key.value() + " is retained until " + now + "; retention only extends");
      }
      if (until.equals(now)) {
        return;
      }
      throw S3Errors.map(e, "set retention of " + key.value());
    }
  }

  @Override
  public void setLegalHold(ObjectKey key, boolean hold) throws IOException {
    requireNonNull(key, "key");
    ensureOpen();
    requireLock(Capability.LEGAL_HOLD);
    Record r = record(key);
    // placed record first, released data first: the record is the gate delete checks
    if (hold) {
      putHold(commitKey(key), r.recordVersion, true, key);
      if (!r.inline()) {
        putHold(r.dataKey, r.dataVersion, true, key);
      }
    } else {
      if (!r.inline()) {
        putHold(r.dataKey, r.dataVersion, false, key);
      }
      putHold(commitKey(key), r.recordVersion, false, key);
    }
    if (lock(r).legalHold != hold) {
      throw new StoreUnavailableException(
          "the server did not keep the legal hold of " + key.value() + " (" + hold + ")");
    }
  }

  private void putHold(String s3Key, String version, boolean hold, ObjectKey key)
      throws IOException {
    ObjectLockLegalHoldStatus status =
        hold ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF;
    try {
      s3.putObjectLegalHold(
          r -> r.bucket(bucket).key(s3Key).versionId(version).legalHold(h -> h.status(status)));
    } catch (SdkException e) {
      throw S3Errors.map(e, "set legal hold of " + key.value());
    }
  }

  // ------------------------------------------------------------------ delete

  @Override
  public void delete(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    ensureOpen();
    Record r = record(key);
    committedVersions.remove(key.value());
    // leftovers of losing writers first (never locked): else one would become the oldest record
    List<ObjectVersion> versions = recordVersions(key);
    for (ObjectVersion v : versions) {
      if (!v.versionId().equals(r.recordVersion)) {
        deleteLoser(key, v.versionId());
      }
    }
    // the record is the gate: the server refuses to delete it while it is locked
    try {
      s3.deleteObject(d -> d.bucket(bucket).key(commitKey(key)).versionId(r.recordVersion));
    } catch (S3Exception e) {
      if (lockEnabled && e.statusCode() == 403) {
        Lock l = lock(r);
        throw new RetentionLockedException(
            key.value()
                + " is locked by the storage ("
                + (l.legalHold ? "legal hold" : "retained until " + l.retainUntil)
                + "); the server refused the delete: "
                + S3Errors.describe(e));
      }
      throw S3Errors.map(e, "delete " + key.value());
    } catch (SdkException e) {
      throw S3Errors.map(e, "delete " + key.value());
    }
    if (r.inline()) {
      return;
    }
    try {
      s3.deleteObject(d -> d.bucket(bucket).key(r.dataKey).versionId(r.dataVersion));
    } catch (SdkException e) {
      // the object is gone for every reader; only its bytes remain, unreferenced
      throw S3Errors.map(
          e, "delete the data of " + key.value() + " (its record is already deleted)");
    }
  }

  /**
   * Deletes a losing writer's record version and its data. One the server keeps locked (a claimer
   * that lost to an EvidenceKit from before claims: its record was locked by its PUT) stops the
   * deletion of the key before the committed record is touched: with the committed record gone, the
   * loser's version would be the oldest, and read as the object.
   */
  private void deleteLoser(ObjectKey key, String recordVersion) throws IOException {
    HeadObjectResponse h;
    try {
      h = s3.headObject(x -> x.bucket(bucket).key(commitKey(key)).versionId(recordVersion));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return; // removed meanwhile by its own writer
      }
      throw S3Errors.map(e, "clean up a losing write of " + key.value());
    } catch (SdkException e) {
      throw S3Errors.map(e, "clean up a losing write of " + key.value());
    }
    Instant until = h.objectLockRetainUntilDate();
    boolean held = h.objectLockLegalHoldStatus() == ObjectLockLegalHoldStatus.ON;
    if (held || (until != null && until.isAfter(Instant.now()))) {
      throw new RetentionLockedException(
          key.value()
              + " cannot be deleted while a losing writer's record version "
              + recordVersion
              + " is locked ("
              + (held ? "legal hold" : "retained until " + until)
              + "; a commit that claimed the key, beaten by an EvidenceKit from before claims):"
              + " with the committed record gone, that version would be read as "
              + key.value());
    }
    String dataKey = h.metadata().get(META_DATA_KEY);
    String dataVersion = h.metadata().get(META_VERSION);
    if (dataKey != null && dataVersion != null && dataKey.startsWith(prefix + "data/")) {
      deleteVersion(dataKey, dataVersion);
    }
    deleteVersion(commitKey(key), recordVersion);
  }

  @Override
  public void close() {
    closed = true;
    uploads.shutdownNow();
    if (ownsClient) {
      s3.close();
    }
  }

  // ------------------------------------------------------------------ abandoned writes

  /** What {@link #sweepAbandoned} removed. */
  public record SweepResult(int uploadsAborted, int orphanDataDeleted, int orphanDataLocked) {}

  /**
   * Removes what writers that died left behind (never visible to readers): multipart uploads
   * started more than {@code olderThan} ago, data objects that old that no commit record names, and
   * claims of commits ({@link S3Claims}) that old, which are not counted. Give writers in progress
   * time to finish: a day is a safe {@code olderThan}. Data under a lock (a bucket default
   * retention) cannot be deleted and is counted as {@code orphanDataLocked}. Lists all data objects
   * of the prefix and every record, so run it from a maintenance job, not on every open.
   */
  public SweepResult sweepAbandoned(java.time.Duration olderThan) throws IOException {
    requireNonNull(olderThan, "olderThan");
    ensureOpen();
    Instant cutoff = Instant.now().minus(olderThan);
    int aborted = 0;
    int deleted = 0;
    int locked = 0;
    try {
      for (software.amazon.awssdk.services.s3.model.MultipartUpload u :
          s3.listMultipartUploadsPaginator(l -> l.bucket(bucket).prefix(prefix + "data/"))
              .uploads()) {
        if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
          s3.abortMultipartUpload(a -> a.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
          aborted++;
        }
      }
      java.util.Set<String> referenced = new java.util.HashSet<>();
      String commits = prefix + "commits/";
      for (ObjectVersion v :
          s3.listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(commits)).versions()) {
        try {
          HeadObjectResponse h =
              s3.headObject(x -> x.bucket(bucket).key(v.key()).versionId(v.versionId()));
          String d = h.metadata().get(META_DATA_KEY);
          String dv = h.metadata().get(META_VERSION);
          if (d != null && dv != null) {
            referenced.add(d + "\u0000" + dv);
          }
        } catch (S3Exception e) {
          if (e.statusCode() != 404) {
            throw e;
          }
        }
      }
      // claims of commits that died (a claim is never locked and hides nothing)
      for (ObjectVersion v :
          s3.listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(prefix + "claims/"))
              .versions()) {
        if (v.lastModified() != null && v.lastModified().isBefore(cutoff)) {
          s3.deleteObject(d -> d.bucket(bucket).key(v.key()).versionId(v.versionId()));
        }
      }
      for (ObjectVersion v :
          s3.listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(prefix + "data/"))
              .versions()) {
        if (referenced.contains(v.key() + "\u0000" + v.versionId())
            || v.lastModified() == null
            || !v.lastModified().isBefore(cutoff)) {
          continue;
        }
        try {
          s3.deleteObject(d -> d.bucket(bucket).key(v.key()).versionId(v.versionId()));
          deleted++;
        } catch (S3Exception e) {
          if (e.statusCode() != 403) {
            throw e;
          }
          locked++;
        }
      }
    } catch (SdkException e) {
      throw S3Errors.map(e, "sweep abandoned writes in " + bucket + "/" + prefix);
    }
    return new SweepResult(aborted, deleted, locked);
  }

  // ------------------------------------------------------------------ internals

  S3Client client() {
    return s3;
  }

  /** Where multipart writers send their parts. */
  java.util.concurrent.ExecutorService uploads() {
    return uploads;
  }

  String newDataKey() {
    return prefix + "data/" + S3WritableObject.newWriteId();
  }

  String commitKey(ObjectKey key) {
    return prefix + "commits/" + key.value();
  }

  String claimKey(ObjectKey key) {
    return prefix + "claims/" + key.value();
  }

  /** The claims of commits that lock what they write. */
  S3Claims claims() {
    return claims;
  }

  void ensureOpen() throws StoreUnavailableException {
    if (closed) {
      throw new StoreUnavailableException("the store is closed");
    }
  }

  private void requireLock(Capability c) {
    if (!lockEnabled) {
      throw new UnsupportedOperationException(
          "bucket " + bucket + " has no Object Lock: the store lacks " + c);
    }
  }

  private boolean readLockEnabled() throws IOException {
    try {
      GetObjectLockConfigurationResponse r = s3.getObjectLockConfiguration(g -> g.bucket(bucket));
      return r.objectLockConfiguration() != null
          && r.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED;
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && S3Errors.isNoLockConfiguration(e)) {
        checkBucket();
        checkVersioning();
        return false;
      }
      throw S3Errors.map(e, "read the Object Lock configuration of bucket " + bucket);
    } catch (SdkException e) {
      throw S3Errors.map(e, "read the Object Lock configuration of bucket " + bucket);
    }
  }

  /**
   * A bucket without Object Lock must still keep versions: commits, races and reads go by version
   * id. Refused at open, where an unversioned bucket used to fail each in-order commit only after
   * its object was visible (the ingest then reported the recording INCOMPLETE).
   */
  private void checkVersioning() throws IOException {
    BucketVersioningStatus status;
    try {
      status = s3.getBucketVersioning(g -> g.bucket(bucket)).status();
    } catch (SdkException e) {
      throw S3Errors.map(e, "read the versioning of bucket " + bucket);
    }
    if (status != BucketVersioningStatus.ENABLED) {
      throw new StoreUnavailableException(
          "bucket "
              + bucket
              + " does not keep versions (versioning "
              + (status == null
                  ? "never enabled"
                  : status.toString().toLowerCase(java.util.Locale.ROOT))
              + "): the store needs them; enable versioning, or better create the bucket with"
              + " Object Lock");
    }
  }

  private void checkBucket() throws IOException {
    try {
      s3.headBucket(h -> h.bucket(bucket));
    } catch (SdkException e) {
      throw S3Errors.map(e, "open bucket " + bucket);
    }
  }

  /** What a commit record says. */
  static final class Record {
    final ObjectKey key;
    final String recordVersion;
    final Instant created;
    final String dataKey;
    final String dataVersion;
    final long size;
    final byte @Nullable [] sha256;
    final boolean inline;

    /** The record's HEAD response when it was read by one (then fresh; never kept beyond). */
    HeadObjectResponse head;

    Record(
        ObjectKey key,
        String recordVersion,
        Instant created,
        String dataKey,
        String dataVersion,
        long size,
        byte @Nullable [] sha256,
        boolean inline) {
      this.key = key;
      this.recordVersion = recordVersion;
      this.created = created;
      this.dataKey = dataKey;
      this.dataVersion = dataVersion;
      this.size = size;
      this.sha256 = sha256;
      this.inline = inline;
    }

    /** Whether the record carries the bytes itself (then the data is the record version). */
    boolean inline() {
      return inline;
    }
  }

  private Record record(ObjectKey key) throws IOException {
    return findRecord(key)
        .orElseThrow(() -> new NoSuchObjectException(key.value() + " does not exist"));
  }

  private Optional<Record> findRecord(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    for (int attempt = 0; attempt < 3; attempt++) {
      List<ObjectVersion> versions = recordVersions(key);
      if (versions.isEmpty()) {
        return Optional.empty();
      }
      Optional<Record> r = headRecord(key, versions.get(versions.size() - 1).versionId());
      if (r.isPresent()) {
        return r;
      }
      // deleted since listed: look again
    }
    throw new StoreUnavailableException(
        key.value() + " keeps changing while being read (concurrent deletes)");
  }

  /** One record version by HEAD; empty if that version is gone. */
  private Optional<Record> headRecord(ObjectKey key, String version) throws IOException {
    HeadObjectResponse h;
    try {
      h = s3.headObject(r -> r.bucket(bucket).key(commitKey(key)).versionId(version));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw S3Errors.map(e, "read " + key.value());
    } catch (SdkException e) {
      throw S3Errors.map(e, "read " + key.value());
    }
    Record r = parseRecord(key, version, h.lastModified(), h.metadata(), h.contentLength());
    r.head = h;
    return Optional.of(r);
  }

  /**
   * What a commit record version says: where its bytes are (in the record itself, or a data object
   * version), their size and SHA-256.
   *
   * @param length the record's own length as the server reported it, or null
   */
  private Record parseRecord(
      ObjectKey key, String version, Instant modified, Map<String, String> m, Long length)
      throws StoreUnavailableException {
    try {
      long size = Long.parseLong(requireNonNull(m.get(META_SIZE), META_SIZE));
      String digest = requireNonNull(m.get(META_SHA256), META_SHA256);
      byte[] sha = digest.equals(NO_DIGEST) ? null : HexFormat.of().parseHex(digest);
      if (size < 0 || (sha != null && sha.length != 32)) {
        throw new IllegalArgumentException("out of range");
      }
      if ("true".equals(m.get(META_INLINE))) {
        if (length != null && length != size) {
          throw new IllegalArgumentException(
              "the record has " + length + " bytes, its metadata says " + size);
        }
        return new Record(key, version, modified, commitKey(key), version, size, sha, true);
      }
      String dataKey = requireNonNull(m.get(META_DATA_KEY), META_DATA_KEY);
      String dataVersion = requireNonNull(m.get(META_VERSION), META_VERSION);
      if (!dataKey.startsWith(prefix + "data/")) {
        throw new IllegalArgumentException("out of range");
      }
      return new Record(key, version, modified, dataKey, dataVersion, size, sha, false);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "damaged commit record for " + key.value() + " in bucket " + bucket + ": " + m, e);
    }
  }

  /** Retention and hold of the data version, as the server reports them. */
  private static final class Lock {
    final Instant retainUntil;
    final boolean legalHold;

    Lock(Instant retainUntil, boolean legalHold) {
      this.retainUntil = retainUntil;
      this.legalHold = legalHold;
    }
  }

  private HeadObjectResponse headData(Record r) throws IOException {
    try {
      HeadObjectResponse h =
          s3.headObject(x -> x.bucket(bucket).key(r.dataKey).versionId(r.dataVersion));
      if (h.contentLength() != null && h.contentLength() != r.size) {
        throw new StoreUnavailableException(
            "damaged: the data of "
                + r.key.value()
                + " has "
                + h.contentLength()
                + " bytes, its commit record says "
                + r.size);
      }
      return h;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchObjectException(r.key.value() + " does not exist (its data is gone)");
      }
      throw S3Errors.map(e, "read " + r.key.value());
    } catch (SdkException e) {
      throw S3Errors.map(e, "read " + r.key.value());
    }
  }

  private Lock lock(Record r) throws IOException {
    HeadObjectResponse h = headData(r);
    return new Lock(
        h.objectLockRetainUntilDate(),
        h.objectLockLegalHoldStatus() == ObjectLockLegalHoldStatus.ON);
  }

  private ObjectInfo info(Record r) throws IOException {
    // a record that carries its bytes is its data version: the HEAD that read it has the lock
    Lock l =
        r.inline && r.head != null
            ? new Lock(
                r.head.objectLockRetainUntilDate(),
                r.head.objectLockLegalHoldStatus() == ObjectLockLegalHoldStatus.ON)
            : lock(r);
    return ObjectInfo.builder(r.key)
        .size(r.size)
        .createdAt(r.created)
        .sha256(r.sha256)
        .retainUntil(lockEnabled ? l.retainUntil : null)
        .legalHold(lockEnabled && l.legalHold)
        .storageEnforced(lockEnabled)
        .build();
  }

  private Instant retentionOf(String s3Key, String version) throws IOException {
    try {
      return s3.headObject(x -> x.bucket(bucket).key(s3Key).versionId(version))
          .objectLockRetainUntilDate();
    } catch (SdkException e) {
      throw S3Errors.map(e, "read the retention of " + s3Key);
    }
  }

  static Instant ceilSeconds(Instant t) {
    Instant s = t.truncatedTo(ChronoUnit.SECONDS);
    return s.equals(t) ? s : s.plusSeconds(1);
  }

  static String versionOf(PutObjectResponse r, String what) throws StoreUnavailableException {
    if (r.versionId() == null || r.versionId().isEmpty() || r.versionId().equals("null")) {
      throw new StoreUnavailableException(
          "the bucket returned no version id for " + what + ": enable versioning (Object Lock)");
    }
    return r.versionId();
  }

  /** Settings of an S3 store. */
  public static final class Builder {
    private String bucket;
    private String prefix = "";
    private URI endpoint;
    private String region = "us-east-1";
    private Boolean pathStyle;
    private AwsCredentialsProvider credentials;
    private int partSize = 8 * 1024 * 1024;
    private int uploadConcurrency = 2;
    private int openParts = 32;
    private Duration claimLifetime = S3Claims.CLAIM_LIFETIME;
    private Duration claimWait = S3Claims.CLAIM_WAIT;
    private Duration socketTimeout = Duration.ofSeconds(60);
    private S3Client client;
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    /** Fails on a setting made twice: the first value would be silently lost. */
    private void once(String setting) {
      if (!set.add(setting)) {
        throw new IllegalStateException(
            setting + " is already set on this S3EvidenceStore.Builder");
      }
    }

    /** The bucket (required). */
    public Builder bucket(String bucket) {
      once("bucket");
      this.bucket = requireNonNull(bucket, "bucket");
      return this;
    }

    /** A key prefix inside the bucket; a trailing {@code /} is added when missing. */
    public Builder prefix(String prefix) {
      once("prefix");
      requireNonNull(prefix, "prefix");
      while (prefix.startsWith("/")) {
        prefix = prefix.substring(1);
      }
      this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
      return this;
    }

    /**
     * An endpoint for S3-compatible servers (Ceph RGW, MinIO); none for AWS.
     *
     * @throws IllegalArgumentException unless it is an {@code http://} or {@code https://} URL with
     *     a host (the SDK would fail later with an internal error)
     */
    public Builder endpoint(URI endpoint) {
      once("endpoint");
      requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "endpoint must be an http:// or https:// URL with a host, not '" + endpoint + "'");
      }
      this.endpoint = endpoint;
      return this;
    }

    /** The region (default {@code us-east-1}). */
    public Builder region(String region) {
      once("region");
      this.region = requireNonNull(region, "region");
      return this;
    }

    /** Path-style addressing; default: on with an endpoint, off for AWS. */
    public Builder pathStyle(boolean pathStyle) {
      once("pathStyle");
      this.pathStyle = pathStyle;
      return this;
    }

    /** Explicit credentials. Without, the standard AWS provider chain is used. */
    public Builder credentials(String accessKey, String secretKey) {
      once("credentials");
      this.credentials =
          StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
      return this;
    }

    public Builder credentials(AwsCredentialsProvider provider) {
      once("credentials");
      this.credentials = requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Part size of multipart uploads and the largest object sent in one PUT (default 8 MiB, at
     * least 5 MiB, at most 512 MiB). A writer holds {@code uploadConcurrency + 1} parts.
     */
    public Builder partSize(int bytes) {
      once("partSize");
      if (bytes < 5 * 1024 * 1024 || bytes > 512 * 1024 * 1024) {
        throw new IllegalArgumentException("part size must be 5 MiB to 512 MiB: " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * Parts of one multipart write sent at once (default 2, 1 to 16). A writer holds this many
     * parts plus the one it fills.
     */
    public Builder uploadConcurrency(int parts) {
      once("uploadConcurrency");
      if (parts < 1 || parts > 16) {
        throw new IllegalArgumentException("upload concurrency must be 1 to 16: " + parts);
      }
      this.uploadConcurrency = parts;
      return this;
    }

    /**
     * Parts of one object written at positions ({@link WritableObject#write(java.nio.ByteBuffer,
     * long)}) that may be open at once (default 32, 2 to 10,000): a part is held from its first
     * byte until it is uploaded, and a write that would open a part this many parts past the lowest
     * part still missing bytes waits for that part to fill. A parallel sealer writes at most its
     * window apart, about {@code 2 x workers x 16 MiB}, so 32 parts of 8 MiB never hold up a sealer
     * of up to 7 workers; with more, the furthest workers wait a little. A writer at positions
     * holds at most {@code (openParts + uploadConcurrency + writing threads) x partSize}.
     */
    public Builder openParts(int parts) {
      once("openParts");
      if (parts < 2 || parts > S3PositionalUpload.MAX_PARTS) {
        throw new IllegalArgumentException("open parts must be 2 to 10000: " + parts);
      }
      this.openParts = parts;
      return this;
    }

    /**
     * How long a commit's claim of its key is honoured on a bucket with Object Lock (default 10
     * minutes, 1 s to 1 day): a claim older than this before one's own is taken for a writer that
     * died and passed over. A commit holds its claim from after its upload to its record (a few
     * requests, plus up to its {@link #claimWait}) and gives up, saying to try again, if that took
     * half the lifetime, so that no one passes over a claim whose record is still coming. Stores
     * writing the same bucket should use the same value.
     */
    public Builder claimLifetime(Duration lifetime) {
      once("claimLifetime");
      requireNonNull(lifetime, "lifetime");
      if (lifetime.compareTo(S3Claims.MIN_LIFETIME) < 0
          || lifetime.compareTo(S3Claims.MAX_LIFETIME) > 0) {
        throw new IllegalArgumentException("claim lifetime must be 1 s to 1 day: " + lifetime);
      }
      this.claimLifetime = lifetime;
      return this;
    }

    /**
     * How long a commit waits for another writer's live claim of the same key to become a record
     * (then {@link org.evidencekit.storage.ObjectExistsException}) or go away, before it fails with
     * {@link StoreUnavailableException} saying to try again later (default 30 s, 0 to 1 hour, and
     * less than half the {@link #claimLifetime}, which {@link #open} checks).
     */
    public Builder claimWait(Duration wait) {
      once("claimWait");
      requireNonNull(wait, "wait");
      if (wait.isNegative() || wait.compareTo(S3Claims.MAX_WAIT) > 0) {
        throw new IllegalArgumentException("claim wait must be 0 to 1 hour: " + wait);
      }
      this.claimWait = wait;
      return this;
    }

    /** How long a request may wait for data before failing (default 60 s). */
    public Builder socketTimeout(Duration timeout) {
      once("socketTimeout");
      this.socketTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * A client to use instead of building one (the caller keeps and closes it). It must be
     * configured as this builder would: checksums only when required for Ceph RGW.
     */
    public Builder client(S3Client client) {
      once("client");
      this.client = requireNonNull(client, "client");
      return this;
    }

    /**
     * Opens the store: checks the bucket and reads its Object Lock configuration.
     *
     * @throws StoreUnavailableException if the bucket cannot be reached
     */
    public S3EvidenceStore open() throws IOException {
      if (bucket == null || bucket.isEmpty()) {
        throw new IllegalStateException("bucket is required: call bucket(name) before open()");
      }
      if (claimWait.multipliedBy(2).compareTo(claimLifetime) >= 0) {
        // a commit that waited that long would give up anyway (see claimLifetime)
        throw new IllegalArgumentException(
            "claim wait ("
                + S3Claims.say(claimWait)
                + ") must be less than half the claim lifetime ("
                + S3Claims.say(claimLifetime)
                + ")");
      }
      if (client != null) {
        for (String replaced : List.of("endpoint", "region", "credentials", "pathStyle")) {
          if (set.contains(replaced)) {
            // the given client was built with its own endpoint, region and credentials: a setting
            // here would be silently ignored
            throw new IllegalStateException(
                "client(...) and "
                    + replaced
                    + "(...) conflict: a given client brings its own endpoint, region and"
                    + " credentials");
          }
        }
        return new S3EvidenceStore(this, client, false);
      }
      S3Client built = buildClient();
      try {
        return new S3EvidenceStore(this, built, true);
      } catch (IOException | RuntimeException e) {
        built.close();
        throw e;
      }
    }

    /** The settings, without credentials: {@code s3://bucket/prefix (endpoint=…, …)}. */
    @Override
    public String toString() {
      return "s3://"
          + bucket
          + "/"
          + prefix
          + " (endpoint="
          + (endpoint == null ? "aws" : endpoint)
          + ", region="
          + region
          + ", pathStyle="
          + (pathStyle != null ? pathStyle : endpoint != null)
          + ", partSize="
          + partSize
          + ", uploadConcurrency="
          + uploadConcurrency
          + ", openParts="
          + openParts
          + ", claimLifetime="
          + claimLifetime.toSeconds()
          + "s, claimWait="
          + claimWait.toSeconds()
          + "s)";
    }

    /** The client this builder's settings describe. */
    public S3Client buildClient() {
      var b =
          S3Client.builder()
              .region(Region.of(region))
              .credentialsProvider(
                  credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              // aws-chunked signing over plain HTTP is rejected by Ceph RGW 16
              // (XAmzContentSHA256Mismatch): sign whole payloads instead
              .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
              .httpClientBuilder(
                  Apache5HttpClient.builder()
                      .maxConnections(64)
                      .connectionTimeout(Duration.ofSeconds(10))
                      .socketTimeout(socketTimeout));
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      b.forcePathStyle(pathStyle != null ? pathStyle : endpoint != null);
      return b.build();
    }
  }
}
