package org.evidencekit.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.continuity.ContinuityInputs;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.retention.DestructionRegister;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document within its format's byte bound that a small heap cannot hold (50 MiB of "[" against
 * the 256 MiB seal bound and the 64 MiB of analyze's inputs, in a 64 MiB heap) is refused in the
 * format's own exception, naming the file and its size: it was an {@code OutOfMemoryError} at the
 * allocation of its bytes (R-05: a seal or an input that cannot be read is said so, never a crash).
 * The readers run in a JVM of their own with {@code -Xmx64m}, the heap the test is about, and the
 * launcher's serial collector.
 */
class DocumentTheHeapCannotHoldTest {
  static final int SIZE = 50 << 20;

  @TempDir Path dir;

  /** A stream of {@code n} bytes of "[", made as it is read. */
  static InputStream brackets(long n) {
    return new InputStream() {
      long left = n;

      @Override
      public int read() {
        return left-- > 0 ? '[' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        Arrays.fill(b, off, off + k, (byte) '[');
        left -= k;
        return k;
      }
    };
  }

  /** In the small heap: each reader's outcome on each file, one line each, "class: message". */
  public static void main(String[] args) throws IOException {
    if (args[0].equals("store")) {
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(Path.of(args[1]), Clock.systemUTC())) {
        run(() -> EvidenceArchive.open(store, Clock.systemUTC()).seal("rec.mp4"));
        run(() -> DestructionRegister.read(store, PLAN));
      }
      return;
    }
    if (args[0].equals("ledger")) {
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(Path.of(args[1]), Clock.systemUTC())) {
        run(() -> EvidenceArchive.open(store, Clock.systemUTC()).sweep(null));
      }
      return;
    }
    for (String a : args) {
      Path file = Path.of(a);
      List<IoCall> calls = List.of(() -> Seal.read(file), () -> ContinuityInputs.readActions(file));
      for (IoCall c : calls) {
        run(c);
      }
    }
    run(() -> ContinuityInputs.readActions(brackets(SIZE)));
  }

  private static void run(IoCall c) {
    try {
      c.run();
      System.out.println("read");
    } catch (Throwable t) {
      System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
    }
  }

  interface IoCall {
    void run() throws IOException;
  }

  static final String PLAN = "0".repeat(64);

  /**
   * Objects of 50 MiB of "[" planted in a store where a recording's seal and a plan's destruction
   * register belong: the sweep, report, record sheet and spot check read the first whole, the
   * registers' readers the second; each was an {@code OutOfMemoryError} in a 64 MiB heap (a
   * register, read as it streams, is refused at its first byte).
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aPlantedObjectTheHeapCannotHoldIsRefusedInItsFormatsException() throws Exception {
    Path dirOfStore = dir.resolve("store");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dirOfStore, Clock.systemUTC())) {
      for (String key :
          List.of(
              "rec.mp4" + EvidenceArchive.SEAL_SUFFIX, "disposition/registers/" + PLAN + "/1")) {
        try (WritableObject w = store.create(ObjectKey.of(key));
            InputStream in = brackets(SIZE)) {
          byte[] chunk = new byte[1 << 20];
          for (int n = in.read(chunk, 0, chunk.length);
              n > 0;
              n = in.read(chunk, 0, chunk.length)) {
            w.write(ByteBuffer.wrap(chunk, 0, n));
          }
          w.commit();
        }
      }
    }
    List<String> lines = runInSmallHeap("store", dirOfStore.toString());
    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(
        lines.get(0).startsWith("SealFormatException: seal rec.mp4.seal.json has more than "),
        lines.get(0));
    assertTrue(lines.get(0).contains("too many to read into memory"), lines.get(0));
    // a register is read as it streams: the first byte shows this is no register, and nothing
    // past the parser's first buffer is read
    assertEquals("RetentionFormatException: not a JSON object", lines.get(1));
  }

  /**
   * The first batch of a store's ledger replaced by 50 MiB of "[" (within the bound of 4096 entries
   * of 64 KiB): the sweep refuses the ledger as damaged, naming the batch; it was an {@code
   * OutOfMemoryError}, as was the record sheet reading the same batch.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aLedgerBatchTheHeapCannotHoldIsALedgerError() throws Exception {
    Path dirOfStore = dir.resolve("store");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dirOfStore, Clock.systemUTC())) {
      try (WritableObject w =
              store.create(ObjectKey.of("ledger/batches/00000000000000000000.jsonl"));
          InputStream in = brackets(SIZE)) {
        byte[] chunk = new byte[1 << 20];
        for (int n = in.read(chunk, 0, chunk.length); n > 0; n = in.read(chunk, 0, chunk.length)) {
          w.write(ByteBuffer.wrap(chunk, 0, n));
        }
        w.commit();
      }
    }
    List<String> lines = runInSmallHeap("ledger", dirOfStore.toString());
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "LedgerException: ledger batch ledger/batches/00000000000000000000.jsonl has "),
        lines.get(0));
    assertTrue(lines.get(0).contains("too many to read into memory"), lines.get(0));
  }

  /** This class's main in a JVM of its own with a 64 MiB heap: its lines. */
  private static List<String> runInSmallHeap(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DocumentTheHeapCannotHoldTest.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.US_ASCII);
    return p;
  }

  /**
   * Three documents a 64 MiB heap cannot read, each refused in its format's exception: 50 MiB of
   * "[" (its bytes alone), one string of 12 Mi characters (within a quarter of the heap as bytes,
   * but the parser's copies of it are four times that), and 2.5 million two-letter strings in an
   * array (12.5 MB whose tree, beside those bytes, outgrows the heap). Each was an {@code
   * OutOfMemoryError}.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aDocumentWithinItsBoundButPastTheHeapIsRefusedInItsFormatsException() throws Exception {
    Path nested = dir.resolve("nested.json");
    byte[] brackets = new byte[SIZE];
    Arrays.fill(brackets, (byte) '[');
    Files.write(nested, brackets);
    Path string = write("string.json", "{\"format\":\"" + "x".repeat(12 << 20) + "\"}");
    StringBuilder many = new StringBuilder("{\"format\":[\"ab\"");
    for (int i = 1; i < 2_500_000; i++) {
      many.append(",\"ab\"");
    }
    Path strings = write("strings.json", many.append("]}").toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DocumentTheHeapCannotHoldTest.class.getName(),
                nested.toString(),
                string.toString(),
                strings.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertEquals(7, lines.size(), out);
    String tooMany = " has " + SIZE + " bytes, too many to read into memory";
    assertTrue(lines.get(0).startsWith("SealFormatException: " + nested + tooMany), out);
    assertTrue(
        lines.get(1).startsWith("ContinuityFormatException: actions " + nested + tooMany), out);
    for (int i : new int[] {2, 4}) {
      assertTrue(lines.get(i).startsWith("SealFormatException: "), out);
    }
    for (int i : new int[] {3, 5, 6}) {
      assertTrue(lines.get(i).startsWith("ContinuityFormatException: actions "), out);
    }
    for (int i : new int[] {2, 3}) {
      assertTrue(
          lines.get(i).contains("too large to read into memory: a string of more than "), out);
    }
    for (int i : new int[] {4, 5}) {
      assertTrue(lines.get(i).contains("too large to read into memory: its tree would take "), out);
    }
    assertTrue(lines.get(6).startsWith("ContinuityFormatException: actions has more than "), out);
    assertTrue(lines.get(6).contains("too many to read into memory"), out);
  }
}
