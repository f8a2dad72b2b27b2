package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evidence ledger check-bundle --witness/--quorum/--origin: a bundle from a log the
 * legal section cosigned verifies with that witness; one from a log made with the stolen ledger key
 * verifies with --trust alone and not with --witness.
 */
class WitnessedBundleCliTest {
  static final String ORIGIN = "ledger.bureau.example/evidence";
  static final String SUBJECT = "CAM-7/2026-03-01/rec.mp4";

  @TempDir Path dir;
  String logKey;
  String logPub;
  String witnessKey;
  Path rec;

  @BeforeEach
  void keys() throws IOException {
    logKey = dir.resolve("log.pem").toString();
    logPub = dir.resolve("log.pub.pem").toString();
    assertEquals(0, run("keygen", "-o", logKey).code());
    assertEquals(0, run("keygen", "-o", dir.resolve("legal.pem").toString()).code());
    rec = recording("rec.mp4", 1);
  }

  private Path recording(String name, long seed) throws IOException {
    byte[] b = new byte[50_000];
    new Random(seed).nextBytes(b);
    Path f = dir.resolve(name);
    Files.write(f, b);
    assertEquals(0, run("seal", f.toString()).code());
    return f;
  }

  /** A store holding {@code recording} as {@link #SUBJECT}, its checkpoint signed under ORIGIN. */
  private String log(String name, Path recording) throws IOException {
    Path s = dir.resolve(name);
    Files.createDirectories(s);
    CliTest.Run r =
        run(
            "ledger",
            "ingest",
            "--clock-mark",
            CliTest.mark(dir),
            s.toString(),
            recording.toString(),
            "--as",
            SUBJECT,
            "--actor",
            "in");
    assertEquals(0, r.code(), r.err());
    r = run("ledger", "checkpoint", s.toString(), "--key", logKey, "--origin", ORIGIN);
    assertEquals(0, r.code(), r.err());
    return s.toString();
  }

