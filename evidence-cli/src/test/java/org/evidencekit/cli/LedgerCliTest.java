package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evidence ledger / sweep / spot-check as an operator and an auditor use them. */
class LedgerCliTest {
  @TempDir Path dir;

  private Path recording(String name, int length) throws IOException {
    byte[] b = new byte[length];
    new Random(length).nextBytes(b);
    Path p = dir.resolve(name);
    Files.write(p, b);
    assertEquals(0, run("seal", p.toString(), "--device", "CAM-7").code());
    return p;
  }

  /**
   * {@code ledger verify} says its verdict once and counts entries in words: it printed "INTACT:
   * intact: 1 entries, ..." (the library's verdict after the command's), and "DAMAGED: intact: ..."
   * when only a published checkpoint failed. {@code check-proof} said "the log of 1 entries".
   */
  @Test
  void ledgerVerifySaysItsVerdictOnceAndOneEntryIsOneEntry() throws Exception {
    String store = dir.resolve("store").toString();
    Files.createDirectories(dir.resolve("store"));
    String key = dir.resolve("ledger.pem").toString();
    String pub = dir.resolve("ledger.pub.pem").toString();
    assertEquals(0, run("keygen", "-o", key, "--suite", "ed25519").code());
    Path a = recording("a.mp4", 1000);
    assertEquals(
        0,
        run(
                "ledger",
                "ingest",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                a.toString(),
                "--as",
                "CAM-7/a.mp4",
                "--actor",
                "in")
            .code());
    CliTest.Run r = run("ledger", "verify", store);
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals(
        List.of("INTACT: 1 entry, root " + root(store, 1) + ", 0 checkpoint(s) verified"),
        r.out().lines().toList());

    assertEquals(
        0,
        run(
                "ledger",
                "append",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                "--type",
                "viewed",
                "--actor",
                "o-9",
                "--subject",
                "s")
            .code());
    r = run("ledger", "verify", store);
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals(
        List.of("INTACT: 2 entries, root " + root(store, 2) + ", 0 checkpoint(s) verified"),
        r.out().lines().toList());

    // asked to check against a key that signed nothing: the ledger's own verdict, once, and its
    // exit code, 3 for INCONCLUSIVE as for a seal's verify (it was 1, docs/cli.md said 3)
    r = run("ledger", "verify", store, "--trust", pub);
    assertEquals(3, r.code(), r.out() + r.err());
    assertEquals(
        List.of(
            "INCONCLUSIVE: 1 finding(s): 2 entries, root "
                + root(store, 2)
                + ", 0 checkpoint(s) verified",
            "  LEDGER_CHECKPOINT_MISSING: no checkpoint is stored: nothing signed by a trusted key"
                + " attests the log's 2 entries (checkpoints deleted, or none signed yet)"),
        r.out().lines().toList());

    // an entry of a log of one entry, proven offline
    Path one = Files.createDirectories(dir.resolve("one"));
    String s1 = one.resolve("store").toString();
    Files.createDirectories(one.resolve("store"));
    assertEquals(
        0,
        run(
                "ledger",
                "ingest",
                "--clock-mark",
                CliTest.mark(dir),
                s1,
                a.toString(),
                "--as",
                "CAM-7/a.mp4",
                "--actor",
                "in")
            .code());
    String cp = one.resolve("cp.json").toString();
    String e0 = one.resolve("e0.json").toString();
    String p0 = one.resolve("p0.json").toString();
    assertEquals(0, run("ledger", "checkpoint", s1, "--key", key, "-o", cp).code());
    assertEquals(0, run("ledger", "entry", s1, "--index", "0", "-o", e0).code());
    assertEquals(0, run("ledger", "prove", s1, "--index", "0", "--size", "1", "-o", p0).code());
    r = run("ledger", "check-proof", p0, "--entry", e0, "--checkpoint", cp, "--trust", pub);
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    assertTrue(r.out().startsWith("VERIFIED: entry 0 ("), r.out());
    assertTrue(r.out().strip().endsWith(") is in the log of 1 entry"), r.out());
  }

