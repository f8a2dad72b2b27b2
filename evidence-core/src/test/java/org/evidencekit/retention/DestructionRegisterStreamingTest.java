package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destruction registers are read as they stream: the register of a large plan is read
 * in the heap its plan was made in, a planted object of gigabytes costs its byte bound and no more,
 * and a register of millions of items is refused by name once its items outgrow the room given,
 * never an {@code OutOfMemoryError}. Registers are built in a file-system store in a temporary
 * folder; the large object is made as it is read, never written.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DestructionRegisterStreamingTest {
  static final String PLAN = "cd".repeat(32);
  static final Instant AT = Instant.parse("2026-07-01T02:00:00Z");

  @TempDir Path dir;

  /** {@code n} items as an execution of a plan of {@code n} recordings lists them. */
  static List<DestructionRegister.Item> items(int n) {
    List<DestructionRegister.Item> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = "DEVCAM" + (i % 97) + "-" + i;
      String key = "recordings/DEVCAM" + (i % 97) + "/" + i + ".mp4";
      out.add(
          i % 4 == 0
              ? new DestructionRegister.Item(
                  id,
                  key,
                  DestructionRegister.Outcome.KEPT,
                  null,
                  "RETAINED until 2034-06-02T16:00:00Z")
              : new DestructionRegister.Item(
                  id, key, DestructionRegister.Outcome.DISPOSED, String.format("%064x", i), ""));
    }
    return out;
  }

  static void store(FileSystemEvidenceStore store, String key, byte[] bytes) throws IOException {
    try (WritableObject w = store.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }

  static String registerKey(long batch) {
    return DestructionRegister.PREFIX + PLAN + "/" + StoredObjects.seq(batch) + ".json";
  }

  /** In a 128 MiB heap: reads the plan's registers from the store at args[0], one line out. */
  public static void main(String[] args) throws IOException {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(Path.of(args[0]), Clock.systemUTC())) {
      List<DestructionRegister> rs = DestructionRegister.read(store, PLAN);
      DestructionRegister r = rs.get(0);
      String read =
          "read "
              + rs.size()
              + " items "
              + r.items().size()
              + " disposed "
              + r.items(DestructionRegister.Outcome.DISPOSED).size()
              + " last "
              + r.items().get(r.items().size() - 1).recordingId();
      rs = null;
      r = null;
      long[] scanned = {0};
      DestructionRegister.scan(
          store,
          PLAN,
          f -> scanned[0] += f.register().map(x -> x.items().size()).orElse(-1_000_000));
      System.out.println(read + " scanned " + scanned[0]);
    } catch (IOException | RuntimeException e) {
      System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * The register of a 200,000-recording plan (about 34 MB) is read back, by {@code read} and by
   * {@code scan}, in a 128 MiB heap, the heap a plan of 100,000 is made in (PlanRobustnessTest).
   * Read whole and built into a tree, it needed its text and some 25 times more beside it, and was
   * refused as "too many to read into memory" (from about 110,000 items in 128 MiB).
   */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void theRegisterOfA200000RecordingPlanIsReadIn128MiB() throws Exception {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    DestructionRegister r =
        DestructionRegister.sign(
            PLAN, 1, "ro-1", List.of("ro-2 (k2)", "ro-3 (k3)"), "ro-4", AT, items(200_000), key);
    byte[] json = r.toJson();
    assertTrue(json.length > 10_000_000, "a register of genuine size: " + json.length);
    Path root = dir.resolve("store");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      store(store, registerKey(1), json);
      // read back here, in the test's own heap: what streaming reads is the register it was
      DestructionRegister back = DestructionRegister.read(store, PLAN).get(0);
      assertEquals(r.digest(), back.digest());
      assertTrue(back.verify(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()))));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                DestructionRegisterStreamingTest.class.getName(),
                root.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(
        out.contains("read 1 items 200000 disposed 150000 last DEVCAM82-199999 scanned 200000"),
        out);
  }

  /** A stream of {@code n} bytes of {@code fill}, made as it is read; counts what was pulled. */
  static final class Made extends InputStream {
    final byte fill;
    long left;
    long pulled;

    Made(long n, char fill) {
      this.left = n;
      this.fill = (byte) fill;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int k = (int) Math.min(len, left);
      Arrays.fill(b, off, off + k, fill);
      left -= k;
      pulled += k;
      return k;
    }
  }

  /**
   * A register whose first item's recording id is one line of 2 GiB (a planted object, made here as
   * it is read): refused at the byte bound, naming the object and the bound, after reading one byte
   * past the bound and the parser's one buffer, not the 2 GiB.
   */
  @Test
  void aTwoGigabyteLineIsRefusedAtTheByteBoundWithoutReadingOn() {
    byte[] start =
        ("{\"format\":\"" + DestructionRegister.FORMAT + "\",\"items\":[{\"recording\":\"")
            .getBytes(StandardCharsets.US_ASCII);
    Made line = new Made(2L << 30, 'a');
    InputStream in = new SequenceInputStream(new ByteArrayInputStream(start), line);
    long bound = 1 << 20;
    RetentionFormatException e =
        assertThrows(
            RetentionFormatException.class,
            () ->
                DestructionRegister.parse(
                    in,
                    "disposition/registers/x/1.json",
                    bound,
                    new DestructionRegister.Room(1 << 30)));
    assertEquals("disposition/registers/x/1.json is larger than 1048576 bytes", e.getMessage());
    assertTrue(line.pulled <= bound + 64 * 1024, "pulled " + line.pulled);
  }

  /**
   * A register of 300,000 items (a plan of millions would list more) stored in the store: read with
   * room for fewer items it is refused by name, having kept no more than the room; with room for
   * them, read whole. The room is shared by all registers {@code read} returns, and {@code scan}
   * gives each register its own.
   */
  @Test
  void aRegisterOfMoreItemsThanTheRoomIsRefusedByName() throws Exception {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      for (int batch = 1; batch <= 2; batch++) {
        DestructionRegister r =
            DestructionRegister.sign(
                PLAN, batch, "ro-1", List.of("ro-2", "ro-3"), "ro-4", AT, items(300_000), key);
        store(store, registerKey(batch), r.toJson());
      }
      // one register's items: 300,000 of about 40 bytes, and 4 strings of 40 bytes and their text
      long oneRegister = 300_000L * (40 + 4 * 40 + 60);
      RetentionFormatException e =
          assertThrows(
              RetentionFormatException.class,
              () ->
                  DestructionRegister.read(
                      store,
                      PLAN,
                      StoredObjects.MAX_BYTES,
                      new DestructionRegister.Room(oneRegister / 10)));
      assertTrue(e.getMessage().startsWith("too large to hold in memory: "), e.getMessage());
      // both registers are more than the room of one and a half; one alone is less
      e =
          assertThrows(
              RetentionFormatException.class,
              () ->
                  DestructionRegister.read(
                      store,
                      PLAN,
                      StoredObjects.MAX_BYTES,
                      new DestructionRegister.Room(oneRegister * 3 / 2)));
      assertTrue(e.getMessage().startsWith("too large to hold in memory: "), e.getMessage());
      List<DestructionRegister> both =
          DestructionRegister.read(
              store, PLAN, StoredObjects.MAX_BYTES, new DestructionRegister.Room(oneRegister * 3));
      assertEquals(2, both.size());
      assertEquals(300_000, both.get(1).items().size());
      assertEquals("DEVCAM75-299999", both.get(1).items().get(299_999).recordingId());
      assertTrue(both.get(1).verify(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()))));
    }
  }

  /** The strictness of reading a register whole holds for a streamed one. */
  @Test
  void aStreamedRegisterIsReadAsStrictlyAsOne() throws Exception {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    DestructionRegister r =
        DestructionRegister.sign(PLAN, 1, "ro-1", List.of("ro-2"), "ro-4", AT, items(3), key);
    String json = new String(r.toJson(), StandardCharsets.UTF_8);
    assertEquals(r.digest(), DestructionRegister.parse(r.toJson()).digest());
    for (String bad :
        List.of(
            json.replace("\"outcome\":\"KEPT\"", "\"outcome\":\"KEPT\",\"outcome\":\"DISPOSED\""),
            json.replace("\"plannedBy\"", "\"plannedBY\""),
            json.replace("\"format\":\"" + DestructionRegister.FORMAT + "\",", ""),
            json + " {}",
            json.replace("\"items\":[", "\"items\":{\"x\":[").replace("],\"plan\"", "]},\"plan\""),
            json.replace("\"reason\":\"\"", "\"reason\":\"\\ud800\""),
            json.replace("\"recording\":\"DEVCAM1-1\"", "\"recording\":\"DEVCAM1-1\",\"x\":1"))) {
      assertThrows(
          RetentionFormatException.class,
          () -> DestructionRegister.parse(bad.getBytes(StandardCharsets.UTF_8)),
          bad.length() > 300 ? bad.substring(0, 300) : bad);
    }
    byte[] overlong = r.toJson();
    int at = json.indexOf("ro-4");
    byte[] withOverlong = new byte[overlong.length + 1];
    System.arraycopy(overlong, 0, withOverlong, 0, at);
    withOverlong[at] = (byte) 0xc1; // an overlong spelling of 'r'
    withOverlong[at + 1] = (byte) 0xb2;
    System.arraycopy(overlong, at + 1, withOverlong, at + 2, overlong.length - at - 1);
    RetentionFormatException e =
        assertThrows(RetentionFormatException.class, () -> DestructionRegister.parse(withOverlong));
    assertTrue(e.getMessage().contains("overlong UTF-8 form at byte " + at), e.getMessage());
  }
}
