package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object of 50 MiB of "[" planted where a recording's seal belongs (within the 64 MiB a seal may
 * take, past what a 64 MiB heap holds): an executor's check of that recording says it is damaged,
 * naming the seal object and why, as the single-process sweep does, instead of an
 * {@code OutOfMemoryError} that failed the task. The checks run in a JVM of their own with that
 * heap and the launcher's serial collector.
 */
class RecordingCheckPastTheHeapTest {
  static final int SIZE = 50 << 20;
  static final String KEY = "rec.mp4";

  @TempDir Path dir;

  /** In the small heap: the first pass's and a range's result over the store at {@code args[0]}. */
  public static void main(String[] args) throws Exception {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.open(Path.of(args[0]), Clock.systemUTC())) {
      RecordingCheck check = new RecordingCheck(store);
      String digest = "0".repeat(64);
      run(() -> check.first(new WorkItem(KEY, 0, digest), 1 << 20).result);
      run(() -> check.range(new RangeTask(KEY, digest, 0, 1 << 20)));
    }
  }

  private static void run(java.util.concurrent.Callable<RecordingResult> c) {
    try {
      RecordingResult r = c.call();
      System.out.println(r.status() + ": " + r.detail());
    } catch (Throwable t) {
      System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aSealObjectPastTheHeapIsADamagedRecordingNotAnOutOfMemoryError() throws Exception {
    Path root = dir.resolve("store");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      put(store, KEY, new byte[1 << 20]);
      byte[] brackets = new byte[SIZE];
      Arrays.fill(brackets, (byte) '[');
      put(store, KEY + EvidenceArchive.SEAL_SUFFIX, brackets);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                RecordingCheckPastTheHeapTest.class.getName(),
                root.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().filter(l -> !l.startsWith("WARNING")).toList();
    assertEquals(2, lines.size(), out);
    for (String line : lines) {
      assertTrue(
          line.startsWith("DAMAGED: cannot be read: seal " + KEY + ".seal.json has more than "),
          line);
      assertTrue(line.contains("too many to read into memory"), line);
    }
  }

  private static void put(FileSystemEvidenceStore store, String key, byte[] bytes)
      throws Exception {
    try (WritableObject w = store.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }
}