  /**
   * An intact ledger whose published checkpoint fails is DAMAGED, the ledger's own state after the
   * count of findings, and exits 1: a cosigned note whose root was edited after export fails
   * the log's signature, the witness's cosignature and the log's states, three findings; the same
   * note unedited, asked for a second witness that never cosigned it, misses the quorum, one.
   */
  @Test
  void anIntactLedgerWhosePublishedCheckpointFailsIsDamaged() throws Exception {
    String store = dir.resolve("store").toString();
    Files.createDirectories(dir.resolve("store"));
    String key = dir.resolve("ledger.pem").toString();
    String pub = dir.resolve("ledger.pub.pem").toString();
    assertEquals(0, run("keygen", "-o", key, "--suite", "ed25519").code());
    assertEquals(0, run("keygen", "-o", dir.resolve("w1.pem").toString()).code());
    assertEquals(0, run("keygen", "-o", dir.resolve("w2.pem").toString()).code());
    Path a = recording("a.mp4", 2000);
    assertEquals(
        0,
        run(
                "ledger",
                "ingest",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                a.toString(),
                "--as",
                "CAM-7/a.mp4",
                "--actor",
                "in")
            .code());
    assertEquals(0, run("ledger", "checkpoint", store, "--key", key).code());
    Path note = dir.resolve("cosigned.note");
    String w1 = witness(store, "w1", pub, note);
    String w2 = witness(store, "w2", pub, dir.resolve("other.note"));
    String state = "1 entry, root " + root(store, 1) + ", 1 checkpoint(s) verified";

    CliTest.Run r =
        run(
            "ledger",
            "verify",
            store,
            "--trust",
            pub,
            "--checkpoint",
            note.toString(),
            "--witness",
            w1);
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals("INTACT: " + state, r.out().lines().findFirst().orElseThrow());

    // the root line of the note (origin, size, root) replaced after export
    List<String> lines = new ArrayList<>(Files.readAllLines(note));
    lines.set(2, Base64.getEncoder().encodeToString(new byte[32]));
    Path edited = dir.resolve("edited.note");
    Files.write(edited, lines);
    r =
        run(
            "ledger",
            "verify",
            store,
            "--trust",
            pub,
            "--checkpoint",
            edited.toString(),
            "--witness",
            w1);
    assertEquals(1, r.code(), r.out() + r.err());
    List<String> out = r.out().lines().toList();
    assertEquals("DAMAGED: 3 finding(s): " + state, out.get(0));
    assertEquals(5, out.size(), r.out());
    assertTrue(out.get(2).startsWith("  LEDGER_CHECKPOINT_UNTRUSTED: "), out.get(2));
    assertTrue(out.get(3).startsWith("  LEDGER_WITNESS_QUORUM_MISSED: "), out.get(3));
    assertTrue(out.get(4).startsWith("  LEDGER_CHECKPOINT_NOT_OF_THIS_LOG: "), out.get(4));

    // the note as exported, but two witnesses required and only one cosigned it
    r =
        run(
            "ledger",
            "verify",
            store,
            "--trust",
            pub,
            "--checkpoint",
            note.toString(),
            "--witness",
            w1,
            "--witness",
            w2);
    assertEquals(1, r.code(), r.out() + r.err());
    out = r.out().lines().toList();
    assertEquals("DAMAGED: 1 finding(s): " + state, out.get(0));
    assertEquals(3, out.size(), r.out());
    assertTrue(out.get(2).startsWith("  LEDGER_WITNESS_QUORUM_MISSED: "), out.get(2));
  }

