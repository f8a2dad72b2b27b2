package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records kept for good on each kind of store: at commit, after it, or not at all. */
class PermanentRecordsTest {
  static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
  static final ObjectKey KEY = ObjectKey.of("ledger/seals/abc.seal.json");
  static final byte[] BYTES = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void aFilesystemStoreTakesTheRetentionInTheCommitItself() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, NOW)) {
      PermanentRecords.put(store, KEY, BYTES);
      ObjectInfo info = store.stat(KEY);
      assertEquals(PermanentRecords.FOREVER, info.retainUntil().orElse(null));
      assertArrayEquals(BYTES, read(store, KEY));
      assertThrows(RetentionLockedException.class, () -> store.delete(KEY));
      assertThrows(
          RetentionLockedException.class,
          () -> store.setRetention(KEY, Instant.parse("2100-01-01T00:00:00Z")));
      // create-only: a second put is refused and changes nothing
      assertThrows(
          ObjectExistsException.class, () -> PermanentRecords.put(store, KEY, new byte[1]));
      assertArrayEquals(BYTES, read(store, KEY));
      PermanentRecords.lock(store, KEY); // idempotent
      assertEquals(PermanentRecords.FOREVER, store.stat(KEY).retainUntil().orElse(null));
    }
  }

  @Test
  void aStoreThatSetsRetentionOnlyAfterTheCommitIsLockedRightAfterIt() throws IOException {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(NOW);
    PermanentRecords.put(store, KEY, BYTES);
    assertEquals(PermanentRecords.FOREVER, store.stat(KEY).retainUntil().orElse(null));
    assertThrows(RetentionLockedException.class, () -> store.delete(KEY));
    // an object committed plainly (a writer stopped before its lock) is completed by lock
    ObjectKey plain = ObjectKey.of("ledger/batches/00000000000000000000.jsonl");
    try (WritableObject w = store.create(plain)) {
      w.write(java.nio.ByteBuffer.wrap(BYTES));
      w.commit();
    }
    assertTrue(store.stat(plain).retainUntil().isEmpty());
    PermanentRecords.lock(store, plain);
    assertEquals(PermanentRecords.FOREVER, store.stat(plain).retainUntil().orElse(null));
    // one kept longer already (an earlier build locked until 9999) stays as it is
    ObjectKey longer = ObjectKey.of("disposition/plans/old.json");
    try (WritableObject w = store.create(longer)) {
      w.write(java.nio.ByteBuffer.wrap(BYTES));
      w.commit();
    }
    Instant y9999 = Instant.parse("9999-12-31T00:00:00Z");
    store.setRetention(longer, y9999);
    PermanentRecords.lock(store, longer);
    assertEquals(y9999, store.stat(longer).retainUntil().orElse(null));
  }

  /** A store without retention stores the record and asks nothing it cannot do. */
  @Test
  void aStoreWithoutRetentionJustStoresTheRecord() throws IOException {
    InMemoryEvidenceStore inner = new InMemoryEvidenceStore(NOW);
    EvidenceStore store = new WithoutRetention(inner);
    PermanentRecords.put(store, KEY, BYTES);
    PermanentRecords.lock(store, KEY);
    assertArrayEquals(BYTES, read(store, KEY));
    assertTrue(inner.stat(KEY).retainUntil().isEmpty());
  }

  private static byte[] read(EvidenceStore store, ObjectKey key) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key)) {
      return Channels.newInputStream(ch).readAllBytes();
    }
  }

  /** Declares no retention and, as the SPI says, refuses to set any. */
  private static final class WithoutRetention extends ForwardingEvidenceStore {
    WithoutRetention(EvidenceStore inner) {
      super(inner);
    }

    @Override
    public Set<Capability> capabilities() {
      Set<Capability> c = new java.util.HashSet<>(delegate.capabilities());
      c.remove(Capability.RETENTION);
      c.remove(Capability.LEGAL_HOLD);
      return c;
    }

    @Override
    public void setRetention(ObjectKey key, Instant retainUntil) {
      throw new UnsupportedOperationException("no retention");
    }

    @Override
    public void setLegalHold(ObjectKey key, boolean hold) {
      throw new UnsupportedOperationException("no legal hold");
    }
  }
}
