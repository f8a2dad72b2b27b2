package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * Positional writes against a naive model: the content cut into random stretches, written in a
 * random order from three threads, with one stretch perhaps dropped (a hole, unless it was the
 * last: then the object is shorter) or written twice (the second write is refused). The model says
 * what the store must then hold, or that the commit is refused. Object sizes straddle the one-part
 * and multipart cases.
 */
@AddLifecycleHook(NeedsS3Server.class)
class S3PositionalWriteProperties {
  private static final int PART = S3PositionalWriteTest.PART;

  enum Change {
    NONE,
    DROP,
    DUPLICATE
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.oneOf(
        Arbitraries.of(0, 1, PART - 1, PART, PART + 1, 2 * PART),
        Arbitraries.integers().between(2, 2 * PART + PART / 2));
  }

  @Property(tries = 14)
  void theStoreHoldsWhatTheModelSays(
      @ForAll("sizes") int size,
      @ForAll long seed,
      @ForAll Change change,
      @ForAll("stretchCounts") int stretches)
      throws Exception {
    Random random = new Random(seed);
    byte[] content = new byte[size];
    random.nextBytes(content);
    // cut points: [0, size) into up to `stretches` pieces
    List<long[]> pieces = new ArrayList<>();
    long[] cuts = random.longs(Math.max(0, stretches - 1), 0, Math.max(1, size)).toArray();
    Arrays.sort(cuts);
    long at = 0;
    for (long c : cuts) {
      if (c > at) {
        pieces.add(new long[] {at, c});
        at = c;
      }
    }
    if (size > at) {
      pieces.add(new long[] {at, size});
    }
    List<long[]> writes = new ArrayList<>(pieces);
    long[] changed = null;
    if (!pieces.isEmpty() && change != Change.NONE) {
      changed = pieces.get(random.nextInt(pieces.size()));
      if (change == Change.DROP) {
        writes.remove(changed);
      } else {
        writes.add(changed);
      }
    }
    Collections.shuffle(writes, random);

    // the model
    long end = 0;
    long covered = 0;
    for (long[] p : pieces) {
      if (!(change == Change.DROP && p == changed)) {
        end = Math.max(end, p[1]);
        covered += p[1] - p[0];
      }
    }
    boolean hole = covered != end;
    int refusals = change == Change.DUPLICATE && changed != null ? 1 : 0;

    try (S3EvidenceStore store =
        S3TestServer.builder()
            .bucket(S3TestServer.bucket())
            .prefix("positional-model/" + Long.toString(System.nanoTime(), 36))
            .partSize(PART)
            .open()) {
      ObjectKey key = ObjectKey.of("x");
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try (WritableObject w = store.create(key)) {
        List<Future<Integer>> done = new ArrayList<>();
        for (long[] p : writes) {
          done.add(
              pool.submit(
                  () -> w.write(ByteBuffer.wrap(content, (int) p[0], (int) (p[1] - p[0])), p[0])));
        }
        int refused = 0;
        for (Future<Integer> f : done) {
          try {
            f.get();
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof IllegalArgumentException)) {
              throw e;
            }
            refused++;
          }
        }
        assertEquals(refusals, refused, "overlapping writes refused");
        if (hole) {
          assertThrows(IllegalStateException.class, w::commit);
        } else {
          assertEquals(end, w.commit().size());
        }
      } finally {
        pool.shutdownNow();
      }
      if (hole) {
        assertFalse(store.exists(key));
      } else {
        assertArrayEquals(
            Arrays.copyOf(content, (int) end), S3PositionalWriteTest.read(store, key));
        store.delete(key); // frees the test server's RAM-backed OSD
      }
    }
  }

  @Provide
  Arbitrary<Integer> stretchCounts() {
    return Arbitraries.integers().between(1, 40);
  }
}
