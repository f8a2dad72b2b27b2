package org.evidencekit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What opening a filesystem store sweeps from {@code tmp/}: a crashed writer's staging folder on
 * this host, never a writer in progress on another host sharing the store over the network (its
 * process id means nothing here), unless that folder was left untouched for a day (R-20: nothing of
 * a write in progress is lost to another station's start-up).
 */
class StagingSweepTest {
  @TempDir Path dir;

  /** A process id no host here runs (Linux pids stay below 2^22). */
  static final long GONE = (1L << 22) + 12_345;

  /** A tag this host cannot have (the tag is 8 hex digits of a SHA-256). */
  static String otherHost() {
    return FileSystemEvidenceStore.HOST.equals("h00000000") ? "h00000001" : "h00000000";
  }

  private Path root() throws IOException {
    Path root = dir.resolve("store");
    FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC()).close();
    return root;
  }

  private static Path staging(Path root, String name) throws IOException {
    Path p = Files.createDirectories(root.resolve("tmp").resolve(name));
    Files.write(p.resolve("content"), new byte[] {1, 2, 3});
    return p;
  }

  private static void age(Path p, Duration by) throws IOException {
    FileTime old = FileTime.from(Instant.now().minus(by));
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.toList()) {
        Files.setLastModifiedTime(x, old);
      }
    }
  }

  private static void reopen(Path root) throws IOException {
    FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC()).close();
  }

  @Test
  void anotherHostsWriteInProgressIsLeftAlone() throws IOException {
    Path root = root();
    Path theirs = staging(root, GONE + "-" + otherHost() + "-8000000000000001-1");
    Path theirDelete = staging(root, GONE + "-" + otherHost() + "-deleted-8000000000000001-2");
    reopen(root);
    assertTrue(Files.exists(theirs.resolve("content")), "another host's staging was swept");
    assertTrue(Files.exists(theirDelete));
  }

  @Test
  void anotherHostsFolderUntouchedForADayIsSwept() throws IOException {
    Path root = root();
    Path stale = staging(root, GONE + "-" + otherHost() + "-8000000000000001-1");
    Path recent = staging(root, GONE + "-" + otherHost() + "-8000000000000001-2");
    age(stale, FileSystemEvidenceStore.FOREIGN_STAGING_GRACE.plusHours(1));
    age(recent, FileSystemEvidenceStore.FOREIGN_STAGING_GRACE.minusHours(1));
    // one file written a moment ago keeps a folder otherwise old
    Path busy = staging(root, GONE + "-" + otherHost() + "-8000000000000001-3");
    age(busy, Duration.ofDays(3));
    Files.write(busy.resolve("content"), new byte[] {4});
    reopen(root);
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(recent));
    assertTrue(Files.exists(busy));
  }

  @Test
  void thisHostsCrashedWriterIsSweptAtOnceAndALiveOneIsNot() throws IOException {
    Path root = root();
    String host = FileSystemEvidenceStore.HOST;
    Path crashed = staging(root, GONE + "-" + host + "-8000000000000001-1");
    long alive = ProcessHandle.current().pid();
    Path mine = staging(root, alive + "-" + host + "-8000000000000001-2");
    // a name of an earlier build, without a host tag: judged by its pid, as before
    Path legacy = staging(root, GONE + "-8000000000000001-3");
    Path legacyDelete = staging(root, GONE + "-deleted-8000000000000001-4");
    reopen(root);
    assertFalse(Files.exists(crashed));
    assertTrue(Files.exists(mine));
    assertFalse(Files.exists(legacy));
    assertFalse(Files.exists(legacyDelete));
  }

  @Test
  void theStoresOwnStagingNamesCarryThisHostsTag() throws IOException {
    Path root = root();
    String tag = FileSystemEvidenceStore.HOST;
    assertTrue(tag.matches("h[0-9a-f]{8}"), tag);
    try (FileSystemEvidenceStore store =
            FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC());
        var w = store.create(org.evidencekit.storage.ObjectKey.of("cam/1.mp4"))) {
      w.write(java.nio.ByteBuffer.wrap(new byte[] {9}));
      try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
        var names = s.map(p -> p.getFileName().toString()).toList();
        assertEquals(1, names.size(), names.toString());
        assertTrue(
            names.get(0).startsWith(ProcessHandle.current().pid() + "-" + tag + "-"),
            names.toString());
      }
      w.abort();
    }
  }
}
