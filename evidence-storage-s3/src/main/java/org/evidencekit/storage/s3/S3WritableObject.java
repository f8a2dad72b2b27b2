package org.evidencekit.storage.s3;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One write: bytes are buffered up to one part; a write that stays within one part is sent in a
 * single PUT, a larger one as a multipart upload of parts of that size (memory: the parts in flight
 * plus the one being filled). A single-part write is committed as the commit record itself; a
 * multipart one goes under a data key of its own and {@link #commit()} then publishes a commit
 * record pointing at it. Publishing the record is the only step others can see.
 *
 * <p>Written either in order (not thread-safe; the store's SHA-256 of the content goes into the
 * record) or at positions from several threads at once ({@link S3PositionalUpload}: parts are
 * uploaded as they fill, in any order; no whole-object digest).
 */
final class S3WritableObject implements WritableObject {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int FIRST_BUFFER = 64 * 1024;

  private final S3EvidenceStore store;
  private final ObjectKey key;
  private final int partSize;
  private final String dataKey;
  private final MessageDigest sha256;
  private final Map<String, String> dataMeta;
  private byte[] buf = new byte[0];
  private int filled;
  private long size;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private final int maxInFlight;
  private final java.util.ArrayDeque<java.util.concurrent.Future<CompletedPart>> inFlight =
      new java.util.ArrayDeque<>();
  private final java.util.ArrayDeque<byte[]> inFlightBuffers = new java.util.ArrayDeque<>();
  private final java.util.ArrayDeque<byte[]> spare = new java.util.ArrayDeque<>();
  private int partBuffers;
  private int partCount;
  private volatile boolean open = true;
  private boolean committed;

  /** The retention the commit gives the object ({@link #retainOnCommit}), or null. */
  private volatile @Nullable Instant retainUntil;

  private static final int UNWRITTEN = 0;
  private static final int IN_ORDER = 1;
  private static final int POSITIONAL = 2;

  /** How the object is being written: set by the first write, never changed. */
  private final AtomicInteger mode = new AtomicInteger(UNWRITTEN);

  private final S3PositionalUpload positional;

  S3WritableObject(
      S3EvidenceStore store, ObjectKey key, int partSize, int maxInFlight, int openParts) {
    this.store = store;
    this.key = key;
    this.partSize = partSize;
    this.maxInFlight = maxInFlight;
    this.dataKey = store.newDataKey();
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
    this.dataMeta =
        Map.of(S3EvidenceStore.META_KEY, URLEncoder.encode(key.value(), StandardCharsets.UTF_8));
    this.positional =
        new S3PositionalUpload(
            store,
            key,
            dataKey,
            dataMeta,
            partSize,
            maxInFlight,
            openParts,
            S3PositionalUpload.STALL_NANOS);
  }

  /** The positional state, for tests that watch its memory bound. */
  S3PositionalUpload positional() {
    return positional;
  }

  static String newWriteId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public ObjectKey key() {
    return key;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean supportsPositionalWrites() {
    return true;
  }

  /**
   * Taken where the bucket has Object Lock: the commit claims the key there in any case ({@link
   * S3Claims#claim}), so that only the winner of a race locks anything, locks a multipart write's
   * data version before its record exists, and writes the record with the retention on the PUT
   * itself. The object is never visible without its retention, even if the process dies between two
   * requests.
   */
  @Override
  public boolean retainOnCommit(Instant retainUntil) {
    requireNonNull(retainUntil, "retainUntil");
    if (!open || !store.objectLockEnabled()) {
      return false;
    }
    this.retainUntil = retainUntil;
    return true;
  }

  /**
   * Stores {@code src} at {@code position}, from any thread; parts are uploaded as they fill. See
   * {@link S3PositionalUpload} for the memory bound and what is refused (overlapping writes, holes
   * at commit).
   */
  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    requireNonNull(src, "src");
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    if (!open) {
      throw new ClosedChannelException();
    }
    // one atomic step: a get-then-CAS let a thread that read UNWRITTEN lose the CAS to another
    // thread's first positional write and refuse its own (seen once in S3PositionalWriteProperties)
    int was = mode.compareAndExchange(UNWRITTEN, POSITIONAL);
    if (was != UNWRITTEN && was != POSITIONAL) {
      throw new IllegalStateException(key.value() + " is being written in order");
    }
    try {
      return positional.write(src, position);
    } catch (IOException e) {
      if (positional.failed()) {
        // a part failed on an upload thread, which may still be aborting the upload: the caller
        // hears of the failure only once no upload is left
        open = false;
        positional.abort();
      }
      throw e;
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int was = mode.compareAndExchange(UNWRITTEN, IN_ORDER);
    if (was != UNWRITTEN && was != IN_ORDER) {
      throw new IllegalStateException(key.value() + " is being written at positions");
    }
    int n = src.remaining();
    while (src.hasRemaining()) {
      if (filled == buf.length) {
        if (buf.length < partSize) {
          buf = Arrays.copyOf(buf, Math.min(partSize, Math.max(FIRST_BUFFER, buf.length * 2)));
        } else {
          uploadPart(false);
        }
      }
      int k = Math.min(src.remaining(), buf.length - filled);
      src.get(buf, filled, k);
      sha256.update(buf, filled, k);
      filled += k;
      size += k;
    }
    return n;
  }

  private static RequestBody body(byte[] b, int len) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(b, 0, len), len, "application/octet-stream");
  }

  /**
   * Sends the full buffer as the next part, on the store's upload threads with up to {@code
   * maxInFlight} parts in flight (memory: that many parts plus the one being filled), and takes a
   * free buffer to fill next.
   */
  private void uploadPart(boolean last) throws IOException {
    try {
      if (uploadId == null) {
        uploadId =
            store
                .client()
                .createMultipartUpload(
                    r -> r.bucket(store.bucket()).key(dataKey).metadata(dataMeta))
                .uploadId();
        partBuffers = 1;
      }
    } catch (SdkException e) {
      fail();
      throw S3Errors.map(e, "start the upload of " + key.value());
    }
    int number = ++partCount;
    byte[] data = buf;
    int len = filled;
    String id = uploadId;
    java.util.concurrent.Callable<CompletedPart> send =
        () -> {
          UploadPartResponse r =
              store
                  .client()
                  .uploadPart(
                      u ->
                          u.bucket(store.bucket())
                              .key(dataKey)
                              .uploadId(id)
                              .partNumber(number)
                              .contentLength((long) len),
                      body(data, len));
          return CompletedPart.builder().partNumber(number).eTag(r.eTag()).build();
        };
    try {
      inFlight.add(store.uploads().submit(send));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      fail();
      throw new StoreUnavailableException("the store is closed", e);
    }
    inFlightBuffers.add(data);
    filled = 0;
    if (last) {
      buf = new byte[0];
      return;
    }
    buf = spare.poll();
    if (buf == null && partBuffers < maxInFlight + 1) {
      buf = new byte[partSize];
      partBuffers++;
    }
    while (buf == null || inFlight.size() > maxInFlight) {
      awaitOldest();
      if (buf == null) {
        buf = spare.poll();
      }
    }
  }

  /** Waits for the oldest part in flight; its buffer becomes free. */
  private void awaitOldest() throws IOException {
    // left in flight until it ends: a failure below waits for it before aborting the upload
    java.util.concurrent.Future<CompletedPart> f = inFlight.peek();
    try {
      CompletedPart done = f.get();
      inFlight.poll();
      parts.add(done);
      spare.add(inFlightBuffers.poll());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail();
      throw new java.io.InterruptedIOException("interrupted while uploading " + key.value());
    } catch (java.util.concurrent.ExecutionException e) {
      inFlight.poll();
      inFlightBuffers.poll();
      fail();
      Throwable c = e.getCause();
      throw c instanceof SdkException
          ? S3Errors.map((SdkException) c, "upload part of " + key.value())
          : new StoreUnavailableException("upload part of " + key.value() + " failed: " + c, c);
    }
  }

  /**
   * Commits: uploads what is left, then, on a bucket with Object Lock, claims the key ({@link
   * S3Claims#claim}) before the first request that locks anything, and releases the claim once the
   * commit is decided. A retain-until ({@link #retainOnCommit}) that is not in the future or that
   * S3 cannot keep is refused with {@link IllegalArgumentException} before anything is sent, and
   * the write is aborted.
   */
  @Override
  public ObjectInfo commit() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    store.ensureOpen();
    Instant asked = retainUntil;
    Instant until = null;
    if (asked != null) {
      try {
        until = S3EvidenceStore.commitRetention(asked);
      } catch (RuntimeException e) {
        abort();
        throw e;
      }
    }
    return commit(until);
  }

  /** A publication: the requests from the data's retention to the decided record. */
  private interface Publication {
    ObjectInfo run() throws IOException;
  }

  /**
   * Runs {@code p} under a claim of the key where the bucket has Object Lock, with or without a
   * retention: a commit of this version that did not claim could land its record between a
   * claimer's look at the records and the claimer's locked record, which then loses and stays
   * locked. Claimed after the upload, the claim is held for a few requests, not for as
   * long as the bytes take to send.
   */
  private ObjectInfo claimed(Publication p) throws IOException {
    if (!store.objectLockEnabled()) {
      return p.run();
    }
    String claim = store.claims().claim(key);
    try {
      return p.run();
    } finally {
      store.claims().release(key, claim);
    }
  }

  private ObjectInfo commit(@Nullable Instant until) throws IOException {
    if (mode.get() == POSITIONAL) {
      return commitPositional(until);
    }
    if (uploadId == null) {
      return commitInline(until);
    }
    String version;
    try {
      if (filled > 0) {
        uploadPart(true);
      }
      while (!inFlight.isEmpty()) {
        awaitOldest();
      }
      CompleteMultipartUploadResponse r =
          store
              .client()
              .completeMultipartUpload(
                  c ->
                      c.bucket(store.bucket())
                          .key(dataKey)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts)));
      uploadId = null;
      version = r.versionId();
      if (version == null || version.isEmpty() || version.equals("null")) {
        throw new StoreUnavailableException(
            "the bucket returned no version id for " + dataKey + ": enable versioning");
      }
    } catch (SdkException e) {
      fail();
      throw S3Errors.map(e, "store " + key.value());
    } catch (IOException e) {
      fail();
      throw e;
    }
    buf = new byte[0];
    open = false;
    return publishData(version, size, sha256Copy(), until);
  }

  /**
   * Commits positional writes: a hole is refused and the upload is aborted; the record has no
   * digest (the bytes arrived out of order; the writer's seal is their proof).
   */
  private ObjectInfo commitPositional(@Nullable Instant until) throws IOException {
    S3PositionalUpload.Finished f;
    try {
      f = positional.finish();
    } catch (IOException | RuntimeException e) {
      open = false;
      positional.abort(); // idempotent: returns once no upload is left
      throw e;
    }
    open = false;
    if (f.inline != null) {
      RequestBody bytes = f.inline;
      try {
        ObjectInfo info = claimed(() -> store.publishInline(key, bytes, f.size, null, until));
        committed = true;
        return info;
      } catch (SdkException e) {
        throw S3Errors.map(e, "store " + key.value());
      }
    }
    return publishData(requireNonNull(f.dataVersion, "dataVersion"), f.size, null, until);
  }

  /**
   * Publishes the record of a completed data version under a claim of the key, locked first if
   * {@code until} is given; a losing or failed one leaves no data (locked data of a commit that
   * lost anyway, which only an EvidenceKit from before claims can cause, stays until then, never
   * read).
   */
  private ObjectInfo publishData(
      String version, long size, byte @Nullable [] sha256, @Nullable Instant until)
      throws IOException {
    try {
      ObjectInfo info =
          claimed(
              () -> {
                if (until != null) {
                  store.retainData(key, dataKey, version, until);
                }
                return store.publish(key, dataKey, version, size, sha256, until);
              });
      committed = true;
      return info;
    } catch (ObjectExistsException e) {
      deleteData(version, false, e); // nothing of the losing write remains
      throw e;
    } catch (IOException | RuntimeException e) {
      // the record may or may not exist: only delete the data if no record points at it
      deleteData(version, true, e);
      throw e;
    }
  }

  /**
   * Deletes the data version of a commit that failed or lost, unless {@code ifUnreferenced} and a
   * committed record points at it; a failure is added to {@code failure}. Sent also from an
   * interrupted thread (a commit cancelled while it waited for another writer's claim), where the
   * SDK sends nothing: the interrupt is set aside and kept.
   */
  private void deleteData(String version, boolean ifUnreferenced, Exception failure) {
    boolean interrupted = Thread.interrupted();
    try {
      if (!ifUnreferenced || !store.isCommittedAs(key, dataKey)) {
        store.deleteVersion(dataKey, version);
      }
    } catch (IOException cleanup) {
      failure.addSuppressed(cleanup);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A write within one part goes into the commit record itself: one PUT that is the commit, one
   * object for a reader to GET. A losing or failed PUT leaves nothing the store would read.
   */
  private ObjectInfo commitInline(@Nullable Instant until) throws IOException {
    byte[] data = buf;
    int len = filled;
    buf = new byte[0];
    open = false;
    byte[] digest = sha256Copy();
    try {
      ObjectInfo info =
          claimed(() -> store.publishInline(key, body(data, len), len, digest, until));
      committed = true;
      return info;
    } catch (SdkException e) {
      throw S3Errors.map(e, "store " + key.value());
    }
  }

  private byte[] sha256Copy() {
    try {
      return ((MessageDigest) sha256.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Gives the write up at once (R-14: no upload lingers until a sweep): the parts in flight are
   * waited for, a request each, since a part that reaches the server after the abort could leave
   * the upload behind, and then the upload is aborted, also on an interrupted thread (whose
   * interrupt is kept). Only a failing abort request leaves it, to {@link
   * S3EvidenceStore#sweepAbandoned}.
   */
  private void fail() {
    open = false;
    buf = new byte[0];
    boolean interrupted = Thread.interrupted();
    for (java.util.concurrent.Future<CompletedPart> f : inFlight) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.CancellationException e) {
          break; // that part failed: nothing of it is on the server to outlive the abort
        }
      }
    }
    inFlight.clear();
    inFlightBuffers.clear();
    spare.clear();
    abortUpload();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void abortUpload() {
    if (uploadId != null) {
      String id = uploadId;
      uploadId = null;
      S3PositionalUpload.abortUpload(store, dataKey, id);
    }
  }

  @Override
  public void abort() {
    if (mode.get() == POSITIONAL) {
      open = false;
      positional.abort(); // idempotent; waits for parts in flight, so no upload is left behind
      return;
    }
    if (!open) {
      return;
    }
    fail();
  }

  @Override
  public void close() {
    if (!committed) {
      abort();
    }
  }
}
