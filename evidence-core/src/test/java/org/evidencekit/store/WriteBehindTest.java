package org.evidencekit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import org.evidencekit.hash.Digest;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes past the write-behind threshold: flushes while writing change nothing that is stored. */
class WriteBehindTest {
  @TempDir Path dir;

  @Test
  void aLargeObjectWrittenWithFlushesInFlightIsStoredWhole() throws Exception {
    long size = FileSystemEvidenceStore.FLUSH_EVERY * 2 + 12345;
    MessageDigest want = MessageDigest.getInstance("SHA-256");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir, Clock.systemUTC())) {
      ObjectKey k = ObjectKey.of("big/one");
      ObjectKey gone = ObjectKey.of("big/aborted");
      ObjectInfo info;
      try (WritableObject w = store.create(k);
          WritableObject a = store.create(gone)) {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long done = 0;
        int n = 0;
        while (done < size) {
          b.clear();
          for (int i = 0; i < b.capacity(); i += 8) {
            b.putLong(i, (long) n * 0x9E3779B97F4A7C15L + i);
          }
          n++;
          b.limit((int) Math.min(b.capacity(), size - done));
          want.update(b.duplicate());
          a.write(b.duplicate());
          done += w.write(b);
        }
        a.abort(); // a flush may be in flight: nothing of it stays
        info = w.commit();
      }
      Digest expected = Digest.of(want.digest());
      assertEquals(size, info.size());
      assertEquals(expected, Digest.of(info.sha256().orElseThrow()));
      assertFalse(store.exists(gone));
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      try (SeekableByteChannel ch = store.openRead(k)) {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        while (ch.read(b) >= 0) {
          b.flip();
          got.update(b);
          b.clear();
        }
      }
      assertEquals(expected, Digest.of(got.digest()));
    }
  }
}
