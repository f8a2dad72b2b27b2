package org.evidencekit.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The bytes of one object written at positions ({@link
 * org.evidencekit.storage.WritableObject#write(ByteBuffer, long)}), gathered into the parts of a
 * multipart upload: part {@code k} holds bytes {@code [k x partSize, (k + 1) x partSize)} and is
 * uploaded with part number {@code k + 1}, on the store's upload threads, as soon as all its bytes
 * are present, in whatever order parts fill, at most {@code uploadConcurrency} at once (a writer
 * that completes a part waits for a free slot). The last, shorter part is sent at commit, where the
 * object ends at the furthest byte written. An object of at most one part never starts an upload:
 * its bytes go into the commit record in one PUT at commit, like an in-order write of that size.
 *
 * <p>Safe for writes from several threads at once: bytes are copied outside the lock into disjoint
 * 1 MiB chunks reserved under it.
 *
 * <p><b>Memory.</b> A part is held from its first byte until its upload ends, in 1 MiB chunks
 * allocated as bytes arrive (a 2 MiB object takes 2 MiB, not a part). The parts being filled span
 * from the lowest part still missing bytes to the furthest write, so memory follows how far apart
 * the writers are: a parallel sealer writes at most its window apart (twice its workers' batches,
 * each {@code lanes x segment} bytes, 16 MiB by default), about {@code 2 x workers x 16 MiB}. To
 * bound it whatever the caller does, a write that would open a part {@code openParts} or more parts
 * past the lowest part still missing bytes waits until that part is complete (a write that touches
 * that lowest part is always let in, so the writer that fills it is never held up). Memory is thus
 * at most {@code (openParts + uploadConcurrency + writers) x partSize}. A caller that fills the gap
 * only after a write far ahead returns would wait forever: after {@link #STALL} without the lowest
 * part moving, that write fails with {@link IllegalStateException} instead of hanging.
 *
 * <p>Refused: a write over bytes already written ({@link IllegalArgumentException}, nothing
 * written), and a commit with bytes never written below the end ({@link IllegalStateException}, the
 * upload is aborted): S3 cannot fill a hole with zeros, and a seal would not match.
 */
final class S3PositionalUpload {
  /** Parts are filled in chunks this size, allocated as bytes arrive. */
  static final int CHUNK = 1024 * 1024;

  /** S3's limit on the parts of one upload. */
  static final int MAX_PARTS = 10_000;

  /** How long a write waits for the lowest part to move before it is refused. */
  static final long STALL_NANOS = TimeUnit.MINUTES.toNanos(5);

  private static final int OPEN = 0;
  private static final int COMMITTING = 1;
  private static final int ABORTED = 2;

  private final S3EvidenceStore store;
  private final ObjectKey key;
  private final String dataKey;
  private final Map<String, String> dataMeta;
  private final int partSize;
  private final int chunksPerPart;
  private final int uploadConcurrency;
  private final int openParts;
  private final long stallNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // guarded by lock
  private final Map<Integer, Part> filling = new HashMap<>();
  private final BitSet complete = new BitSet();

  /** Parts being uploaded, by index; each task removes itself when its request ends. */
  private final Map<Integer, Runnable> running = new HashMap<>();

  private final List<CompletedPart> sent = new ArrayList<>();
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
  private int low;
  private long end;
  private long written;
  private int state = OPEN;
  private @Nullable IOException failure;
  private boolean cleanedUp;
  private int peakOpenParts;
  private int waiting;

  /** Guards starting the multipart upload, a network call made once by the first part sent. */
  private final Object startLock = new Object();

  private @Nullable String uploadId; // guarded by startLock

  /** One part being filled: its chunks and the byte ranges (part offsets) reserved so far. */
  private static final class Part {
    final int index;
    final byte[][] chunks;
    final TreeMap<Integer, Integer> ranges = new TreeMap<>();
    int filled;
    boolean sending;

    Part(int index, int chunks) {
      this.index = index;
      this.chunks = new byte[chunks][];
    }

    boolean overlaps(int from, int to) {
      Map.Entry<Integer, Integer> below = ranges.floorEntry(from);
      if (below != null && below.getValue() > from) {
        return true;
      }
      Map.Entry<Integer, Integer> above = ranges.ceilingEntry(from);
      return above != null && above.getKey() < to;
    }

    /** Records {@code [from, to)}, merged with its neighbours so the map stays small. */
    void reserve(int from, int to) {
      Map.Entry<Integer, Integer> below = ranges.floorEntry(from);
      if (below != null && below.getValue() == from) {
        from = below.getKey();
        ranges.remove(below.getKey());
      }
      Integer next = ranges.get(to);
      if (next != null) {
        ranges.remove(to);
        to = next;
      }
      ranges.put(from, to);
    }
  }

  S3PositionalUpload(
      S3EvidenceStore store,
      ObjectKey key,
      String dataKey,
      Map<String, String> dataMeta,
      int partSize,
      int uploadConcurrency,
      int openParts,
      long stallNanos) {
    this.store = store;
    this.key = key;
    this.dataKey = dataKey;
    this.dataMeta = dataMeta;
    this.partSize = partSize;
    this.chunksPerPart = (partSize + CHUNK - 1) / CHUNK;
    this.uploadConcurrency = uploadConcurrency;
    this.openParts = openParts;
    this.stallNanos = stallNanos;
  }

  /** Writes all of {@code src} at {@code position}; see the class comment for what is refused. */
  int write(ByteBuffer src, long position) throws IOException {
    int n = src.remaining();
    long to;
    try {
      to = Math.addExact(position, n);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "a write at " + position + " of " + n + " bytes overflows");
    }
    if (n == 0) {
      lockInterruptibly();
      try {
        ensureWritable();
        end = Math.max(end, position);
      } finally {
        lock.unlock();
      }
      return 0;
    }
    long lastPart = (to - 1) / partSize;
    if (lastPart >= MAX_PARTS) {
      throw new IllegalArgumentException(
          "a write up to byte "
              + to
              + " of "
              + key.value()
              + " needs more than S3's "
              + MAX_PARTS
              + " parts of "
              + partSize
              + " bytes: raise the store's partSize");
    }
    int first = (int) (position / partSize);
    int last = (int) lastPart;
    Part[] parts = new Part[last - first + 1];
    lockInterruptibly();
    try {
      ensureWritable();
      refuseOverlap(position, to, first, last);
      long waitedFor = -1;
      long deadline = 0;
      while (!admissible(first, last)) {
        if (waitedFor != low) {
          waitedFor = low;
          deadline = System.nanoTime() + stallNanos;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "a write at byte "
                  + position
                  + " of "
                  + key.value()
                  + " waited "
                  + TimeUnit.NANOSECONDS.toMillis(stallNanos)
                  + " ms for the bytes at "
                  + (long) low * partSize
                  + ", more than "
                  + openParts
                  + " parts below it, and none came: positional writes must stay that close");
        }
        waiting++;
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while writing " + key.value());
        } finally {
          waiting--;
        }
        ensureWritable();
        refuseOverlap(position, to, first, last); // another writer may have taken these bytes
      }
      for (int k = first; k <= last; k++) {
        Part p = filling.computeIfAbsent(k, i -> new Part(i, chunksPerPart));
        parts[k - first] = p;
        long base = (long) k * partSize;
        int from = (int) (Math.max(position, base) - base);
        int upTo = (int) (Math.min(to, base + partSize) - base);
        for (int c = from / CHUNK; c <= (upTo - 1) / CHUNK; c++) {
          if (p.chunks[c] == null) {
            p.chunks[c] = chunk(c);
          }
        }
        p.reserve(from, upTo);
      }
      end = Math.max(end, to);
      written += n;
      peakOpenParts = Math.max(peakOpenParts, filling.size());
    } finally {
      lock.unlock();
    }
    copy(src, position, to, parts);
    List<Part> ready = account(position, to, parts);
    for (Part p : ready) {
      send(p, partSize);
    }
    return n;
  }

  private byte[] chunk(int c) {
    int length = Math.min(CHUNK, partSize - c * CHUNK);
    byte[] b = length == CHUNK ? spare.poll() : null;
    return b != null ? b : new byte[length];
  }

  private boolean admissible(int first, int last) {
    if (first <= low || last < low + openParts) {
      return true;
    }
    for (int k = first; k <= last; k++) {
      if (!filling.containsKey(k)) {
        return false;
      }
    }
    return true; // only parts already open: no more memory
  }

  private void refuseOverlap(long position, long to, int first, int last) {
    for (int k = first; k <= last; k++) {
      long base = (long) k * partSize;
      int from = (int) (Math.max(position, base) - base);
      int upTo = (int) (Math.min(to, base + partSize) - base);
      Part p = filling.get(k);
      if (complete.get(k) || (p != null && p.overlaps(from, upTo))) {
        throw new IllegalArgumentException(
            "bytes ["
                + position
                + ", "
                + to
                + ") of "
                + key.value()
                + " overlap bytes written before: each byte is written once");
      }
    }
  }

  /** Copies into the chunks reserved for {@code [position, to)}; no lock: nobody else uses them. */
  private void copy(ByteBuffer src, long position, long to, Part[] parts) {
    int first = parts[0].index;
    long at = position;
    while (at < to) {
      Part p = parts[(int) (at / partSize) - first];
      int inPart = (int) (at - (long) p.index * partSize);
      int c = inPart / CHUNK;
      int inChunk = inPart - c * CHUNK;
      int k = (int) Math.min(to - at, p.chunks[c].length - inChunk);
      src.get(p.chunks[c], inChunk, k);
      at += k;
    }
  }

  /** Counts the copied bytes in; returns the parts now complete and ready to send. */
  private List<Part> account(long position, long to, Part[] parts) {
    List<Part> ready = new ArrayList<>(1);
    lock.lock();
    try {
      if (state == ABORTED) {
        return ready;
      }
      for (Part p : parts) {
        long base = (long) p.index * partSize;
        p.filled += (int) (Math.min(to, base + partSize) - Math.max(position, base));
        if (p.filled == partSize) {
          complete.set(p.index);
          p.ranges.clear();
        }
      }
      while (complete.get(low)) {
        low++;
      }
      // part 0 waits until the object is known to be longer than a part: else it is a single PUT
      for (Part p : parts) {
        if (complete.get(p.index) && !p.sending && (p.index > 0 || end > partSize)) {
          p.sending = true;
          ready.add(p);
        }
      }
      Part zero = filling.get(0);
      if (zero != null && end > partSize && complete.get(0) && !zero.sending) {
        zero.sending = true;
        ready.add(zero);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return ready;
  }

  /** Uploads a part of {@code length} bytes once a slot is free (at most uploadConcurrency). */
  private void send(Part p, int length) throws IOException {
    Runnable task = () -> upload(p, length);
    lockInterruptibly();
    try {
      while (running.size() >= uploadConcurrency && state != ABORTED && failure == null) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while uploading " + key.value());
        }
      }
      if (failure != null) {
        throw copyOf(failure);
      }
      if (state == ABORTED) {
        throw new AsynchronousCloseException();
      }
      running.put(p.index, task);
      try {
        store.uploads().execute(task);
      } catch (RejectedExecutionException e) {
        running.remove(p.index);
        failure = new StoreUnavailableException("the store is closed", e);
        throw copyOf(failure);
      }
    } finally {
      lock.unlock();
    }
  }

  private void upload(Part p, int length) {
    CompletedPart done = null;
    IOException failed = null;
    try {
      lock.lock();
      try {
        if (state == ABORTED || failure != null) {
          throw new AsynchronousCloseException(); // no request for a write already given up
        }
      } finally {
        lock.unlock();
      }
      String id = uploadId();
      int number = p.index + 1;
      UploadPartResponse r =
          store
              .client()
              .uploadPart(
                  u ->
                      u.bucket(store.bucket())
                          .key(dataKey)
                          .uploadId(id)
                          .partNumber(number)
                          .contentLength((long) length),
                  body(p.chunks, length));
      done = CompletedPart.builder().partNumber(number).eTag(r.eTag()).build();
    } catch (SdkException e) {
      failed = S3Errors.map(e, "upload part " + (p.index + 1) + " of " + key.value());
    } catch (IOException e) {
      failed = e;
    } catch (RuntimeException e) {
      failed =
          new StoreUnavailableException(
              "upload part " + (p.index + 1) + " of " + key.value() + " failed: " + e, e);
    }
    boolean cleanUp;
    lock.lock();
    try {
      running.remove(p.index);
      filling.remove(p.index);
      if (done != null) {
        sent.add(done);
        for (byte[] b : p.chunks) {
          if (b != null && b.length == CHUNK && spare.size() < 2 * chunksPerPart) {
            spare.add(b);
          }
        }
      } else if (failure == null && state != ABORTED) {
        failure = failed;
      }
      cleanUp = running.isEmpty() && failure != null && state != ABORTED && !cleanedUp;
      cleanedUp |= cleanUp;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (cleanUp) {
      abortUpload();
    }
  }

  /** The multipart upload, started by the first part sent; refused once aborted. */
  private String uploadId() throws IOException {
    synchronized (startLock) {
      if (uploadId == null) {
        lock.lock();
        try {
          if (state == ABORTED || failure != null) {
            throw new AsynchronousCloseException();
          }
        } finally {
          lock.unlock();
        }
        try {
          uploadId =
              store
                  .client()
                  .createMultipartUpload(
                      r -> r.bucket(store.bucket()).key(dataKey).metadata(dataMeta))
                  .uploadId();
        } catch (SdkException e) {
          throw S3Errors.map(e, "start the upload of " + key.value());
        }
      }
      return uploadId;
    }
  }

  /** What a commit sends: the bytes for the record itself, or a completed data version. */
  static final class Finished {
    final long size;
    final @Nullable RequestBody inline;
    final @Nullable String dataVersion;

    private Finished(long size, @Nullable RequestBody inline, @Nullable String dataVersion) {
      this.size = size;
      this.inline = inline;
      this.dataVersion = dataVersion;
    }
  }

  /**
   * Ends the writes: refuses a hole, sends the last part, waits for every part, completes the
   * upload. An object of at most one part is returned as the bytes for a single PUT instead. Any
   * failure leaves no upload behind.
   */
  Finished finish() throws IOException {
    List<Part> last = new ArrayList<>(2);
    long size;
    String hole = null;
    lockInterruptibly();
    try {
      ensureWritable();
      state = COMMITTING;
      size = end;
      if (written != end) {
        hole = firstHole();
      } else if (end <= partSize && sent.isEmpty() && running.isEmpty()) {
        Part zero = filling.get(0);
        RequestBody body = zero == null ? RequestBody.empty() : body(zero.chunks, (int) end);
        cleanedUp = true; // no upload was started: the bytes go into the record
        return new Finished(end, body, null);
      }
      for (Part p : filling.values()) {
        if (hole == null && !p.sending) {
          p.sending = true;
          last.add(p);
        }
      }
    } finally {
      lock.unlock();
    }
    if (hole != null) {
      abort();
      throw new IllegalStateException(
          "bytes "
              + hole
              + " of "
              + key.value()
              + " were never written (the object would end at "
              + size
              + "): nothing is stored");
    }
    try {
      last.sort(Comparator.comparingInt(p -> p.index));
      for (Part p : last) {
        send(p, (int) Math.min(partSize, size - (long) p.index * partSize));
      }
      List<CompletedPart> parts;
      lockInterruptibly();
      try {
        while (!running.isEmpty()) {
          try {
            changed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key.value());
          }
        }
        if (failure != null) {
          throw copyOf(failure);
        }
        parts = new ArrayList<>(sent);
      } finally {
        lock.unlock();
      }
      parts.sort(Comparator.comparingInt(CompletedPart::partNumber));
      String id = uploadId();
      CompleteMultipartUploadResponse r;
      try {
        r =
            store
                .client()
                .completeMultipartUpload(
                    c ->
                        c.bucket(store.bucket())
                            .key(dataKey)
                            .uploadId(id)
                            .multipartUpload(m -> m.parts(parts)));
      } catch (SdkException e) {
        throw S3Errors.map(e, "store " + key.value());
      }
      synchronized (startLock) {
        uploadId = null; // completed: nothing to abort
      }
      String version = r.versionId();
      if (version == null || version.isEmpty() || version.equals("null")) {
        throw new StoreUnavailableException(
            "the bucket returned no version id for " + dataKey + ": enable versioning");
      }
      return new Finished(size, null, version);
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** The first stretch never written, as {@code [from, to)}; only when written < end. */
  private String firstHole() {
    long base = (long) low * partSize;
    long partEnd = Math.min(base + partSize, end);
    Part p = filling.get(low);
    if (p == null || p.ranges.isEmpty() || p.ranges.firstKey() > 0) {
      long to = p == null || p.ranges.isEmpty() ? partEnd : base + p.ranges.firstKey();
      return "[" + base + ", " + to + ")";
    }
    long from = base + p.ranges.firstEntry().getValue();
    Integer next = p.ranges.higherKey(p.ranges.firstKey());
    long to = next == null ? partEnd : base + next;
    return "[" + from + ", " + to + ")";
  }

  /**
   * Discards everything: writers waiting are released, parts in flight waited for (a request each;
   * new ones are not started), and the multipart upload aborted, so no upload remains. Idempotent.
   */
  void abort() {
    boolean interrupted = false;
    lock.lock();
    try {
      state = ABORTED;
      filling.clear();
      spare.clear();
      changed.signalAll();
      // a part in flight is waited for (one request): aborting before it ends could leave it
      while (!running.isEmpty()) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      cleanedUp = true;
    } finally {
      lock.unlock();
    }
    abortUpload(); // also waits for an abort that a failed part's task may have begun
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Aborts the multipart upload, if one was started and not completed. The request is made under
   * the start lock, so a caller that comes while another thread is aborting returns only once the
   * upload is gone.
   */
  private void abortUpload() {
    synchronized (startLock) {
      String id = uploadId;
      uploadId = null;
      if (id != null) {
        abortUpload(store, dataKey, id);
      }
    }
  }

  /**
   * Aborts one multipart upload, also from an interrupted thread (the SDK sends nothing from one),
   * whose interrupt is kept. A failed request leaves the upload, invisible, to {@link
   * S3EvidenceStore#sweepAbandoned} or a lifecycle rule.
   */
  static void abortUpload(S3EvidenceStore store, String dataKey, String uploadId) {
    boolean interrupted = Thread.interrupted();
    try {
      store
          .client()
          .abortMultipartUpload(a -> a.bucket(store.bucket()).key(dataKey).uploadId(uploadId));
    } catch (SdkException ignored) {
      // an upload left behind is invisible; sweepAbandoned or a lifecycle rule removes it
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void ensureWritable() throws IOException {
    if (failure != null) {
      throw copyOf(failure);
    }
    if (state == ABORTED) {
      throw new AsynchronousCloseException();
    }
    if (state == COMMITTING) {
      throw new ClosedChannelException();
    }
  }

  private void lockInterruptibly() throws InterruptedIOException {
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing " + key.value());
    }
  }

  /** The failure again for this caller, with the original as cause (each throw its own trace). */
  private static IOException copyOf(IOException failure) {
    return failure instanceof StoreUnavailableException
        ? new StoreUnavailableException(failure.getMessage(), failure)
        : new IOException(failure.getMessage(), failure);
  }

  /** A body over {@code length} bytes of a part's chunks; a new stream for each (re)try. */
  static RequestBody body(byte[][] chunks, int length) {
    return RequestBody.fromContentProvider(
        () -> {
          List<InputStream> streams = new ArrayList<>(chunks.length);
          int left = length;
          for (byte[] c : chunks) {
            if (left == 0) {
              break;
            }
            int n = Math.min(left, c.length);
            streams.add(new ByteArrayInputStream(c, 0, n));
            left -= n;
          }
          return new SequenceInputStream(Collections.enumeration(streams));
        },
        length,
        "application/octet-stream");
  }

  /** Whether a part failed: the write is lost, and {@link #abort} is what remains to do. */
  boolean failed() {
    lock.lock();
    try {
      return failure != null;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ observed by tests

  /** The most parts that were open (being filled or sent) at once. */
  int peakOpenParts() {
    lock.lock();
    try {
      return peakOpenParts;
    } finally {
      lock.unlock();
    }
  }

  /** Parts being uploaded now. */
  int partsInFlight() {
    lock.lock();
    try {
      return running.size();
    } finally {
      lock.unlock();
    }
  }

  /** Writers waiting now for the lowest part to fill. */
  int waitingWriters() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }
}
