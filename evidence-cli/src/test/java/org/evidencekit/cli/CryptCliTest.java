package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evidence kek-gen / encrypt / decrypt. */
class CryptCliTest {
  @TempDir Path dir;

  @Test
  void encryptDecryptRangeAndTamper() throws IOException {
    byte[] plain = new byte[3_500_000];
    new Random(5).nextBytes(plain);
    Path rec = dir.resolve("rec.mp4");
    Files.write(rec, plain);
    Path kek = dir.resolve("kek-2026.hex");
    CliTest.Run r = run("kek-gen", "-o", kek.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("key id 'kek-2026'"), r.out());

    r = run("encrypt", rec.toString(), "--kek", kek.toString(), "--suite", "sm4-gcm");
    assertEquals(0, r.code(), r.err());
    Path enc = dir.resolve("rec.mp4.enc");
    Path seal = dir.resolve("rec.mp4.seal.json");
    assertTrue(Files.exists(enc) && Files.exists(seal));
    // The seal is over the plaintext: the ordinary verify accepts the original.
    assertEquals(0, run("verify", rec.toString()).code());

    Path back = dir.resolve("back.mp4");
    r =
        run(
            "decrypt",
            enc.toString(),
            "--seal",
            seal.toString(),
            "--kek",
            kek.toString(),
            "-o",
            back.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertArrayEquals(plain, Files.readAllBytes(back));

    Path part = dir.resolve("part.bin");
    r =
        run(
            "decrypt",
            enc.toString(),
            "--seal",
            seal.toString(),
            "--kek",
            kek.toString(),
            "--range",
            "2000000:1000",
            "-o",
            part.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertArrayEquals(Arrays.copyOfRange(plain, 2_000_000, 2_001_000), Files.readAllBytes(part));

    byte[] ct = Files.readAllBytes(enc);
    ct[ct.length - 100] ^= 1;
    Path bad = dir.resolve("bad.enc");
    Files.write(bad, ct);
    Path out = dir.resolve("out.mp4");
    r =
        run(
            "decrypt",
            bad.toString(),
            "--seal",
            seal.toString(),
            "--kek",
            kek.toString(),
            "-o",
            out.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("segment 3 of 4 fails authentication"), r.out());
    assertFalse(Files.exists(out), "no half-written plaintext");

    Path other = dir.resolve("other.hex");
    assertEquals(0, run("kek-gen", "-o", other.toString()).code());
    r =
        run(
            "decrypt",
            enc.toString(),
            "--seal",
            seal.toString(),
            "--kek",
            other.toString(),
            "--kek-id",
            "kek-2026",
            "-o",
            out.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("does not unwrap"), r.out());
    r = run("encrypt", rec.toString(), "--kek", kek.toString(), "--suite", "des");
    assertEquals(2, r.code());

    // a range of this ciphertext against another recording's seal of the same length
    // was written out as that recording's bytes (exit 0)
    byte[] plain2 = new byte[plain.length];
    new Random(6).nextBytes(plain2);
    Path rec2 = dir.resolve("rec2.mp4");
    Files.write(rec2, plain2);
    assertEquals(0, run("encrypt", rec2.toString(), "--kek", kek.toString()).code());
    Path clip = dir.resolve("clip.bin");
    r =
        run(
            "decrypt",
            enc.toString(),
            "--seal",
            dir.resolve("rec2.mp4.seal.json").toString(),
            "--kek",
            kek.toString(),
            "--range",
            "0:1000",
            "-o",
            clip.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("not bound to this seal"), r.out());
    assertFalse(Files.exists(clip), "nothing written");
  }

  @Test
  void ingestEncryptedSweepAndDecryptingExport() throws IOException {
    byte[] plain = new byte[2_100_000];
    new Random(6).nextBytes(plain);
    Path rec = dir.resolve("a.mp4");
    Files.write(rec, plain);
    assertEquals(0, run("seal", rec.toString(), "--device", "CAM-7").code());
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    Path kek = dir.resolve("kek-1.hex");
    assertEquals(0, run("kek-gen", "-o", kek.toString()).code());
    String ledgerKey = dir.resolve("ledger.pem").toString();
    assertEquals(0, run("keygen", "-o", ledgerKey).code());
    CliTest.Run r =
        run(
            "ledger",
            "ingest",
            "--clock-mark",
            CliTest.mark(dir),
            store.toString(),
            rec.toString(),
            "--as",
            "CAM-7/a.mp4",
            "--actor",
            "in",
            "--encrypt",
            "sm4-gcm",
            "--kek",
            kek.toString());
    assertEquals(0, r.code(), r.err());
    r = run("sweep", store.toString());
    assertEquals(1, r.code(), "encrypted and unchecked is not clean");
    assertTrue(r.out().contains("NOT_CHECKED CAM-7/a.mp4"), r.out());
    r = run("sweep", store.toString(), "--kek", kek.toString());
    assertEquals(0, r.code(), r.out());
    Path copy = dir.resolve("copy.mp4");
    r =
        run(
            "ledger",
            "export",
            "--clock-mark",
            CliTest.mark(dir),
            store.toString(),
            "CAM-7/a.mp4",
            "--actor",
            "clerk",
            "--reason",
            "appeal",
            "--to",
            "court",
            "--key",
            ledgerKey,
            "-o",
            dir.resolve("b.json").toString(),
            "--decrypt-to",
            copy.toString(),
            "--kek",
            kek.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertArrayEquals(plain, Files.readAllBytes(copy));
    r =
        run(
            "ledger",
            "check-bundle",
            dir.resolve("b.json").toString(),
            "--content",
            copy.toString(),
            "--trust",
            dir.resolve("ledger.pub.pem").toString());
    assertEquals(0, r.code(), r.out());
  }

  /**
   * Key rotation under a new key id as an operator runs it ({@code ledger rewrap}): logged, the
   * sweep checks the recording with the new key and the old one no longer opens it. The same
   * rotation done by hand on another recording (the object replaced, nothing logged) is DAMAGED; a
   * rotation from a key it is not logged under is refused in one line.
   */
  @Test
  void aLoggedRotationSweepsOkAnUnloggedOneIsDamaged() throws Exception {
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    Path kek = dir.resolve("kek-2026.hex");
    Path next = dir.resolve("kek-2027.hex");
    assertEquals(0, run("kek-gen", "-o", kek.toString()).code());
    assertEquals(0, run("kek-gen", "-o", next.toString()).code());
    for (String name : new String[] {"a.mp4", "b.mp4"}) {
      byte[] plain = new byte[300_000];
      new Random(name.hashCode()).nextBytes(plain);
      Path rec = dir.resolve(name);
      Files.write(rec, plain);
      assertEquals(0, run("seal", rec.toString()).code());
      CliTest.Run r =
          run(
              "ledger",
              "ingest",
              "--clock-mark",
              CliTest.mark(dir),
              store.toString(),
              rec.toString(),
              "--as",
              "CAM-7/" + name,
              "--actor",
              "in",
              "--encrypt",
              "aes-256-gcm",
              "--kek",
              kek.toString());
      assertEquals(0, r.code(), r.err());
    }
    String[] rewrap = {
      "ledger",
      "rewrap",
      "--clock-mark",
      CliTest.mark(dir),
      store.toString(),
      "CAM-7/a.mp4",
      "--kek",
      next.toString(),
      "--new-kek",
      kek.toString(),
      "--actor",
      "key-officer",
      "--reason",
      "yearly rotation"
    };
    CliTest.Run r = run(rewrap); // the keys swapped: a.mp4 is not logged under kek-2027
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("'kek-2026'"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    rewrap[7] = kek.toString();
    rewrap[9] = next.toString();
    r = run(rewrap);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("key 'kek-2026' -> 'kek-2027'"), r.out());

    // b.mp4 rotated by hand: the object replaced behind the library, nothing logged
    Path b = store.resolve("objects/CAM-7.d/b.mp4.o/content");
    java.io.ByteArrayOutputStream rotated = new java.io.ByteArrayOutputStream();
    try (java.nio.channels.SeekableByteChannel in = Files.newByteChannel(b)) {
      org.evidencekit.crypt.EncryptedRecording.rewrap(
          in,
          java.nio.channels.Channels.newChannel(rotated),
          CryptCommands.readKek(kek, null),
          CryptCommands.readKek(next, null));
    }
    assertTrue(b.toFile().setWritable(true));
    Files.write(b, rotated.toByteArray());

    r = run("sweep", store.toString(), "--kek", next.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("2 checked, 1 ok, 1 damaged"), r.out());
    assertTrue(r.out().contains("DAMAGED CAM-7/b.mp4"), r.out());
    assertTrue(r.out().contains("re-wrapped without a ledger entry"), r.out());
    r = run("sweep", store.toString(), "--kek", kek.toString());
    assertTrue(
        r.out().contains("NOT_CHECKED CAM-7/a.mp4"), "the old key is locked out: " + r.out());
    // nobody logs a rotation by hand: any key id would then pass
    r =
        run(
            "ledger",
            "append",
            "--clock-mark",
            CliTest.mark(dir),
            store.toString(),
            "--type",
            "rewrapped",
            "--actor",
            "insider",
            "--subject",
            "CAM-7/b.mp4",
            "--detail",
            "kek=kek-2027");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("'evidence ledger rewrap'"), r.err());
  }

  /**
   * What an insider can do with the commands: encrypt the recording again with the archive's key
   * ({@code evidence encrypt}) and put that ciphertext in place of the one stored at ingest, then
   * put the plaintext there. Both decrypt or match the seal; the sweep without the key says DAMAGED
   * for the first, and a plain export refuses both in one line, writing and logging nothing (R-05,
   *
   */
  @Test
  void anotherEncryptionOrThePlaintextInPlaceIsDamagedAndNotExported() throws IOException {
    byte[] plain = new byte[1_100_000];
    new Random(16).nextBytes(plain);
    Path rec = dir.resolve("a.mp4");
    Files.write(rec, plain);
    assertEquals(0, run("seal", rec.toString()).code());
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    Path kek = dir.resolve("kek-1.hex");
    assertEquals(0, run("kek-gen", "-o", kek.toString()).code());
    String ledgerKey = dir.resolve("ledger.pem").toString();
    assertEquals(0, run("keygen", "-o", ledgerKey).code());
    CliTest.Run r =
        run(
            "ledger",
            "ingest",
            "--clock-mark",
            CliTest.mark(dir),
            store.toString(),
            rec.toString(),
            "--as",
            "CAM-7/a.mp4",
            "--actor",
            "in",
            "--encrypt",
            "aes-256-gcm",
            "--kek",
            kek.toString());
    assertEquals(0, r.code(), r.err());
    r = run("encrypt", rec.toString(), "--kek", kek.toString(), "--force");
    assertEquals(0, r.code(), r.out() + r.err());
    Path content = store.resolve("objects/CAM-7.d/a.mp4.o/content");
    assertTrue(content.toFile().setWritable(true));
    Files.copy(dir.resolve("a.mp4.enc"), content, StandardCopyOption.REPLACE_EXISTING);
    r = run("sweep", store.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("DAMAGED CAM-7/a.mp4"), r.out());
    assertTrue(r.out().contains("not the one stored at ingest"), r.out());
    Path bundle = dir.resolve("b.json");
    String[] export = {
      "ledger",
      "export",
      "--clock-mark",
      CliTest.mark(dir),
      store.toString(),
      "CAM-7/a.mp4",
      "--actor",
      "clerk",
      "--reason",
      "appeal",
      "--to",
      "court",
      "--key",
      ledgerKey,
      "-o",
      bundle.toString()
    };
    r = run(export);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("not the one stored at ingest"), r.err());
    assertFalse(Files.exists(bundle));

    Files.copy(rec, content, StandardCopyOption.REPLACE_EXISTING);
    r = run(export);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("is unencrypted"), r.err());
    assertTrue(r.err().contains("refusing to export"), r.err());
    assertFalse(Files.exists(bundle));
    r = run("ledger", "entry", store.toString(), "--index", "1");
    assertEquals(2, r.code(), "no export was logged: " + r.out());
  }