  /** Cosigns the log's newest checkpoint as the legal section; returns its verifier key. */
  private String cosign(String store) {
    CliTest.Run r =
        run(
            "ledger",
            "witness",
            store,
            "--key",
            dir.resolve("legal.pem").toString(),
            "--name",
            "legal.bureau.example/w1",
            "--trust",
            logPub,
            "--state",
            dir.resolve("legal.state.note").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    String marker = "witness key: ";
    int at = r.err().indexOf(marker);
    assertTrue(at >= 0, r.err());
    return r.err().substring(at + marker.length()).lines().findFirst().orElseThrow().trim();
  }

  private String export(String store, String name) {
    String bundle = dir.resolve(name).toString();
    CliTest.Run r =
        run(
            "ledger",
            "export",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            SUBJECT,
            "--actor",
            "clerk",
            "--reason",
            "appeal",
            "--to",
            "court",
            "--key",
            logKey,
            "-o",
            bundle);
    assertEquals(0, r.code(), r.out() + r.err());
    return bundle;
  }

  private static CliTest.Run check(String bundle, Path content, String logPub, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ledger",
                "check-bundle",
                bundle,
                "--content",
                content.toString(),
                "--trust",
                logPub));
    args.addAll(List.of(more));
    return run(args.toArray(new String[0]));
  }

  @Test
  void aCosignedBundleVerifiesWithItsWitnessAndTheLogsName() throws IOException {
    String store = log("log", rec);
    String vkey = cosign(store);
    String bundle = export(store, "rec.bundle.json");

    CliTest.Run r =
        check(bundle, rec, logPub, "--witness", vkey, "--quorum", "1", "--origin", ORIGIN);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(
        r.out().startsWith("VERIFIED: " + SUBJECT + " sealed at ledger entry 0, in checkpoint 1"),
        r.out());
    assertTrue(
        r.out().contains("cosigned by [legal.bureau.example/w1] (1 of 1 required)"), r.out());
    r = check(bundle, rec, logPub);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("(no witnesses checked)"), r.out());

    // another log's name: a finding, exit 1
    r = check(bundle, rec, logPub, "--witness", vkey, "--origin", "ledger.other.example/evidence");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(
        r.out()
            .contains(
                "LEDGER_CHECKPOINT_OTHER_ORIGIN: the checkpoint is of the log '" + ORIGIN + "'"),
        r.out());
  }

  @Test
  void badWitnessOptionsAreBadInput() throws IOException {
    String store = log("log", rec);
    String vkey = cosign(store);
    String bundle = export(store, "rec.bundle.json");
    CliTest.Run r = check(bundle, rec, logPub, "--witness", vkey, "--quorum", "2");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("a quorum of 2 out of 1 witnesses"), r.err());
    r = check(bundle, rec, logPub, "--quorum", "1");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--quorum needs --witness"), r.err());
    r = check(bundle, rec, logPub, "--witness", "legal.bureau.example/w1+00000000+AAAA");
    assertEquals(2, r.code(), r.out() + r.err());
    r = check(bundle, rec, logPub, "--origin", "two words");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--origin: a log origin is a non-empty name"), r.err());
  }

  /**
   * The stolen ledger key: a log of the thief's making holds a substitute under the real key and
   * name. --trust alone accepts its bundle; the witness the court relies on never saw it.
   */
  @Test
  void aBundleOfALogMadeWithTheStolenLedgerKeyFailsWithTheWitness() throws IOException {
    String vkey = cosign(log("log", rec));
    Path substitute = recording("substitute.mp4", 2);
    String forged = log("forged", substitute);
    String bundle = export(forged, "forged.bundle.json");

    CliTest.Run r = check(bundle, substitute, logPub, "--origin", ORIGIN);
    assertEquals(0, r.code(), "the ledger key alone is fooled: " + r.out() + r.err());
    r = check(bundle, substitute, logPub, "--witness", vkey, "--origin", ORIGIN);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("NOT VERIFIED:"), r.out());
    assertTrue(
        r.out().contains("LEDGER_WITNESS_QUORUM_MISSED: the checkpoint is cosigned by 0 of the 1"),
        r.out());
    assertTrue(r.out().contains("carries no witness cosignature"), r.out());
  }

  /**
   * Whoever can write the store plants, as kept for the newest checkpoint, a line of a witness of
   * their own: told the witness, export still proves against the checkpoint it cosigned (R-18,
   * R-20); with no checkpoint cosigned it says so and exits 1.
   */
  @Test
  void exportWithTheWitnessIsNotMisledByALinePlantedForANewerCheckpoint() throws IOException {
    String store = log("log", rec);
    String vkey = cosign(store);
    export(store, "first.bundle.json"); // signs the checkpoint of 2 entries
    byte[] decoy;
    try (EvidenceStore s = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      byte[] note;
      try (SeekableByteChannel ch =
          s.openRead(ObjectKey.of("ledger/checkpoints/00000000000000000002.note"))) {
        note = Channels.newInputStream(ch).readAllBytes();
      }
      byte[] sig = new byte[4 + 72];
      new Random(9).nextBytes(sig);
      decoy =
          (new String(note, StandardCharsets.UTF_8)
                  + "\u2014 evil.example/w9 "
                  + Base64.getEncoder().encodeToString(sig)
                  + "\n")
              .getBytes(StandardCharsets.UTF_8);
      try (WritableObject w =
          s.create(
              ObjectKey.of("ledger/cosignatures/00000000000000000002/0000000000000000.note"))) {
        w.write(ByteBuffer.wrap(decoy));
        w.commit();
      }
    }
    String bundle = dir.resolve("witnessed.bundle.json").toString();
    CliTest.Run r = run(exportArgs(store, bundle, "--witness", vkey));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("proves it against checkpoint 1"), r.out());
    r = check(bundle, rec, logPub, "--witness", vkey, "--origin", ORIGIN);
    assertEquals(0, r.code(), r.out() + r.err());

    // a log no witness cosigned: the bundle is written, and the export says it will not pass
    String lone = log("lone", rec);
    String loneBundle = dir.resolve("lone.bundle.json").toString();
    r = run(exportArgs(lone, loneBundle, "--witness", vkey));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("no checkpoint holding " + SUBJECT + " is cosigned by 1 of the witnesses"),
        r.err());
    assertTrue(Files.exists(Path.of(loneBundle)));
    r = run(exportArgs(lone, dir.resolve("q.json").toString(), "--quorum", "1"));
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--quorum needs --witness"), r.err());
  }

  private String[] exportArgs(String store, String bundle, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ledger",
                "export",
                "--clock-mark",
                CliTest.mark(dir),
                store,
                SUBJECT,
                "--actor",
                "clerk",
                "--reason",
                "appeal",
                "--to",
                "court",
                "--key",
                logKey,
                "-o",
                bundle));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }
}