  /** Has witness {@code name} cosign the store's latest checkpoint into {@code to}; its key. */
  private String witness(String store, String name, String pub, Path to) {
    CliTest.Run r =
        run(
            "ledger",
            "witness",
            store,
            "--key",
            dir.resolve(name + ".pem").toString(),
            "--name",
            "legal.example/" + name,
            "--trust",
            pub,
            "--state",
            dir.resolve(name + ".state").toString(),
            "-o",
            to.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("witness key: (\\S+)").matcher(r.err());
    assertTrue(m.find(), r.err());
    return m.group(1);
  }

  /** The root of the store's ledger at {@code size} entries, hex, as the library computes it. */
  private static String root(String store, long size) throws IOException {
    try (EvidenceStore s = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      return EvidenceLedger.open(s, Clock.systemUTC()).root(size).hex();
    }
  }

  @Test
  void ingestCheckpointProveExportAndCheckOffline() throws IOException {
    String store = dir.resolve("store").toString();
    Files.createDirectories(dir.resolve("store"));
    String key = dir.resolve("ledger.pem").toString();
    String pub = dir.resolve("ledger.pub.pem").toString();
    assertEquals(0, run("keygen", "-o", key, "--suite", "sm2").code());
    Path a = recording("a.mp4", 300_000);
    Path b = recording("b.mp4", 100_000);
    CliTest.Run r =
        run(
            "ledger",
            "ingest",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            a.toString(),
            "--as",
            "CAM-7/a.mp4",
            "--actor",
            "in");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ledger entry 0"), r.out());
    assertEquals(
        0,
        run(
                "ledger",
                "ingest",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                b.toString(),
                "--as",
                "CAM-7/b.mp4",
                "--actor",
                "in")
            .code());
    r =
        run(
            "ledger",
            "append",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--type",
            "viewed",
            "--actor",
            "o-9",
            "--subject",
            "CAM-7/a.mp4",
            "--detail",
            "reason=review");
    assertEquals("2", r.out().strip(), r.err());
    // nothing signed yet: the log's hashes are checked without a key
    r = run("ledger", "verify", store);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("INTACT"), r.out());
    // asked to check the log against a key, nothing it signed is stored (checkpoints
    // deleted, or none signed yet): not intact
    r = run("ledger", "verify", store, "--trust", pub);
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("INCONCLUSIVE: "), r.out());
    assertTrue(r.out().contains("LEDGER_CHECKPOINT_MISSING"), r.out());

    r = run("ledger", "checkpoint", store, "--key", key);
    assertEquals(0, r.code(), r.err());
    // a C2SP checkpoint note: origin, size, base64 root, blank line, signature line
    assertEquals("3", r.out().split("\n")[1], r.out());
    r = run("ledger", "checkpoint", store, "--key", key, "--json");
    assertEquals(3, new ObjectMapper().readTree(r.out()).get("size").asInt());