  /**
   * The README's export line, pasted against a store whose copy is plain: the error says that the
   * copy is not encrypted, and nothing is written or logged.
   */
  @Test
  void decryptingExportOfAPlainCopySaysItIsNotEncrypted() throws IOException {
    Path rec = dir.resolve("a.mp4");
    Files.write(rec, new byte[] {1, 2, 3, 4, 5});
    assertEquals(0, run("seal", rec.toString()).code());
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    Path kek = dir.resolve("kek-1.hex");
    assertEquals(0, run("kek-gen", "-o", kek.toString()).code());
    String ledgerKey = dir.resolve("ledger.pem").toString();
    assertEquals(0, run("keygen", "-o", ledgerKey).code());
    CliTest.Run r =
        run(
            "ledger",
            "ingest",
            "--clock-mark",
            CliTest.mark(dir),
            store.toString(),
            rec.toString(),
            "--as",
            "CAM-7/a.mp4",
            "--actor",
            "in");
    assertEquals(0, r.code(), r.err());
    Path copy = dir.resolve("copy.mp4");
    Path bundle = dir.resolve("b.json");
    r =
        run(
            "export",
            "--clock-mark",
            CliTest.mark(dir),
            store.toString(),
            "CAM-7/a.mp4",
            "--actor",
            "clerk",
            "--reason",
            "appeal",
            "--to",
            "court",
            "--key",
            ledgerKey,
            "-o",
            bundle.toString(),
            "--decrypt-to",
            copy.toString(),
            "--kek",
            kek.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("CAM-7/a.mp4 is stored unencrypted"), r.err());
    assertTrue(r.err().contains("export it without decrypting"), r.err());
    assertFalse(Files.exists(copy));
    assertFalse(Files.exists(bundle));
    r = run("ledger", "entry", store.toString(), "--index", "1");
    assertEquals(2, r.code(), "no export was logged: " + r.out());
  }

