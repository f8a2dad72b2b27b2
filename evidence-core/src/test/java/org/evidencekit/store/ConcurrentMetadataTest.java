package org.evidencekit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object's metadata is replaced whole (a new {@code meta.json} renamed over the old) when its
 * retention or hold is set, by any process sharing the store. A reader that opened the file while
 * it was being replaced failed ({@code StoreUnavailableException: cannot read metadata of …
 * replaced while being opened}): a listing of the disposition registers by one execution failed
 * while another locked a register it had just stored. A reader now reads the metadata again.
 */
class ConcurrentMetadataTest {
  @TempDir Path dir;

  @Test
  void metadataReadWhileAnotherWriterReplacesItIsReadAgain() throws Exception {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir, Clock.systemUTC())) {
      ObjectKey key = ObjectKey.of("records/one.json");
      try (WritableObject w = store.create(key)) {
        w.write(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
      AtomicBoolean done = new AtomicBoolean();
      CompletableFuture<Integer> holds =
          CompletableFuture.supplyAsync(
              () -> {
                int n = 0;
                try {
                  while (!done.get()) {
                    store.setLegalHold(key, n % 2 == 0);
                    n++;
                  }
                } catch (Exception e) {
                  throw new AssertionError("the writer failed", e);
                }
                return n;
              });
      try {
        for (int i = 0; i < 3000; i++) {
          assertEquals(key, store.stat(key).key());
          try (var listing = store.list("records/")) {
            assertEquals(1, listing.count());
          }
        }
      } finally {
        done.set(true);
      }
      holds.get(1, TimeUnit.MINUTES);
    }
  }
}