    // signed checkpoints: their key is needed to check them
    r = run("ledger", "verify", store);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--trust is required"), r.err());
    r = run("ledger", "verify", store, "--trust", pub);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("INTACT"), r.out());

    r = run("ledger", "prove", store, "--index", "1", "--size", "3");
    assertEquals(0, r.code(), r.err());
    assertEquals(2, new ObjectMapper().readTree(r.out()).get("path").size());
    r = run("ledger", "consistency", store, "--from", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("prove nothing"), r.err());

    // An auditor checks proofs offline against signed checkpoints.
    String cp3 = dir.resolve("cp3.json").toString();
    String e1 = dir.resolve("e1.json").toString();
    String p1 = dir.resolve("p1.json").toString();
    assertEquals(0, run("ledger", "checkpoint", store, "--key", key, "-o", cp3).code());
    assertEquals(0, run("ledger", "entry", store, "--index", "1", "-o", e1).code());
    assertEquals(0, run("ledger", "prove", store, "--index", "1", "--size", "3", "-o", p1).code());
    r = run("ledger", "check-proof", p1, "--entry", e1, "--checkpoint", cp3, "--trust", pub);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("VERIFIED: entry 1"), r.out());
    String e0 = dir.resolve("e0.json").toString();
    assertEquals(0, run("ledger", "entry", store, "--index", "0", "-o", e0).code());
    r = run("ledger", "check-proof", p1, "--entry", e0, "--checkpoint", cp3, "--trust", pub);
    assertEquals(1, r.code(), "another entry does not fit the proof");
    assertEquals(
        0,
        run(
                "ledger",
                "append",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                "--type",
                "viewed",
                "--actor",
                "x",
                "--subject",
                "s")
            .code());
    String cp4 = dir.resolve("cp4.json").toString();
    String c34 = dir.resolve("c34.json").toString();
    assertEquals(0, run("ledger", "checkpoint", store, "--key", key, "-o", cp4).code());
    assertEquals(
        0, run("ledger", "consistency", store, "--from", "3", "--to", "4", "-o", c34).code());
    r = run("ledger", "check-proof", c34, "--old", cp3, "--checkpoint", cp4, "--trust", pub);
    assertEquals(0, r.code(), r.out() + r.err());
    r = run("ledger", "check-proof", c34, "--old", cp4, "--checkpoint", cp3, "--trust", pub);
    assertEquals(1, r.code(), r.out());

    assertEquals(0, run("sweep", store).code());
    // the legal section witnesses checkpoint 4; the sample is drawn from its cosignature
    String witnessKey = dir.resolve("legal.pem").toString();
    assertEquals(0, run("keygen", "-o", witnessKey).code());
    String state = dir.resolve("legal.state.note").toString();
    String cosigned = dir.resolve("cp4.cosigned.note").toString();
    r =
        run(
            "ledger",
            "witness",
            store,
            "--key",
            witnessKey,
            "--name",
            "legal.bureau.example/w1",
            "--trust",
            pub,
            "--state",
            state,
            "-o",
            cosigned);
    assertEquals(0, r.code(), r.out() + r.err());
    String vkey =
        r.err()
            .lines()
            .filter(l -> l.startsWith("witness key: "))
            .findFirst()
            .orElseThrow()
            .substring("witness key: ".length());
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--count",
            "1",
            "--device",
            "CAM-7",
            "--actor",
            "audit");
    assertEquals(2, r.code(), "a checkpoint only the archive signed does not seed a spot check");
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--count",
            "1",
            "--device",
            "CAM-7",
            "--actor",
            "audit",
            "--checkpoint",
            cp4,
            "--witness",
            vkey);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("cosigned by 0 of the 1"), r.err());
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--count",
            "1",
            "--device",
            "CAM-7",
            "--actor",
            "audit",
            "--checkpoint",
            cosigned,
            "--witness",
            vkey);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("of 2 recordings, seeded by checkpoint 4"), r.out());
    r =
        run(
            "ledger",
            "verify",
            store,
            "--trust",
            pub,
            "--checkpoint",
            cosigned,
            "--witness",
            vkey,
            "--quorum",
            "1");
    assertEquals(0, r.code(), r.out() + r.err());
    // The test recordings carry no start time, so a period filter leaves nobody to check.
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--count",
            "1",
            "--from",
            "2026-01-01T00:00:00Z",
            "--actor",
            "audit",
            "--checkpoint",
            cosigned,
            "--witness",
            vkey);
    assertTrue(r.out().contains("of 0 recordings"), r.out());
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--count",
            "1",
            "--from",
            "2026-02-01T00:00:00Z",
            "--to",
            "2026-01-01T00:00:00Z",
            "--actor",
            "audit",
            "--checkpoint",
            cosigned,
            "--witness",
            vkey);
    assertEquals(2, r.code());

    String bundle = dir.resolve("a.bundle.json").toString();
    r =
        run(
            "ledger",
            "export",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "CAM-7/a.mp4",
            "--actor",
            "clerk",
            "--reason",
            "appeal",
            "--to",
            "court",
            "--key",
            key,
            "-o",
            bundle);
    assertEquals(0, r.code(), r.err());
    r = run("ledger", "check-bundle", bundle, "--content", a.toString(), "--trust", pub);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("VERIFIED"), r.out());
    r = run("ledger", "check-bundle", bundle, "--content", b.toString(), "--trust", pub);
    assertEquals(1, r.code());
    assertTrue(r.out().contains("content does not match"), r.out());
  }

  @Test
  void aTamperedStoreFailsSweepAndVerify() throws IOException {
    Path storeDir = dir.resolve("store");
    Files.createDirectories(storeDir);
    String store = storeDir.toString();
    Path a = recording("a.mp4", 300_000);
    assertEquals(
        0,
        run(
                "ledger",
                "ingest",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                a.toString(),
                "--as",
                "CAM-7/a.mp4",
                "--actor",
                "in")
            .code());
    // Someone deletes the recording with root rights (behind the store's back).
    try (var s = Files.walk(storeDir)) {
      for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
        if (p.toString().contains("CAM-7") && !p.equals(storeDir)) {
          p.toFile().setWritable(true);
          Files.delete(p);
        }
      }
    }
    CliTest.Run r = run("sweep", store);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("MISSING CAM-7/a.mp4"), r.out());
  }

  @Test
  void aDeviceChainWithADeletedMiddleIsBroken() throws IOException {
    Path a = recording("c1.mp4", 70_000);
    Path b = dir.resolve("c2.mp4");
    Files.write(b, new byte[] {1, 2, 3});
    assertEquals(
        0,
        run("seal", b.toString(), "--device", "CAM-7", "--previous-seal", a + ".seal.json").code());
    Path c = dir.resolve("c3.mp4");
    Files.write(c, new byte[] {4, 5});
    assertEquals(
        0,
        run("seal", c.toString(), "--device", "CAM-7", "--previous-seal", b + ".seal.json").code());
    CliTest.Run r =
        run(
            "ledger",
            "chain",
            "--device",
            "CAM-7",
            a + ".seal.json",
            b + ".seal.json",
            c + ".seal.json");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("UNBROKEN: 3 seal(s)"), r.out());
    r = run("ledger", "chain", "--device", "CAM-7", a + ".seal.json", c + ".seal.json");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("MISSING"), r.out());
  }

  /**
   * an attacker deletes the middle recording and re-signs the last seal with their own
   * key, naming the first as its predecessor. The links close; checked against the station's key,
   * the re-made seal is named. A seal given twice is one link.
   */
  @Test
  void aChainClosedOverAGapWithAnotherKeysSealIsUntrustedUnderTheStationsKey() throws IOException {
    String station = dir.resolve("station.pem").toString();
    String attacker = dir.resolve("attacker.pem").toString();
    assertEquals(0, run("keygen", "-o", station, "--suite", "ed25519").code());
    assertEquals(0, run("keygen", "-o", attacker, "--suite", "ed25519").code());
    Path a = dir.resolve("k1.mp4");
    Files.write(a, new byte[] {1, 2, 3});
    assertEquals(0, run("seal", a.toString(), "--device", "CAM-7", "--key", station).code());
    Path c = dir.resolve("k3.mp4");
    Files.write(c, new byte[] {4, 5});
    assertEquals(
        0,
        run(
                "seal",
                c.toString(),
                "--device",
                "CAM-7",
                "--key",
                attacker,
                "--previous-seal",
                a + ".seal.json")
            .code());
    String stationPub = station.replace(".pem", ".pub.pem");
    CliTest.Run r = run("ledger", "chain", "--device", "CAM-7", a + ".seal.json", c + ".seal.json");
    assertEquals(0, r.code(), "the links alone hold: " + r.out() + r.err());
    r =
        run(
            "ledger",
            "chain",
            "--device",
            "CAM-7",
            a + ".seal.json",
            c + ".seal.json",
            c + ".seal.json",
            "--trust",
            stationPub);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("BROKEN: 1 problem(s) in the chain of CAM-7"), r.out());
    String remade = Seal.read(Path.of(c + ".seal.json")).digest().hex().substring(0, 12);
    assertTrue(r.out().contains("CHAIN_UNTRUSTED_SEAL at " + remade), r.out());
    r =
        run(
            "ledger",
            "chain",
            "--device",
            "CAM-7",
            a + ".seal.json",
            a + ".seal.json",
            "--trust",
            stationPub);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("UNBROKEN: 1 seal(s) of CAM-7"), r.out());
  }

  @Test
  void sparkSweepWithoutSparkOnTheClassPathIsOneLineExitTwo() throws IOException {
    String store = dir.resolve("store").toString();
    Files.createDirectories(dir.resolve("store"));
    CliTest.Run r = run("sweep", store, "--spark", "local[2]");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--spark needs evidence-spark and Apache Spark"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    r = run("sweep", store, "--spark", "local[2]", "--all");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--spark takes none of"), r.err());
  }

  @Test
  void badInputIsOneLineExitTwo() {
    CliTest.Run r = run("ledger", "verify", dir.resolve("nope").toString(), "--trust", "x.pem");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            dir.toString(),
            "--count",
            "0",
            "--actor",
            "a");
    assertEquals(2, r.code());
    assertFalse(r.err().contains("\tat "));
  }

  /** A URI of a scheme no store has is a usage error, not a folder named "bogus:". */
  @Test
  void anUnknownStoreSchemeIsRefusedNotTakenForAFolder() {
    for (String spec : new String[] {"bogus://x", "S3A://bucket/p", "http://example.org/store"}) {
      CliTest.Run r = run("ledger", "entry", spec, "--index", "0");
      assertEquals(2, r.code(), r.err());
      String scheme = spec.substring(0, spec.indexOf(':'));
      assertTrue(
          r.err().contains("unknown store scheme '" + scheme + "'") && !r.err().contains("\n  "),
          r.err());
    }
  }

  /** A store that is not there: the error says how one comes to be. */
  @Test
  void aMissingStoreSaysHowToMakeOne(@org.junit.jupiter.api.io.TempDir Path tmp) {
    CliTest.Run r = run("ledger", "entry", tmp.resolve("nope").toString(), "--index", "0");
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().contains("store not found (not a directory): ")
            && r.err().contains("mkdir an empty folder"),
        r.err());
  }

  /** The number of entries {@code ledger verify} counts in the store's log. */
  private static String entries(String store, String trust) {
    CliTest.Run r = run("ledger", "verify", store, "--trust", trust);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) entries").matcher(r.out());
    assertTrue(m.find(), r.out() + r.err());
    return m.group(1);
  }

  /**
   * An export whose bundle file is already there is refused before anything is logged (R-19: the
   * ledger must not record an export that handed nothing over), and the message does not offer a
   * --force the command lacks.
   */
  @Test
  void anExportToAnExistingBundleFileIsRefusedBeforeItIsLogged() throws IOException {
    String store = dir.resolve("store").toString();
    Files.createDirectories(dir.resolve("store"));
    String key = dir.resolve("ledger.pem").toString();
    assertEquals(0, run("keygen", "-o", key).code());
    Path a = recording("a.mp4", 50_000);
    assertEquals(
        0,
        run(
                "ledger",
                "ingest",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                a.toString(),
                "--as",
                "CAM-7/a.mp4",
                "--actor",
                "in")
            .code());
    Path bundle = dir.resolve("a.bundle.json");
    String[] export = {
      "ledger",
      "export",
      "--clock-mark",
      CliTest.mark(dir),
      store,
      "CAM-7/a.mp4",
      "--actor",
      "clerk",
      "--reason",
      "appeal",
      "--to",
      "court",
      "--key",
      key,
      "-o",
      bundle.toString()
    };
    CliTest.Run r = run(export);
    assertEquals(0, r.code(), r.err());
    byte[] first = Files.readAllBytes(bundle);
    String before = entries(store, dir.resolve("ledger.pub.pem").toString());
    r = run(export);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains(bundle + " already exists"), r.err());
    assertFalse(r.err().contains("--force"), r.err());
    assertEquals(
        before,
        entries(store, dir.resolve("ledger.pub.pem").toString()),
        "a refused export logs nothing");
    assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(bundle)));
  }

  /**
   * A spot check whose selection matches no recording checked nothing: it says so and exits 1, not
   * "ALL OK". Here the seals carry no device, so --device CAM-7 selects none of them.
   */
  @Test
  void aSpotCheckThatSelectsNothingIsNotAllOk() throws IOException {
    String store = dir.resolve("store").toString();
    Files.createDirectories(dir.resolve("store"));
    String key = dir.resolve("ledger.pem").toString();
    String legal = dir.resolve("legal.pem").toString();
    assertEquals(0, run("keygen", "-o", key).code());
    assertEquals(0, run("keygen", "-o", legal).code());
    Path a = dir.resolve("a.mp4");
    Files.write(a, new byte[] {1, 2, 3});
    assertEquals(0, run("seal", a.toString()).code());
    assertEquals(
        0,
        run(
                "ledger",
                "ingest",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                a.toString(),
                "--as",
                "CAM-7/a.mp4",
                "--actor",
                "in")
            .code());
    assertEquals(0, run("ledger", "checkpoint", store, "--key", key).code());
    Path cosigned = dir.resolve("cosigned.note");
    CliTest.Run r =
        run(
            "ledger",
            "witness",
            store,
            "--key",
            legal,
            "--name",
            "legal.example/w1",
            "--trust",
            dir.resolve("ledger.pub.pem").toString(),
            "--state",
            dir.resolve("w1.state").toString(),
            "-o",
            cosigned.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("witness key: (\\S+)").matcher(r.err());
    assertTrue(m.find(), r.err());
    String witness = m.group(1);
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--count",
            "1",
            "--device",
            "CAM-7",
            "--actor",
            "audit",
            "--checkpoint",
            cosigned.toString(),
            "--witness",
            witness);
    assertEquals(1, r.code(), r.out() + r.err());
    assertFalse(r.out().contains("ALL OK"), r.out());
    assertTrue(r.out().contains("NOTHING CHECKED"), r.out());
    assertTrue(r.out().contains("device=CAM-7"), r.out());
    // the same check without the filter draws the one recording and finds it intact
    r =
        run(
            "spot-check",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--count",
            "1",
            "--actor",
            "audit",
            "--checkpoint",
            cosigned.toString(),
            "--witness",
            witness);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("OK CAM-7/a.mp4") && r.out().contains("ALL OK"), r.out());
  }

  /**
   * A signing key that is not there (docs/cli.md once used ledger.pem before making it): the one
   * line says how a key is made, and nothing is signed.
   */
  @Test
  void aMissingSigningKeySaysHowToMakeOne() throws IOException {
    String store = dir.resolve("store").toString();
    Files.createDirectories(dir.resolve("store"));
    assertEquals(
        0,
        run(
                "ledger",
                "append",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                "--type",
                "viewed",
                "--actor",
                "a",
                "--subject",
                "s")
            .code());
    Path key = dir.resolve("ledger.pem");
    CliTest.Run r = run("ledger", "checkpoint", store, "--key", key.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(
        "evidence: key not found: "
            + key
            + " (a new signing key is made with 'evidence keygen -o "
            + key
            + "')",
        r.err().strip());
    assertEquals("INTACT", run("ledger", "verify", store).out().split(":")[0], "nothing signed");
  }
}