  /**
   * A recording sealed before (as the README does) can still be encrypted: the refusal names
   * --force, and --force replaces the old seal and ciphertext with the new pair; decrypt -o takes
   * --force the same way (output files are never replaced without it).
   */
  @Test
  void encryptingARecordingSealedBeforeNeedsForceAndSaysSo() throws IOException {
    byte[] plain = new byte[70_000];
    new Random(11).nextBytes(plain);
    Path rec = dir.resolve("recording.mp4");
    Files.write(rec, plain);
    assertEquals(0, run("seal", rec.toString()).code());
    Path seal = dir.resolve("recording.mp4.seal.json");
    byte[] oldSeal = Files.readAllBytes(seal);
    Path kek = dir.resolve("kek-2026.hex");
    assertEquals(0, run("kek-gen", "-o", kek.toString()).code());
    CliTest.Run r = run("encrypt", rec.toString(), "--kek", kek.toString(), "--suite", "sm4-gcm");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains(seal + " already exists (use --force to replace it)"), r.err());
    assertFalse(Files.exists(dir.resolve("recording.mp4.enc")), "nothing written");
    assertArrayEquals(oldSeal, Files.readAllBytes(seal));

    r = run("encrypt", rec.toString(), "--kek", kek.toString(), "--suite", "sm4-gcm", "--force");
    assertEquals(0, r.code(), r.out() + r.err());
    Path enc = dir.resolve("recording.mp4.enc");
    assertTrue(Files.exists(enc));
    // the seal was replaced by the one the ciphertext is bound to: decrypting with it works
    Path back = dir.resolve("back.mp4");
    Files.write(back, new byte[] {9});
    String[] decrypt = {
      "decrypt",
      enc.toString(),
      "--seal",
      seal.toString(),
      "--kek",
      kek.toString(),
      "-o",
      back.toString()
    };
    r = run(decrypt);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains(back + " already exists (use --force to replace it)"), r.err());
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(back));
    String[] forced = Arrays.copyOf(decrypt, decrypt.length + 1);
    forced[decrypt.length] = "--force";
    r = run(forced);
    assertEquals(0, r.code(), r.out() + r.err());
    assertArrayEquals(plain, Files.readAllBytes(back));
    // encrypting again over the pair with --force replaces both, and they still belong together
    r = run("encrypt", rec.toString(), "--kek", kek.toString(), "--force");
    assertEquals(0, r.code(), r.out() + r.err());
    r = run(forced);
    assertEquals(0, r.code(), r.out() + r.err());
    assertArrayEquals(plain, Files.readAllBytes(back));
  }
}
